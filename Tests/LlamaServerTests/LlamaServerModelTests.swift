import Foundation
import Inference
import InferenceTesting
import LlamaServer
import Testing
import Locking

/// The managed llama-server backend with the real server and the real SmolLM2 model.
extension RealServerTests {
@Suite struct LlamaServerModelTests {
    static let greedy = GenerateOptions(maxTokens: 16, temperature: 0, topK: 1, seed: 1)

    @Test func generateStreamsTokensWithRealIdsAndMetrics() async throws {
        let model = try await SharedModel.shared.get()
        let generation = model.generate("The capital of France is", options: Self.greedy)
        var tokens: [Token] = []
        for try await token in generation { tokens.append(token) }
        let summary = await generation.finished()
        #expect(!tokens.isEmpty)
        #expect(tokens.allSatisfy { $0.id != nil }, "llama-server's /completion gives real token ids")
        #expect(summary.metrics.generatedTokens == tokens.count)
        #expect(summary.metrics.promptTokens > 0)
        #expect((summary.metrics.decodeDuration ?? 0) > 0)
        #expect(model.capacity == 2)
        #expect(model.info.id == "SmolLM2-135M-Instruct.Q4_1.gguf")
        // Model info comes from our own GGUF reader.
        #expect(model.info.architecture == "llama")
        #expect(model.info.layers == 30)
        #expect(model.info.quantization == "Q4_1")
        #expect(model.modelType == "llama")
    }

    @Test func chatUsesTheModelsTemplate() async throws {
        let model = try await SharedModel.shared.get()
        let text = try await model.chat([.system("Answer in one word."), .user("What colour is the sky?")], options: Self.greedy).text()
        #expect(!text.isEmpty)
        #expect(!text.contains("<|im_start|>"), "the chat template's markers must not leak into the answer")
    }

    @Test func twoConcurrentStreamsOnTwoSlots() async throws {
        let model = try await SharedModel.shared.get()
        async let a = model.generate("The capital of France is", options: Self.greedy).text()
        async let b = model.generate("def fibonacci(n):", options: Self.greedy).text()
        let (first, second) = try await (a, b)
        #expect(!first.isEmpty && !second.isEmpty)
        #expect(first != second)
    }

    @Test(arguments: TextModelConformance.checks)
    func conformance(_ check: TextModelConformance.Check) async throws {
        let configuration = TextModelConformance.Configuration(
            makeModel: { try await SharedModel.shared.get() },
            // Mid-stream failures of the real server are covered by killServerMidStream below.
            makeFailingModel: nil,
            prompts: ("Count from one to twenty: one, two,", "Name the colours of the rainbow:"),
            deterministic: true,
            // llama.cpp: batched and prompt-cached runs may differ from lone ones (see the configuration).
            deterministicWhenConcurrent: false,
            closesModels: false,
            cancellationDeadline: .seconds(2)
        )
        try await check.run(configuration)
    }

    @Test func killServerMidStreamThrowsClearlyAndNextRequestRecovers() async throws {
        let (_, path) = try RealComponents.requireServerAndModel()
        let events = Locked<[String]>([])
        var settings = LlamaServerSettings(parallelSlots: 1)
        settings.onEvent = { event in events.withLock { $0.append(event) } }
        let model = try await LlamaServerModel(modelPath: path, settings: settings)
        defer { Task { await model.close() } }
        let pid = try #require(model.process?.pid)
        // Greedy counting runs to the token limit (checked with curl), so the stream is long.
        let generation = model.generate("Count: 1, 2, 3,", options: GenerateOptions(maxTokens: 2000, temperature: 0))
        var received = 0
        var killedAt: ContinuousClock.Instant?
        do {
            for try await _ in generation {
                received += 1
                if received == 3 {
                    kill(pid, SIGKILL)
                    killedAt = .now
                }
            }
            Issue.record("the stream ended without error after the server was killed (\(received) tokens, \(await generation.finished()))")
        } catch let error as InferenceError {
            #expect(error.message.contains("exited") || error.code == .transport || error.code == .truncated, "\(error)")
            let elapsed = ContinuousClock.now - (killedAt ?? .now)
            #expect(elapsed < .seconds(1), "the error came \(elapsed) after the kill")
        }
        let text = try await model.generate("Hello", options: Self.greedy).text()
        #expect(!text.isEmpty)
        #expect(model.restarts == 1)
        #expect(model.process?.pid != pid)
        // The death and the restart are told (ml serve logs them), naming both processes.
        let told = events.current
        #expect(told.contains { $0.contains("(pid \(pid)) exited with status \(128 + SIGKILL)") }, "\(told)")
        #expect(told.contains { $0.contains("restarted: pid \(model.process?.pid ?? 0) replaces pid \(pid)") }, "\(told)")
    }

