import Agent
import Evaluation
import Foundation
import Inference
import InferenceTesting
import LlamaServer
import Logging
import ModelFormats
import Testing
import Transport
import LocalModels

/// The real evaluator on its failure paths: whatever goes wrong — a copy, the conversion, the server start, or the
/// evaluation being cancelled mid-probes — the error names the step, and nothing is left behind: no files in the work
/// directory and no llama-server. Uses the real llama-server and default model from `scripts/setup` (missing
/// components fail, never skip). The judge is a fake: these checkpoints never get as far as judging.
@Suite(.serialized) struct CheckpointEvaluatorTests {
    struct Fixture {
        let root: URL
        var work: String { root.appendingPathComponent("work").path }
        var run: URL { root.appendingPathComponent("adapters/smollm2-135m-lek") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("evaluator-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }

        /// A checkpoint of this fixture's run at `iteration` (the file need not exist).
        func checkpoint(_ iteration: Int) -> Checkpoint {
            let name = String(format: "%07d_adapters.safetensors", iteration)
            return Checkpoint(
                directory: run.path, dirname: "smollm2-135m-lek", adapterFile: run.appendingPathComponent(name).path,
                configFile: run.appendingPathComponent("adapter_config.json").path, iteration: iteration,
                family: ModelFamily(prefix: "smollm2-135m", tag: "HuggingFaceTB/SmolLM2-135M-Instruct", short: "S135-lek"),
                label: "S135-lek @\(String(format: "%07d", iteration))", runID: "smollm2-135m-lek-capability-auto")
        }

        /// A valid MLX adapter for the default model (rank 8 on q/k/v/o, shapes from its GGUF header).
        func writeAdapter(_ iteration: Int, model: String) throws {
            let summary = try GGUFFile.read(path: model).summary
            let hidden = try #require(summary.embeddingLength)
            let headDim = hidden / (try #require(summary.headCount))
            let kv = (try #require(summary.headCountKV)) * headDim
            let layers = try #require(summary.blockCount)
            let outputs = ["q_proj": hidden, "k_proj": kv, "v_proj": kv, "o_proj": hidden]
            var tensors: [(SafetensorsWriter.Tensor, [UInt8])] = []
            for layer in 0..<layers {
                for module in ["q_proj", "k_proj", "v_proj", "o_proj"] {
                    let path = "model.layers.\(layer).self_attn.\(module)"
                    tensors.append((.init(name: "\(path).lora_a", dtype: .f32, shape: [UInt64(hidden), 8]),
                                    [UInt8](repeating: 0, count: hidden * 8 * 4)))
                    tensors.append((.init(name: "\(path).lora_b", dtype: .f32, shape: [8, UInt64(outputs[module]!)]),
                                    [UInt8](repeating: 0, count: 8 * outputs[module]! * 4)))
                }
            }
            try SafetensorsWriter.write(path: checkpoint(iteration).adapterFile, tensors: tensors)
            try writeConfig(layers: layers)
        }

        func writeConfig(layers: Int = 30) throws {
            try Data(#"{"num_layers": \#(layers), "lora_parameters": {"rank": 8, "scale": 2.0, "dropout": 0.0}}"#.utf8)
                .write(to: run.appendingPathComponent("adapter_config.json"))
        }

        func evaluator(baseModel: String) -> CheckpointEvaluator {
            var logger = Logger(label: "evaluator-tests")
            logger.logLevel = .critical
            let fakeJudge = Judge(model: ScriptedModel(tokens: ["{}"]), constrained: false)
            return CheckpointEvaluator(
                baseModelPath: baseModel, serverSettings: LlamaServerSettings(parallelSlots: 1),
                workDirectory: work, judge: AgentJudge(fakeJudge), answerOptions: GenerateOptions(maxTokens: 48, temperature: 0, seed: 1),
                concurrency: 1, logger: logger)
        }

        /// What the work directory still holds.
        var leftovers: [String] { (try? FileManager.default.subpathsOfDirectory(atPath: work)) ?? [] }

        /// Live processes whose command line mentions this fixture's directory (a llama-server given an adapter
        /// from the work directory would).
        var processesUsingFixture: [String] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { pid -> String? in
                guard Int32(pid) != nil, Int32(pid) != getpid(),
                      let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty
                else { return nil }
                let commandLine = String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
                guard commandLine.contains(root.path) else { return nil }
                let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
                return status.contains("State:\tZ") ? nil : "\(pid): \(commandLine)"
            }
        }

        /// Waits up to `within` for every process using the fixture to be gone.
        func noProcessesLeft(within: Duration = .seconds(10)) async -> Bool {
            let end = ContinuousClock.now + within
            while ContinuousClock.now < end {
                if processesUsingFixture.isEmpty { return true }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return processesUsingFixture.isEmpty
        }
    }

    static func requireModel() throws -> String {
        let paths = MLPaths()
        guard FileManager.default.isExecutableFile(atPath: paths.llamaServer) else {
            throw InferenceError(.backendNotAvailable, "llama-server missing at \(paths.llamaServer): run scripts/setup")
        }
        guard FileManager.default.isReadableFile(atPath: paths.defaultModel) else {
            throw InferenceError(.modelNotFound, "default model missing at \(paths.defaultModel): run scripts/setup")
        }
        return paths.defaultModel
    }

    /// Runs an evaluation expected to fail with an `AgentError`, and returns it.
    static func failure(_ evaluator: CheckpointEvaluator, _ checkpoint: Checkpoint) async throws -> AgentError {
        try await #require(throws: AgentError.self) { try await evaluator.evaluate(checkpoint, via: LocalTransport()) }
    }

    @Test func aMissingAdapterFileIsACopyErrorNamingTheFile() async throws {
        let model = try Self.requireModel()
        let fixture = try Fixture()
        defer { fixture.remove() }
        try fixture.writeConfig()
        let error = try await Self.failure(fixture.evaluator(baseModel: model), fixture.checkpoint(100))
        #expect(error.code == .copy)
        #expect(error.message.contains("0000100_adapters.safetensors"))
        #expect(fixture.leftovers.isEmpty, "left in the work directory: \(fixture.leftovers)")
    }

    @Test func aMissingConfigIsACopyErrorNamingTheConfig() async throws {
        let model = try Self.requireModel()
        let fixture = try Fixture()
        defer { fixture.remove() }
        try fixture.writeAdapter(100, model: model)
        try FileManager.default.removeItem(atPath: fixture.checkpoint(100).configFile)
        let error = try await Self.failure(fixture.evaluator(baseModel: model), fixture.checkpoint(100))
        #expect(error.code == .copy)
        #expect(error.message.contains("adapter_config.json"))
        #expect(fixture.leftovers.isEmpty, "left in the work directory: \(fixture.leftovers)")
    }

    @Test func aCorruptAdapterIsAConversionErrorAndLeavesNothing() async throws {
        let model = try Self.requireModel()
        let fixture = try Fixture()
        defer { fixture.remove() }
        try fixture.writeConfig()
        // A safetensors header that promises more than the file holds.
        var garbage = Data([0x40, 0, 0, 0, 0, 0, 0, 0])
        garbage.append(Data(#"{"a.lora_a":{"dtype":"F32","shape":[1024,8],"data_offsets":[0,32768]}}    "#.utf8))
        try garbage.write(to: URL(fileURLWithPath: fixture.checkpoint(200).adapterFile))
        let error = try await Self.failure(fixture.evaluator(baseModel: model), fixture.checkpoint(200))
        #expect(error.code == .conversion)
        #expect(error.message.contains("0000200_adapters.safetensors"))
        #expect(fixture.leftovers.isEmpty, "left in the work directory: \(fixture.leftovers)")
    }

    @Test func aServerThatDiesAtStartIsAServerErrorAndLeavesNothing() async throws {
        let model = try Self.requireModel()
        let fixture = try Fixture()
        defer { fixture.remove() }
        try fixture.writeAdapter(300, model: model)
        // A "llama-server" that exits at once with status 1: the adapter is converted, then the start fails.
        var evaluator = fixture.evaluator(baseModel: model)
        evaluator.serverSettings.executable = "/bin/false"
        let error = try await Self.failure(evaluator, fixture.checkpoint(300))
        #expect(error.code == .server, "\(error)")
        #expect(error.message.contains("S135-lek @0000300"), "\(error)")
        #expect(fixture.leftovers.isEmpty, "left in the work directory: \(fixture.leftovers)")
    }

    @Test func cancellingMidProbesStopsTheServerAndRemovesTheFiles() async throws {
        let model = try Self.requireModel()
        let fixture = try Fixture()
        defer { fixture.remove() }
        try fixture.writeAdapter(400, model: model)
        let evaluator = fixture.evaluator(baseModel: model)
        let firstProbe = AsyncStream<Void>.makeStream()
        let task = Task {
            try await evaluator.evaluate(fixture.checkpoint(400), via: LocalTransport()) { _ in
                firstProbe.continuation.yield()
            }
        }
        // Wait for the first probe answer: by then the converted adapter is in the work directory and a llama-server
        // has it loaded.
        var iterator = firstProbe.stream.makeAsyncIterator()
        _ = await iterator.next()
        #expect(!fixture.leftovers.isEmpty, "the converted adapter should exist while the server runs")
        #expect(!fixture.processesUsingFixture.isEmpty, "a llama-server should be running with the adapter")

        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(fixture.leftovers.isEmpty, "left in the work directory: \(fixture.leftovers)")
        #expect(await fixture.noProcessesLeft(), "still running: \(fixture.processesUsingFixture)")
    }
}
