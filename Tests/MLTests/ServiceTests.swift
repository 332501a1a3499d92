import Inference
import InferenceTesting
import ML
import Testing

@Suite struct ServiceTests {
    @Test func namedBackendAndFallbackToDefault() async throws {
        let service = Service(
            backends: [
                InferenceAdapter(model: ScriptedModel(tokens: ["from a"]), name: "a"),
                InferenceAdapter(model: ScriptedModel(tokens: ["from b"]), name: "b"),
            ],
            defaultBackend: "b"
        )
        #expect(try await service.generate("p").text == "from b")
        #expect(try await service.generate(backend: "a", "p").text == "from a")
        #expect(service.names == ["a", "b"])
    }

    @Test func clearErrorWithoutDefaultOrForUnknownName() async throws {
        await #expect {
            try await Service().generate("p")
        } throws: { ($0 as? InferenceError)?.code == .noBackend }
        let service = Service(backends: [InferenceAdapter(model: ScriptedModel(), name: "a")])
        await #expect {
            try await service.generate(backend: "zzz", "p")
        } throws: { ($0 as? InferenceError)?.code == .backendNotRegistered }
    }
}
