import Foundation
@testable import ModelFormats
import Testing

@Suite struct MLXToPEFTTests {
    @Test(arguments: [SafetensorsDType.f32, .f16, .bf16])
    func convertsNamesShapesValuesAndConfig(_ dtype: SafetensorsDType) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let fixture = try MLXAdapterFixture(directory: dir.file("mlx"), modules: MLXAdapterFixture.attention, dtype: dtype)
        let adapter = try MLXLoRAAdapter(directory: fixture.directory)
        #expect(adapter.rank == 4)
        #expect(adapter.scale == 2.5)
        #expect(adapter.targetModules == ["k_proj", "q_proj", "v_proj"])
        #expect(adapter.layers == [0, 1])

        let result = try adapter.convertToPEFT(outputDirectory: dir.file("peft"))
        #expect(result.tensorCount == 12)
        #expect(result.alpha == 10)

        let reader = try SafetensorsReader(path: result.weightsPath)
        #expect(reader.file.metadata["format"] == "pt")
        #expect(reader.file.tensors.count == 12)
        for module in MLXAdapterFixture.attention {
            let a = try #require(reader.file.tensor(named: "base_model.model.\(module.path).lora_A.weight"))
            let b = try #require(reader.file.tensor(named: "base_model.model.\(module.path).lora_B.weight"))
            #expect(a.shape == [4, UInt64(module.inFeatures)], "lora_A is [rank, in]")
            #expect(b.shape == [UInt64(module.outFeatures), 4], "lora_B is [out, rank]")
            #expect(a.dtype == dtype && b.dtype == dtype)
            let aValues = try reader.data(of: a).floats(dtype)
            let bValues = try reader.data(of: b).floats(dtype)
            for r in 0..<4 {
                for i in 0..<module.inFeatures {
                    #expect(aValues[r * module.inFeatures + i] == fixture.mlx(module.path + ".lora_a", i, r, columns: 4))
                }
                for o in 0..<module.outFeatures {
                    #expect(bValues[o * 4 + r] == fixture.mlx(module.path + ".lora_b", r, o, columns: module.outFeatures))
                }
            }
        }
        // Specific elements, spelled out: PEFT A[1][5] = MLX a[5][1]; PEFT B[3][2] = MLX b[2][3].
        let q = "model.layers.0.self_attn.q_proj"
        let a = try reader.data(of: reader.file.tensor(named: "base_model.model.\(q).lora_A.weight")!).floats(dtype)
        let b = try reader.data(of: reader.file.tensor(named: "base_model.model.\(q).lora_B.weight")!).floats(dtype)
        #expect(a[1 * 8 + 5] == fixture.values[q + ".lora_a"]![5 * 4 + 1])
        #expect(b[3 * 4 + 2] == fixture.values[q + ".lora_b"]![2 * 8 + 3])

