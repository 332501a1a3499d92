import Foundation
import Testing

@testable import Agent

@Suite struct ModelFamilyMapTests {
    @Test func defaultMapLoadsInOrder() throws {
        let map = try ModelFamilyMap.default()
        #expect(map.families.count == 43)
        #expect(map.families.first == ModelFamily(prefix: "smollm2-135m", tag: "smollm2-135m", short: "S135"))
        #expect(map.families[19] == ModelFamily(prefix: "cross", tag: "gemma-3-12b", short: "Cross"), "the reference's map, in its order")
        let prefixes = map.families.map(\.prefix)
        #expect(try #require(prefixes.firstIndex(of: "27b-")) < #require(prefixes.firstIndex(of: "27b")))
        #expect(try #require(prefixes.firstIndex(of: "1b-")) < #require(prefixes.firstIndex(of: "1b")))
    }

    @Test(arguments: [
        ("smollm2-135m-lek", "smollm2-135m", "S135-lek", "smollm2-135m-lek"),
        ("smollm2-135m", "smollm2-135m", "S135", "smollm2-135m"),
        ("smollm2-135m-base", "smollm2-135m", "S135", "smollm2-135m-base"),
        ("adapters-27b-foo", "gemma-3-27b", "G27-foo", "27b-foo"),
        ("27b", "gemma-3-27b", "G27", "27b"),
        ("1b", "gemma-3-1b", "G1", "1b"),
        ("adapters-1b", "gemma-3-1b", "G1", "1b"),
        ("1b--double", "gemma-3-1b", "G1-double", "1b--double"),
        ("15k/gemma-3-12b", "gemma-3-12b", "G12", "15k-gemma-3-12b"),
        ("15k/gemma-3-1b-lek", "gemma-3-1b", "G1-lek", "15k-gemma-3-1b-lek"),
        ("vi-12b-x", "gemma-3-12b", "Vi12-x", "vi-12b-x"),
        ("vi-x", "gemma-3-1b", "Vi1-x", "vi-x"),
        ("lem-gpt-oss-a", "gpt-oss-20b", "LGPT-a", "lem-gpt-oss-a"),
        ("deepseek-r1-7b-lek-v2", "deepseek-r1-7b", "R1-lek-v2", "deepseek-r1-7b-lek-v2"),
        ("adapters-1b/gemma-3-1b-x", "gemma-3-1b", "G1-/gemma-3-1b-x", "1b-gemma-3-1b-x"),
        ("mistral-7b-instruct-lek", "mistral-7b-instruct-lek", "mistral-7b", "mistral-7b-instruct-lek"),
        ("adapters-unknown/run", "unknown/run", "unknown/ru", "unknown/run"),
        ("short", "short", "short", "short"),
    ])
    func describes(_ directory: String, _ tag: String, _ short: String, _ stem: String) throws {
        let described = try ModelFamilyMap.default().describe(directory: directory)
        #expect(described.tag == tag)
        #expect(described.short == short)
        #expect(described.stem == stem)
    }

    @Test func firstMatchWins() {
        let map = ModelFamilyMap(families: [
            ModelFamily(prefix: "a", tag: "first", short: "F"),
            ModelFamily(prefix: "ab", tag: "second", short: "S"),
        ])
        #expect(map.describe(directory: "abc") == (tag: "first", short: "F-bc", stem: "abc"))
    }

    @Test func loadsAFile() throws {
        let path = try Self.file("families.json", #"{"families": [{"prefix": "q", "tag": "qwen", "short": "Q"}]}"#)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let map = try ModelFamilyMap.load(from: path)
        #expect(map.families == [ModelFamily(prefix: "q", tag: "qwen", short: "Q")])
        #expect(map.describe(directory: "q-3").short == "Q-3")
    }

    @Test(arguments: [
        (#"{"families": [ {"prefix": "a", "tag": "b"} "#, "not valid JSON"),
        (#"{"families": [{"prefix": "a", "tag": "b"}]}"#, "missing key 'short' at .families[0]"),
        (#"{"family": []}"#, "missing key 'families'"),
        (#"{"families": {"prefix": "a"}}"#, "expected"),
        (#"{"families": [{"prefix": "", "tag": "b", "short": "c"}]}"#, "families[0].prefix is empty"),
    ])
    func badFileErrorNamesFileAndProblem(_ json: String, _ problem: String) throws {
        let path = try Self.file("bad families.json", json)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let error = try #require(throws: AgentError.self) { try ModelFamilyMap.load(from: path) }
        #expect(error.code == .configuration)
        #expect(error.message.contains(path), "\(error.message)")
        #expect(error.message.contains(problem), "\(error.message)")
    }

    @Test func missingFileErrorNamesFile() {
        let error = #expect(throws: AgentError.self) { try ModelFamilyMap.load(from: "/nonexistent/families.json") }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("/nonexistent/families.json") == true)
    }

    /// `text` written as `name` in a fresh temporary directory; returns its path.
    static func file(_ name: String, _ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("families-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
