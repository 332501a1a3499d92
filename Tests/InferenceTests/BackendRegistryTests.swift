import Inference
import InferenceTesting
import Synchronization
import Testing

@Suite struct BackendRegistryTests {
    @Test func registerLookUpAndList() throws {
        var registry = BackendRegistry()
        registry.register(ScriptedBackend(name: "a"))
        registry.register(ScriptedBackend(name: "b", isAvailable: false))
        #expect(registry.all.map(\.name) == ["a", "b"])
        #expect(registry.backend(named: "a")?.name == "a")
        #expect(registry.backend(named: "zzz") == nil)
    }

    @Test func clearErrorsForUnregisteredAndUnavailable() throws {
        let registry = BackendRegistry([ScriptedBackend(name: "b", isAvailable: false)])
        #expect {
            try registry.require("mlx")
        } throws: { error in
            let error = error as? InferenceError
            return error?.code == .backendNotRegistered && error!.message.contains("'mlx'")
        }
        #expect {
            try registry.require("b")
        } throws: { ($0 as? InferenceError)?.code == .backendNotAvailable }
    }

    @Test func defaultFollowsPreferenceAmongAvailable() throws {
        let registry = BackendRegistry([
            ScriptedBackend(name: "mlx", isAvailable: false),
            ScriptedBackend(name: "llama"),
            ScriptedBackend(name: "openai"),
        ])
        #expect(try registry.defaultBackend(preference: ["mlx", "openai"]).name == "openai")
        #expect(try registry.defaultBackend().name == "llama")
        #expect(throws: InferenceError.self) { try BackendRegistry().defaultBackend() }
    }

    @Test func loadModelUsesNamedOrDefaultBackend() async throws {
        let loaded = Mutex<[String]>([])
        let registry = BackendRegistry([
            ScriptedBackend(name: "one") { path, _ in loaded.withLock { $0.append("one:\(path)") }; return ScriptedModel() },
            ScriptedBackend(name: "two") { path, _ in loaded.withLock { $0.append("two:\(path)") }; return ScriptedModel() },
        ])
        _ = try await registry.loadModel(path: "/m1")
        _ = try await registry.loadModel(path: "/m2", options: LoadOptions(backend: "two"))
        #expect(loaded.withLock({ $0 }) == ["one:/m1", "two:/m2"])
        await #expect(throws: InferenceError.self) { try await registry.loadModel(path: "/m", options: LoadOptions(backend: "x")) }
    }
}
