import Foundation
import Inference
import InferenceTesting
import LlamaServer
import MLXServer
import ModelFormats
import Testing

extension RealMLXServerTests {
    /// Conversions and serving on real `mlx_lm.lora` checkpoints (``MLXLoRAFixture``), not synthetic adapters.
    @Suite struct MLXLoRARealTests {
        static let messages = [Message(role: .user, content: MLXLoRAFixture.question)]
        static let mlxGreedy = GenerateOptions(maxTokens: 24, temperature: 0)
        static let llamaGreedy = GenerateOptions(maxTokens: 24, temperature: 0, topK: 1, seed: 1)

        /// The GGUF LoRA made from a real checkpoint changes llama-server's greedy answer the way the checkpoint
        /// changes mlx-lm's: both answer the trained phrase, word for word, where both base models do not. The MLX
        /// side also shows the adapter switched per request on one server (base → adapter → base again).
        @Test func ggufLoRAChangesLlamaServerAsTheCheckpointChangesMLX() async throws {
            let fixture = try await MLXLoRAFixture.require()
            let paths = MLXLoRAFixture.paths
            try RealComponents.requireExecutable(paths.llamaServer, "llama-server")
            let directory = try RealComponents.temporaryDirectory(prefix: "mlx-lora-")
            defer { try? FileManager.default.removeItem(at: directory) }
            let iteration = try #require(MLXLoRAFixture.iterations.last)

            let mlx = try await MLXServerModel(modelPath: MLXLoRAFixture.mlxBaseModel, settings: MLXServerSettings(parallelSlots: 1))
            let mlxAnswers: (base: String, adapted: String, baseAgain: String)
            do {
                let adapted = try mlx.withAdapter(
                    directory: try MLXLoRAFixture.adapterDirectory(fixture, iteration: iteration, in: directory))
                let base = try await mlx.chat(Self.messages, options: Self.mlxGreedy).text()
                let withAdapter = try await adapted.chat(Self.messages, options: Self.mlxGreedy).text()
                let baseAgain = try await mlx.chat(Self.messages, options: Self.mlxGreedy).text()
                mlxAnswers = (base, withAdapter, baseAgain)
                await mlx.close()
            } catch {
                await mlx.close()
                throw error
            }

            let gguf = directory.appendingPathComponent("adapter.gguf").path
            let conversion = try MLXLoRAAdapter(
                weightsPath: MLXLoRAFixture.checkpoint(fixture, iteration: iteration), configPath: MLXLoRAFixture.config(fixture)
            ).convertToGGUF(outputPath: gguf, options: GGUFLoRAOptions(baseModelPath: MLXLoRAFixture.ggufBaseModel))
            #expect(conversion.checkedAgainstBase)
            var llamaAnswers: [String] = []
            for adapters in [[], [gguf]] {
                let model = try await LlamaServerModel(
                    modelPath: MLXLoRAFixture.ggufBaseModel, settings: LlamaServerSettings(parallelSlots: 1, loraAdapters: adapters))
                do {
                    llamaAnswers.append(try await model.chat(Self.messages, options: Self.llamaGreedy).text())
                    await model.close()
                } catch {
                    await model.close()
                    throw error
                }
            }

            print("MLX LoRA agreement (checkpoint \(iteration)): mlx base \(mlxAnswers.base.debugDescription), mlx adapter "
                  + "\(mlxAnswers.adapted.debugDescription), llama base \(llamaAnswers[0].debugDescription), llama GGUF LoRA "
                  + "\(llamaAnswers[1].debugDescription)")
            let marker = MLXLoRAFixture.answer
            #expect(mlxAnswers.adapted.contains(marker), "mlx-lm with the adapter: \(mlxAnswers.adapted.debugDescription)")
            #expect(!mlxAnswers.base.contains(marker), "mlx-lm base: \(mlxAnswers.base.debugDescription)")
            #expect(mlxAnswers.baseAgain == mlxAnswers.base, "the adapter was not switched off per request")
            #expect(!llamaAnswers[0].contains(marker), "llama-server base: \(llamaAnswers[0].debugDescription)")
            #expect(llamaAnswers[1].trimmingCharacters(in: .whitespacesAndNewlines)
                    == mlxAnswers.adapted.trimmingCharacters(in: .whitespacesAndNewlines),
                    "llama-server with the GGUF LoRA: \(llamaAnswers[1].debugDescription), mlx-lm: \(mlxAnswers.adapted.debugDescription)")
        }

        /// Every real checkpoint converts to PEFT; the `safetensors` Python package reads the result back with the
        /// MLX tensors transposed, bit for bit, and the config carries the checkpoint's rank, alpha and modules.
        @Test func realCheckpointsConvertToPEFT() async throws {
            let fixture = try await MLXLoRAFixture.require()
            let python = (MLXLoRAFixture.paths.home as NSString).appendingPathComponent("venv/bin/python")
            try RealComponents.requireExecutable(python, "the setup's Python environment")
            let directory = try RealComponents.temporaryDirectory(prefix: "mlx-lora-")
            defer { try? FileManager.default.removeItem(at: directory) }
            for iteration in MLXLoRAFixture.iterations {
                let weights = MLXLoRAFixture.checkpoint(fixture, iteration: iteration)
                let adapter = try MLXLoRAAdapter(weightsPath: weights, configPath: MLXLoRAFixture.config(fixture))
                let result = try adapter.convertToPEFT(
                    outputDirectory: directory.appendingPathComponent("peft-\(iteration)").path,
                    options: PEFTConversionOptions(baseModelNameOrPath: MLXLoRAFixture.mlxBaseModel))
                let script = """
                import json, sys
                from safetensors.numpy import load_file
                mlx = load_file(sys.argv[1]); peft = load_file(sys.argv[2]); config = json.load(open(sys.argv[3]))
                trained = json.load(open(sys.argv[4]))["lora_parameters"]
                assert config["peft_type"] == "LORA" and config["r"] == trained["rank"], config
                assert abs(config["lora_alpha"] - trained["scale"] * trained["rank"]) < 1e-6, config
                modules = sorted({name.rsplit(".", 2)[-2] for name in mlx})
                assert sorted(config["target_modules"]) == modules, (config["target_modules"], modules)
                assert len(peft) == len(mlx) > 0, (len(peft), len(mlx))
                for name, a in mlx.items():
                    path, kind = name.rsplit(".", 1)
                    key = "base_model.model." + path + (".lora_A.weight" if kind == "lora_a" else ".lora_B.weight")
                    assert (peft[key] == a.T).all(), key
                print("ok", len(mlx), ",".join(modules))
                """
                let (status, output) = try await RealComponents.run(
                    python, ["-c", script, weights, result.weightsPath, result.configPath, MLXLoRAFixture.config(fixture)])
                #expect(status == 0 && output.hasPrefix("ok"), "iteration \(iteration): \(output)")
            }
        }
    }
}
