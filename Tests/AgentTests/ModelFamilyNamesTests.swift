import Foundation
import Testing

@testable import Agent

/// The families users fine-tune (Gemma 3, Qwen 3, Llama 3): the reference agent's own checkpoint names keep their
/// reference tags, and directories named after the Hugging Face base model get the tag that base model's name gives.
@Suite struct ModelFamilyNamesTests {
    /// The reference's names (its family map and documentation, e.g. `adapters-1b-v2` → `gemma-3-1b`, `G1-v2`).
    @Test(arguments: [
        ("adapters-1b-v2", "gemma-3-1b", "G1-v2", "1b-v2"),
        ("adapters-4b", "gemma-3-4b", "G4", "4b"),
        ("adapters-12b-lek", "gemma-3-12b", "G12-lek", "12b-lek"),
        ("adapters-27b-sovereignty", "gemma-3-27b", "G27-sovereignty", "27b-sovereignty"),
        ("adapters-15k/gemma-3-27b", "gemma-3-27b", "G27", "15k-gemma-3-27b"),
        // The reference has no 15k/ entry for the 4B: such a directory is an unknown family there, and here.
        ("adapters-15k/gemma-3-4b", "15k/gemma-3-4b", "15k/gemma-", "15k/gemma-3-4b"),
        ("adapters-bench-1b", "gemma-3-1b", "B1", "bench-1b"),
        ("adapters-book", "gemma-3-27b", "Book", "book"),
        ("adapters-gpt-oss", "gpt-oss-20b", "GPT", "gpt-oss"),
    ])
    func referenceNames(_ directory: String, _ tag: String, _ short: String, _ stem: String) throws {
        let described = try ModelFamilyMap.default().describe(directory: directory)
        #expect(described.tag == tag)
        #expect(described.short == short)
        #expect(described.stem == stem)
    }

    /// Directories named after the base model (`gemma-3-1b-it` → `gemma-3-1b`, `Qwen3-8B` → `qwen3-8b`,
    /// `Llama-3.2-1B-Instruct` → `llama-3.2-1b`, as the reference derives `gemma-3-1b` from `google/gemma-3-1b-it`).
    @Test(arguments: [
        ("adapters-gemma-3-1b-it-lek", "gemma-3-1b", "G1-it-lek", "gemma-3-1b-it-lek"),
        ("gemma-3-12b", "gemma-3-12b", "G12", "gemma-3-12b"),
        ("gemma-3-27b-lek/run2", "gemma-3-27b", "G27-lek/run2", "gemma-3-27b-lek-run2"),
        ("gemma-3-270m-tiny", "gemma-3-270m", "G270m-tiny", "gemma-3-270m-tiny"),
        ("adapters-qwen3-0.6b-lek", "qwen3-0.6b", "Q3-0.6-lek", "qwen3-0.6b-lek"),
        ("qwen3-4b", "qwen3-4b", "Q3-4", "qwen3-4b"),
        ("qwen3-14b-base", "qwen3-14b", "Q3-14", "qwen3-14b-base"),
        ("qwen3-30b-a3b-x", "qwen3-30b-a3b", "Q3-30A3-x", "qwen3-30b-a3b-x"),
        ("adapters-llama-3.2-1b-instruct", "llama-3.2-1b", "L3.2-1-instruct", "llama-3.2-1b-instruct"),
        ("llama-3.1-8b-lek", "llama-3.1-8b", "L3.1-8-lek", "llama-3.1-8b-lek"),
        ("meta-llama-3-8b-instruct", "llama-3-8b", "L3-8-instruct", "meta-llama-3-8b-instruct"),
        ("llama-3.3-70b", "llama-3.3-70b", "L3.3-70", "llama-3.3-70b"),
        // Case-sensitive, as the reference: a capitalised name is not a family (its tag is the name).
        ("Qwen3-8B", "Qwen3-8B", "Qwen3-8B", "Qwen3-8B"),
        // Other Qwen/Llama generations are not these families.
        ("qwen2.5-7b", "qwen2.5-7b", "qwen2.5-7b", "qwen2.5-7b"),
        ("llama-2-7b", "llama-2-7b", "llama-2-7b", "llama-2-7b"),
    ])
    func baseModelNames(_ directory: String, _ tag: String, _ short: String, _ stem: String) throws {
        let described = try ModelFamilyMap.default().describe(directory: directory)
        #expect(described.tag == tag)
        #expect(described.short == short)
        #expect(described.stem == stem)
    }

    /// No family shadows a later one: each prefix is reachable (first match wins, so a shorter earlier prefix
    /// would swallow a longer later one).
    @Test func everyPrefixIsReachable() throws {
        let families = try ModelFamilyMap.default().families
        for (index, family) in families.enumerated() {
            let shadow = families[..<index].first { family.prefix.hasPrefix($0.prefix) }
            #expect(shadow == nil, "'\(family.prefix)' is shadowed by '\(shadow?.prefix ?? "")'")
        }
    }
}
