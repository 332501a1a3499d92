import Foundation
import Inference
import InferenceTesting
@testable import Evaluation
import Synchronization

/// Fake judge/model backends for the tests, built from `ScriptedModel`.
enum Fakes {
    /// A fake backend whose every reply is produced by `reply` from the request text (as one token).
    static func backend(
        delay: Duration? = nil,
        reply: @escaping @Sendable (ScriptedModel.Request) -> String
    ) -> (ScriptedModel, ScriptedModel) {
        let model = ScriptedModel(delay: delay, capacity: 64, respond: { [reply($0)] })
        return (model, model)
    }

    /// A fake backend that replies with each of `replies` in turn (the last one repeats).
    static func sequence(_ replies: [String]) -> (ScriptedModel, ScriptedModel) {
        let counter = Mutex(0)
        return backend { _ in
            let index = counter.withLock { value -> Int in
                defer { value += 1 }
                return value
            }
            return replies[min(index, replies.count - 1)]
        }
    }

    /// A fake backend that always fails.
    static func failing() -> (ScriptedModel, ScriptedModel) {
        let model = ScriptedModel(tokens: ["x"], failAfter: 0, error: InferenceError(.serverError, "fake outage"))
        return (model, model)
    }

    static let semanticJSON =
        #"{"sovereignty": 7, "ethical_depth": 6, "creative_expression": 5, "self_concept": 8, "reasoning": "ok"}"#
}

/// A temporary directory removed when the value is released.
final class FakeTempDir: @unchecked Sendable {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("evaltests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}
