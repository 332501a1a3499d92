import Foundation
@testable import ModelFormats
import Testing

/// The SmolLM2 GGUF the project installs. Expected values were read independently with llama.cpp's gguf-py.
enum SmolLM2 {
    static var path: String { (swiftMLHome as NSString).appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf") }
    static var exists: Bool { FileManager.default.fileExists(atPath: path) }
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    /// Runs when the file exists, and in CI always (so a missing file fails there instead of skipping).
    static var shouldRun: Bool { exists || isCI }
}

@Suite(.enabled(if: SmolLM2.shouldRun, "SmolLM2-135M-Instruct.Q4_1.gguf is not installed"))
struct RealModelTests {
    @Test func readsSmolLM2Header() throws {
        try #require(SmolLM2.exists, "\(SmolLM2.path) is missing (CI requires it)")
        let clock = ContinuousClock()
        let start = clock.now
        let reader = try GGUFReader(path: SmolLM2.path)
        let elapsed = clock.now - start
        let file = reader.file
        #expect(elapsed < .seconds(5), "header read took \(elapsed)")
        #expect(file.version == 3)
        #expect(file.metadata.count == 33)
        #expect(file.tensors.count == 272)
        #expect(file.alignment == 32)
        #expect(file.dataOffset == 1_785_664)
        #expect(file.fileSize == 98_362_432)
        #expect(file.architecture == "llama")
        #expect(file["general.name"]?.stringValue == "Smollm2 135M 8k Lc100K Mix1 Ep2")
        #expect(file["tokenizer.ggml.merges"]?.arrayCount == 48_900)
        #expect(file["tokenizer.ggml.tokens"]?.arrayValue?.strings?.prefix(3) == ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
        #expect(file["tokenizer.ggml.add_bos_token"] == .bool(false))

        let summary = file.summary
        #expect(summary.blockCount == 30)
        #expect(summary.embeddingLength == 576)
        #expect(summary.contextLength == 8192)
        #expect(summary.feedForwardLength == 1536)
        #expect(summary.headCount == 9)
        #expect(summary.headCountKV == 3)
        #expect(summary.vocabSize == 49_152)
        #expect(summary.fileType == 3)
        #expect(summary.quantization == "Q4_1")
        #expect(summary.quantizationBits == 4)
        #expect(summary.quantizationGroupSize == 32)
        #expect(summary.parameterCount == 134_515_008)
        #expect(summary.tensorDataBytes == 96_576_768)

        let embedding = try #require(file.tensor(named: "token_embd.weight"))
        #expect(embedding.dimensions == [576, 49_152])
        #expect(embedding.type.name == "Q8_0")
        #expect(embedding.offset == 0)
        #expect(embedding.byteCount == 30_081_024)
        let down = try #require(file.tensor(named: "blk.0.ffn_down.weight"))
        #expect(down.dimensions == [1536, 576])
        #expect(down.type == .q4_1)
        #expect(down.byteCount == 552_960)
        #expect(file.tensor(named: "blk.0.attn_k.weight")?.dimensions == [576, 192])

        // Tensor data through the mapping: the first attention norm, checked against gguf-py/NumPy.
        let norm = try #require(file.tensor(named: "blk.0.attn_norm.weight"))
        #expect(file.dataOffset + norm.offset == 31_866_688)
        let values = try reader.data(of: norm).floats(.f32)
        #expect(values.count == 576)
        #expect(Array(values.prefix(3)) == [0.01397705078125, 0.0238037109375, -0.019775390625])
        #expect(abs(values.reduce(0.0) { $0 + Double($1) } - 0.6129436492919922) < 1e-9)

        #expect(try GGUFFile.readArchitecture(path: SmolLM2.path) == "llama")
        let report = try ModelFileReport.report(path: SmolLM2.path)
        #expect(report.contains("tokenizer.ggml.tokens"))
        #expect(report.contains("(49152 items)"))
        #expect(report.contains("blk.29.ffn_down.weight"))
        #expect(report.count < 200_000, "long arrays are abbreviated")
    }
}
