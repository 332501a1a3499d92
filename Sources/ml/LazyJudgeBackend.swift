import Foundation
import Inference
import ML

/// A judge backend that loads its model on first use — so a dry run, or a pass with nothing new, never starts
/// a judge server — and keeps it for later calls until ``close()``.
actor LazyJudgeBackend: Backend {
    nonisolated let name: String
    nonisolated var isAvailable: Bool { true }
    nonisolated var supportsResponseFormat: Bool { true }

    private let load: @Sendable () async throws -> JudgeSelection.Loaded
    private var loading: Task<JudgeSelection.Loaded, any Error>?

    init(name: String, load: @escaping @Sendable () async throws -> JudgeSelection.Loaded) {
        self.name = name
        self.load = load
    }

    private func loaded() async throws -> any Backend {
        if loading == nil {
            let load = self.load
            loading = Task { try await load() }
        }
        do {
            return try await loading!.value.backend
        } catch {
            loading = nil  // the next call tries again
            throw error
        }
    }

    func generate(_ prompt: String, opts: GenOpts) async throws -> GenerationResult {
        try await loaded().generate(prompt, opts: opts)
    }

    func chat(_ messages: [Message], opts: GenOpts) async throws -> GenerationResult {
        try await loaded().chat(messages, opts: opts)
    }

    /// Stops the judge model if it was started.
    func close() async {
        guard let loading else { return }
        self.loading = nil
        await (try? loading.value)?.close()
    }
}