    @Test func closeStopsTheServerAndFreesItsPort() async throws {
        let (_, path) = try RealComponents.requireServerAndModel()
        let model = try await LlamaServerModel(modelPath: path)
        let process = try #require(model.process)
        #expect(process.recentLogs().contains { $0.contains("server is listening") || $0.contains("HTTP server") || $0.contains("listening") })
        let started = ContinuousClock.now
        await model.close()
        #expect(ContinuousClock.now - started < .seconds(3), "SIGTERM should be enough")
        #expect(!RealComponents.isAlive(process.pid))
        #expect(process.exitStatus != nil)
        await #expect(throws: InferenceError.self) { try await model.generate("x", options: Self.greedy).text() }
    }
}
}

/// Start-up failures: each must be a clear error, and leave no process behind.
extension RealServerTests {
@Suite struct LlamaProcessStartTests {
    @Test func missingModelFileIsAClearErrorBeforeSpawning() async throws {
        _ = try RealComponents.requireServerAndModel()
        await #expect {
            _ = try await LlamaProcess.start(model: "/nonexistent/model.gguf")
        } throws: { error in
            let error = error as? InferenceError
            return error?.code == .modelNotFound && error!.message.contains("/nonexistent/model.gguf")
        }
    }

    @Test func corruptModelFileReportsExitStatusAndOutput() async throws {
        _ = try RealComponents.requireServerAndModel()
        let directory = try RealComponents.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let corrupt = directory.appendingPathComponent("corrupt.gguf")
        try Data((0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: corrupt)
        await #expect {
            _ = try await LlamaProcess.start(model: corrupt.path)
        } throws: { error in
            let message = (error as? InferenceError)?.message ?? ""
            return message.contains("exited with status") && message.contains("Last output")
        }
    }

    @Test func corruptModelIsRejectedByOurReaderBeforeAnyProcessStarts() async throws {
        _ = try RealComponents.requireServerAndModel()
        let directory = try RealComponents.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let corrupt = directory.appendingPathComponent("corrupt.gguf")
        try Data("GGUF but not really".utf8).write(to: corrupt)
        await #expect {
            _ = try await LlamaServerModel(modelPath: corrupt.path)
        } throws: { error in
            let error = error as? InferenceError
            return error?.code == .invalidModel && error!.message.contains("corrupt.gguf")
        }
    }

    @Test func truncatedModelFileIsAClearError() async throws {
        let (_, model) = try RealComponents.requireServerAndModel()
        let directory = try RealComponents.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let truncated = directory.appendingPathComponent("truncated.gguf")
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: model))
        try handle.read(upToCount: 2 << 20)!.write(to: truncated)
        try handle.close()
        await #expect {
            _ = try await LlamaProcess.start(model: truncated.path)
        } throws: { ($0 as? InferenceError)?.message.contains("exited with status") == true }
    }

    @Test func healthDeadlineTooShortTimesOutAndLeavesNoProcess() async throws {
        let (_, model) = try RealComponents.requireServerAndModel()
        // A marker in the command line identifies this test's server among others running in parallel.
        let marker = "deadline-test-\(UUID().uuidString)"
        await #expect {
            _ = try await LlamaProcess.start(
                model: model,
                settings: LlamaServerSettings(extraArguments: ["--alias", marker], healthDeadline: .milliseconds(1))
            )
        } throws: { ($0 as? InferenceError)?.code == .timeout }
        try await Task.sleep(for: .milliseconds(300))
        let leftovers = Self.llamaServerPids(containing: marker).filter(RealComponents.isAlive)
        #expect(leftovers.isEmpty, "llama-server processes left behind: \(leftovers)")
    }

    @Test func occupiedPortIsNamedInTheError() async throws {
        let (_, model) = try RealComponents.requireServerAndModel()
        let first = try await LlamaProcess.start(model: model)
        defer { Task { await first.stop() } }
        await #expect {
            _ = try await LlamaProcess.start(model: model, settings: LlamaServerSettings(port: first.port))
        } throws: { ($0 as? InferenceError)?.message.contains("port \(first.port)") == true }
    }

    @Test func noOrphanSurvivesItsOwnerBeingKilled() async throws {
        let (_, model) = try RealComponents.requireServerAndModel()
        let probe = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("llama-orphan-probe")
        let candidates = [probe.path, Self.buildDirectory()?.appendingPathComponent("llama-orphan-probe").path].compactMap { $0 }
        let executable = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) }, "llama-orphan-probe not built next to the tests (\(candidates))")
        let owner = Process()
        owner.executableURL = URL(fileURLWithPath: executable)
        owner.arguments = [model]
        let output = Pipe()
        owner.standardOutput = output
        try owner.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let fields = line.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let serverPid = try #require(fields.first, "probe printed \(line.debugDescription)")
        #expect(RealComponents.isAlive(serverPid))
        kill(owner.processIdentifier, SIGKILL)
        owner.waitUntilExit()
        #expect(await RealComponents.waitUntilDead(serverPid, within: .seconds(3)), "llama-server \(serverPid) survived its owner")
    }

    static func llamaServerPids(containing marker: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            return command.contains("llama-server") && command.contains(marker)
        }
    }

    static func buildDirectory() -> URL? {
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        for _ in 0..<6 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("llama-orphan-probe")
            if FileManager.default.fileExists(atPath: candidate.path) { return url }
        }
        return nil
    }
}
}
