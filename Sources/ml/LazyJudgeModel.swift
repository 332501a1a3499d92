import Foundation
import Inference
import Synchronization

/// A judge model that loads on first use — so a dry run, or a pass with nothing new, never starts a judge server —
/// and keeps it for later calls until ``close()``. A failed load is retried by the next call.
final class LazyJudgeModel: TextModel {
    let modelType = "judge"
    let info: ModelInfo
    let capacity: Int

    private let load: @Sendable () async throws -> JudgeSelection.Loaded
    private let loading = Mutex<Task<JudgeSelection.Loaded, any Error>?>(nil)

    init(name: String, capacity: Int, load: @escaping @Sendable () async throws -> JudgeSelection.Loaded) {
        self.info = ModelInfo(id: name)
        self.capacity = max(1, capacity)
        self.load = load
    }

    private func loaded() async throws -> any TextModel {
        let load = self.load
        let task = loading.withLock { current in
            if let current { return current }
            let task = Task { try await load() }
            current = task
            return task
        }
        do {
            return try await task.value.model
        } catch {
            loading.withLock { if $0 == task { $0 = nil } }
            throw error
        }
    }

    func generate(_ prompt: String, options: GenerateOptions) -> Generation {
        forward { $0.generate(prompt, options: options) }
    }

    func chat(_ messages: [Message], options: GenerateOptions) -> Generation {
        forward { $0.chat(messages, options: options) }
    }

    func classify(_ prompts: [String], options: ClassifyOptions) async throws -> [ClassifyResult] {
        try await loaded().classify(prompts, options: options)
    }

    /// The loaded model's generation, relayed token by token with its outcome.
    private func forward(_ start: @escaping @Sendable (any TextModel) -> Generation) -> Generation {
        Generation.start { sink in
            let inner = start(try await self.loaded())
            do {
                for try await token in inner { try sink.yield(token) }
            } catch {
                inner.cancel()
                await inner.finished()
                throw error
            }
            let summary = await inner.finished()
            return GenerationOutcome(finishReason: summary.finishReason, metrics: summary.metrics)
        }
    }

    /// Stops the judge model if it was started.
    func close() async {
        let task = loading.withLock { current in
            defer { current = nil }
            return current
        }
        await (try? task?.value)?.close()
    }
}
