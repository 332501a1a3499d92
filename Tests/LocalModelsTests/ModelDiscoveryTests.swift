import Foundation
import Inference
import Testing
import LocalModels

@Suite struct ModelDiscoveryTests {
    @Test func findsGGUFFilesAndSafetensorsDirectories() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("discovery-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("nested/mlx-model"), withIntermediateDirectories: true)
        try Data(count: 100).write(to: root.appendingPathComponent("small.gguf"))
        try Data(count: 10).write(to: root.appendingPathComponent("notes.txt"))
        try Data(#"{"model_type": "gemma3"}"#.utf8).write(to: root.appendingPathComponent("nested/mlx-model/config.json"))
        try Data(count: 30).write(to: root.appendingPathComponent("nested/mlx-model/model-1.safetensors"))
        try Data(count: 12).write(to: root.appendingPathComponent("nested/mlx-model/model-2.safetensors"))
        // A safetensors file without config.json is not a model directory.
        try fm.createDirectory(at: root.appendingPathComponent("adapters"), withIntermediateDirectories: true)
        try Data(count: 5).write(to: root.appendingPathComponent("adapters/adapters.safetensors"))

        let discovery = ModelDiscovery(ggufArchitecture: { path in path.hasSuffix("small.gguf") ? "llama" : nil })
        let models = try discovery.scan(directory: root.path)
        #expect(models.count == 2)
        let gguf = try #require(models.first { $0.format == .gguf })
        #expect(gguf.name == "small.gguf")
        #expect(gguf.sizeBytes == 100)
        #expect(gguf.modelType == "llama")
        let st = try #require(models.first { $0.format == .safetensors })
        #expect(st.name == "mlx-model")
        #expect(st.sizeBytes == 42)
        #expect(st.modelType == "gemma3")
    }

    @Test func missingDirectoryIsAClearError() {
        #expect {
            try ModelDiscovery().scan(directory: "/nonexistent/models")
        } throws: { ($0 as? InferenceError)?.code == .modelNotFound }
    }
}