        let config = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: result.configPath))) as? [String: Any])
        #expect(config["peft_type"] as? String == "LORA")
        #expect(config["r"] as? Int == 4)
        #expect(config["lora_alpha"] as? Double == 10)
        #expect(config["lora_dropout"] as? Double == 0.05)
        #expect(config["target_modules"] as? [String] == ["k_proj", "q_proj", "v_proj"])
        #expect(config["layers_to_transform"] as? [Int] == [0, 1])
        #expect(config["base_model_name_or_path"] as? String == "org/base-model")
        #expect(config["task_type"] as? String == "CAUSAL_LM")
        #expect(config["bias"] as? String == "none")
        #expect(config["fan_in_fan_out"] as? Bool == false)
    }

    @Test func missingRankAndScaleUseMLXDefaults() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let modules = [MLXAdapterFixture.Module(path: "model.layers.3.mlp.down_proj", inFeatures: 16, outFeatures: 8)]
        let fixture = try MLXAdapterFixture(directory: dir.file("mlx"), modules: modules, rank: 8, config: #"{"lora_parameters": {}, "model": "m"}"#)
        let result = try MLXLoRAAdapter(directory: fixture.directory).convertToPEFT(outputDirectory: dir.file("peft"))
        #expect(result.rank == 8)
        #expect(result.alpha == 160, "scale 20 × rank 8")
        let config = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: result.configPath))) as? [String: Any])
        #expect(config["r"] as? Int == 8)
        #expect(config["lora_alpha"] as? Double == 160)
        #expect(config["lora_dropout"] as? Double == 0)
        #expect(config["target_modules"] as? [String] == ["down_proj"])
        #expect(config["layers_to_transform"] as? [Int] == [3])
    }

    @Test func adapterNameInKeysIsOptional() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let fixture = try MLXAdapterFixture(directory: dir.file("mlx"), modules: Array(MLXAdapterFixture.attention.prefix(1)))
        let result = try MLXLoRAAdapter(directory: fixture.directory)
            .convertToPEFT(outputDirectory: dir.file("peft"), options: PEFTConversionOptions(baseModelNameOrPath: "other", adapterNameInKeys: "default"))
        let file = try SafetensorsFile.read(path: result.weightsPath)
        #expect(file.tensors.map(\.name).sorted() == [
            "base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight",
            "base_model.model.model.layers.0.self_attn.q_proj.lora_B.default.weight",
        ])
    }

    @Test func invalidAdaptersAreClearErrors() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let modules = Array(MLXAdapterFixture.attention.prefix(1))
        // The config's rank disagrees with the tensors.
        var fixture = try MLXAdapterFixture(directory: dir.file("a"), modules: modules, rank: 2)
        #expect(errorCode { _ = try MLXLoRAAdapter(directory: fixture.directory) } == .mismatch)
        // lora_a without lora_b.
        fixture = try MLXAdapterFixture(directory: dir.file("b"), modules: [], extraTensors: [
            (.init(name: "model.layers.0.self_attn.q_proj.lora_a", dtype: .f32, shape: [8, 4]), [UInt8](repeating: 0, count: 128)),
        ])
        #expect(errorCode { _ = try MLXLoRAAdapter(directory: fixture.directory) } == .malformed)
        // A DoRA magnitude vector.
        fixture = try MLXAdapterFixture(directory: dir.file("c"), modules: modules, extraTensors: [
            (.init(name: "model.layers.0.self_attn.q_proj.m", dtype: .f32, shape: [8]), [UInt8](repeating: 0, count: 32)),
        ])
        #expect(errorCode { _ = try MLXLoRAAdapter(directory: fixture.directory) } == .unsupported)
        // DoRA declared in the config.
        fixture = try MLXAdapterFixture(directory: dir.file("d"), modules: modules, config: #"{"fine_tune_type": "dora", "lora_parameters": {"rank": 4}}"#)
        #expect(errorCode { _ = try MLXLoRAAdapter(directory: fixture.directory) } == .unsupported)
        // Integer weights.
        fixture = try MLXAdapterFixture(directory: dir.file("e"), modules: [], extraTensors: [
            (.init(name: "x.lora_a", dtype: .i32, shape: [8, 4]), [UInt8](repeating: 0, count: 128)),
            (.init(name: "x.lora_b", dtype: .i32, shape: [4, 8]), [UInt8](repeating: 0, count: 128)),
        ])
        #expect(errorCode { _ = try MLXLoRAAdapter(directory: fixture.directory) } == .unsupported)
        // Matrices that do not chain.
        fixture = try MLXAdapterFixture(directory: dir.file("f"), modules: [], config: nil, extraTensors: [
            (.init(name: "x.lora_a", dtype: .f32, shape: [8, 4]), [UInt8](repeating: 0, count: 128)),
            (.init(name: "x.lora_b", dtype: .f32, shape: [2, 16]), [UInt8](repeating: 0, count: 128)),
        ])
        #expect(errorCode { _ = try MLXLoRAAdapter(weightsPath: fixture.directory + "/adapters.safetensors", configPath: nil) } == .mismatch)
        // No config file in the directory.
        #expect(errorCode { _ = try MLXLoRAAdapter(directory: fixture.directory) } == .io)
        // Malformed config JSON.
        fixture = try MLXAdapterFixture(directory: dir.file("g"), modules: modules, config: #"{"lora_parameters": {"rank": "eight"}}"#)
        #expect(errorCode { _ = try MLXLoRAAdapter(directory: fixture.directory) } == .malformed)
    }
}
