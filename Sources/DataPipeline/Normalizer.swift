import Foundation
import Workspace

/// The outcome of `ml data normalize`.
package struct NormalizeReport: Sendable, Codable {
    package var seeds = 0
    package var queued = 0
    package var duplicates = 0
    package var tooShort = 0
    package var alreadyQueuedOrAnswered = 0
    package var inGolden = 0
}

/// `ml data normalize`: seeds → prompts to expand. Seeds are de-duplicated by normalized text
/// (``PromptIdentity``); too-short seeds and those whose text is already queued, answered or in the golden set
/// are dropped. Priority favours coverage: each domain's prompts are ranked after the golden rows it already
/// has, so the queue interleaves domains, the thinnest first.
package enum Normalizer {
    package static func run(store: any WorkspaceStore, minLength: Int = 10) async throws -> NormalizeReport {
        var report = NormalizeReport()
        let seeds = try await store.seeds()
        report.seeds = seeds.count
        let known = try await store.knownPromptTexts()
        let queued = Set(known.queued.map(PromptIdentity.normalized))
        let golden = Set(known.golden.map(PromptIdentity.normalized))
        var perDomain = try await store.goldenCountsByDomain()
        var seen: Set<String> = []
        var prompts: [PromptRecord] = []
        for seed in seeds {
            let key = PromptIdentity.normalized(seed.prompt)
            guard seen.insert(key).inserted else {
                report.duplicates += 1
                continue
            }
            guard key.count >= minLength else {
                report.tooShort += 1
                continue
            }
            if golden.contains(key) {
                report.inGolden += 1
                continue
            }
            if queued.contains(key) {
                report.alreadyQueuedOrAnswered += 1
                continue
            }
            let domain = seed.domain ?? ""
            let rank = perDomain[domain, default: 0]
            perDomain[domain] = rank + 1
            prompts.append(PromptRecord(
                id: PromptIdentity.id(for: seed.prompt), seedID: seed.id,
                prompt: seed.prompt.trimmingCharacters(in: .whitespacesAndNewlines), region: seed.region,
                domain: seed.domain, voice: seed.voice, priority: -rank, source: "seed:\(seed.id)"))
        }
        report.queued = try await store.insertPrompts(prompts)
        report.alreadyQueuedOrAnswered += prompts.count - report.queued
        return report
    }
}
