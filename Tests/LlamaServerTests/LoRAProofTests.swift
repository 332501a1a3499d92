import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Inference
import InferenceTesting
import LlamaServer
import ModelFormats
import Testing

/// The proof that our LoRA conversion is right: a real MLX-layout adapter for SmolLM2 (shapes from its GGUF
/// header, rank 8 on the attention projections) converted to GGUF and loaded by the real llama-server.
extension RealServerTests {
@Suite struct LoRAProofTests {
    static let greedy = GenerateOptions(maxTokens: 24, temperature: 0, topK: 1, seed: 1)
    static let prompt = "The capital of France is"

    /// Writes an MLX adapter (`adapters.safetensors` + `adapter_config.json`) into `directory`.
    static func writeMLXAdapter(directory: URL, base: GGUFFile, zeroB: Bool) throws -> (weights: String, config: String) {
        let summary = base.summary
        let hidden = try #require(summary.embeddingLength)
        let heads = try #require(summary.headCount)
        let kvHeads = try #require(summary.headCountKV)
        let layers = try #require(summary.blockCount)
        let headDim = hidden / heads
        let rank = 8
        let outputs = ["q_proj": hidden, "k_proj": kvHeads * headDim, "v_proj": kvHeads * headDim, "o_proj": hidden]
        var tensors: [SafetensorsWriter.Tensor] = []
        for layer in 0..<layers {
            for module in ["q_proj", "k_proj", "v_proj", "o_proj"] {
                let path = "model.layers.\(layer).self_attn.\(module)"
                tensors.append(.init(name: "\(path).lora_a", dtype: .f32, shape: [UInt64(hidden), UInt64(rank)]))
                tensors.append(.init(name: "\(path).lora_b", dtype: .f32, shape: [UInt64(rank), UInt64(outputs[module]!)]))
            }
        }
        let weights = directory.appendingPathComponent("adapters.safetensors").path
        let writer = try SafetensorsWriter(path: weights, tensors: tensors)
        var generator = SplitMix(seed: 7)
        for tensor in writer.tensors {
            let count = Int(tensor.shape.reduce(1, *))
            let isB = tensor.name.hasSuffix("lora_b")
            let values: [Float] = (0..<count).map { _ in
                isB && zeroB ? 0 : Float(generator.nextUnit() - 0.5) * (isB ? 0.2 : 0.1)
            }
            try values.withUnsafeBytes { try writer.write($0) }
        }
        try writer.finish()
        let config = directory.appendingPathComponent("adapter_config.json").path
        try Data(#"{"num_layers": \#(layers), "lora_parameters": {"rank": 8, "scale": 20.0, "dropout": 0.0}}"#.utf8)
            .write(to: URL(fileURLWithPath: config))
        return (weights, config)
    }

    @Test func ggufLoRALoadsInLlamaServerAndBehavesAsItsWeightsSay() async throws {
        let (_, modelPath) = try RealComponents.requireServerAndModel()
        let base = try GGUFFile.read(path: modelPath)
        let directory = try RealComponents.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        let baseModel = try await SharedModel.shared.get()
        let baseline = try await baseModel.generate(Self.prompt, options: Self.greedy).text()

        var outputs: [Bool: String] = [:]
        for zeroB in [true, false] {
            let subdirectory = directory.appendingPathComponent(zeroB ? "zero" : "random")
            try FileManager.default.createDirectory(at: subdirectory, withIntermediateDirectories: true)
            let (weights, config) = try Self.writeMLXAdapter(directory: subdirectory, base: base, zeroB: zeroB)
            let output = subdirectory.appendingPathComponent("adapter.gguf").path
            let result = try MLXLoRAAdapter(weightsPath: weights, configPath: config)
                .convertToGGUF(outputPath: output, options: GGUFLoRAOptions(baseModelPath: modelPath))
            #expect(result.architecture == "llama")
            #expect(result.tensorCount == 30 * 4 * 2)
            #expect(result.checkedAgainstBase)

            let model = try await LlamaServerModel(
                modelPath: modelPath,
                settings: LlamaServerSettings(parallelSlots: 1, loraAdapters: [output])
            )
            defer { Task { await model.close() } }
            // The server reports the adapter it loaded.
            let process = try #require(model.process)
            let adapters = try await Self.loraAdapters(baseURL: process.baseURL)
            #expect(adapters.contains { ($0["path"] as? String) == output }, "llama-server did not load \(output): \(adapters)")
            outputs[zeroB] = try await model.generate(Self.prompt, options: Self.greedy).text()
            await model.close()
        }
        #expect(outputs[true] == baseline, "B = 0 must not change the greedy output")
        #expect(outputs[false] != baseline, "a non-zero B must change the greedy output")
    }

    @Test func peftOutputReadsBackWithTheSafetensorsPythonPackage() async throws {
        let (_, modelPath) = try RealComponents.requireServerAndModel()
        let python = (RealComponents.paths.home as NSString).appendingPathComponent("venv/bin/python")
        try RealComponents.requireExecutable(python, "the setup's Python environment")
        let directory = try RealComponents.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (weights, config) = try Self.writeMLXAdapter(directory: directory, base: try GGUFFile.read(path: modelPath), zeroB: false)
        let out = directory.appendingPathComponent("peft")
        let result = try MLXLoRAAdapter(weightsPath: weights, configPath: config)
            .convertToPEFT(outputDirectory: out.path, options: PEFTConversionOptions(baseModelNameOrPath: "HuggingFaceTB/SmolLM2-135M-Instruct"))
        #expect(result.rank == 8)
        #expect(result.alpha == 160)
        // The reference implementation reads both files back and checks names, shapes and transposed values.
        let script = """
        import json, sys
        from safetensors.numpy import load_file
        mlx = load_file(sys.argv[1]); peft = load_file(sys.argv[2]); config = json.load(open(sys.argv[3]))
        assert config["r"] == 8 and config["lora_alpha"] == 160 and config["peft_type"] == "LORA", config
        assert sorted(config["target_modules"]) == ["k_proj", "o_proj", "q_proj", "v_proj"], config
        assert len(peft) == len(mlx) == 240, (len(peft), len(mlx))
        for name, a in mlx.items():
            path, kind = name.rsplit(".", 1)
            key = "base_model.model." + path + (".lora_A.weight" if kind == "lora_a" else ".lora_B.weight")
            assert key in peft, key
            assert peft[key].shape == a.T.shape, (key, peft[key].shape, a.shape)
            assert (peft[key] == a.T).all(), key
        print("ok")
        """
        let (status, output) = try await RealComponents.run(python, ["-c", script, weights, result.weightsPath, result.configPath])
        #expect(status == 0, "\(output)")
        #expect(output.contains("ok"))
    }

    static func loraAdapters(baseURL: String) async throws -> [[String: Any]] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/lora-adapters")!)
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }
}
}

/// Deterministic pseudo-random numbers for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
