import Foundation
import HTTPStreaming
import Inference
import InferenceTesting
import ManagedServer
import OpenAIBackend
import Testing

@testable import MLXServer

extension RealMLXServerTests {
    /// The backend against the real mlx_lm.server on the tiny model.
    @Suite struct MLXServerModelTests {
        static let configuration = TextModelConformance.Configuration(
            makeModel: { try await SharedMLXModel.shared.get() },
            // Prompts the tiny random model answers with different, multi-character texts.
            prompts: ("The quick brown fox", "Once upon a time"),
            deterministic: true,
            // Batched decoding is not bit-identical to a lone one; the check asserts separation instead.
            deterministicWhenConcurrent: false,
            closesModels: false,
            cancellationDeadline: .seconds(2)
        )

        @Test(arguments: TextModelConformance.checks)
        func conformance(_ check: TextModelConformance.Check) async throws {
            try await check.run(Self.configuration)
        }

        @Test func memoryLimitsReachTheServer() async throws {
            let model = try await SharedMLXModel.shared.get()
            let limits = try #require(model.process?.appliedLimits)
            #expect(limits["cache"] == String(SharedMLXModel.cacheLimit))
            #expect(limits["memory"] == String(SharedMLXModel.memoryLimit))
            #if os(Linux)
            #expect(limits["wired"] == "unset")
            #endif
        }

        #if os(Linux)
        @Test func openBLASIsPreloadedWhereInstalled() async throws {
            let model = try await SharedMLXModel.shared.get()
            let process = try #require(model.process)
            // /proc files report size 0: read to the end rather than by size.
            let handle = try #require(FileHandle(forReadingAtPath: "/proc/\(process.pid)/maps"))
            let maps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
            if FileManager.default.fileExists(atPath: MLXServerSettings.debianOpenBLAS) {
                #expect(process.settings.preloadOpenBLAS)
                #expect(maps.contains("openblas-pthread/libopenblas"))
            } else {
                #expect(!maps.contains("openblas-pthread/libopenblas"))
            }
        }
        #endif

        @Test func modelsEndpointListsTheModel() async throws {
            // mlx_lm.server answers /v1/models with an empty body unless a Hugging Face cache exists: we give it one.
            let model = try await SharedMLXModel.shared.get()
            let process = try #require(model.process)
            let client = StreamingHTTPClient(baseURL: process.baseURL)
            defer { Task { await client.shutdown() } }
            let models = try await client.models()
            #expect(models.contains { $0.id.hasSuffix("tiny-mlx-llama-v2") })
        }

        @Test func usageIsReported() async throws {
            let model = try await SharedMLXModel.shared.get()
            let generation = model.generate("The quick brown fox", options: GenerateOptions(maxTokens: 5, temperature: 0))
            _ = try await generation.text()
            let summary = await generation.finished()
            #expect(summary.metrics.promptTokens > 0)
            #expect(summary.metrics.generatedTokens == 5)
        }

        @Test func stopInsideATokenEndsTheGeneration() async throws {
            let model = try await SharedMLXModel.shared.get()
            let full = try await model.generate("The quick brown fox", options: GenerateOptions(maxTokens: 24, temperature: 0))
                .text()
            // One character from the middle: mostly inside a token, where the server itself would not stop.
            let scalars = Array(full.unicodeScalars)
            try #require(scalars.count >= 6, "reference output too short: \(full.debugDescription)")
            let stop = String(scalars[scalars.count / 2])
            let generation = model.generate(
                "The quick brown fox",
                options: GenerateOptions(maxTokens: 24, temperature: 0, stop: [stop])
            )
            let text = try await generation.text()
            #expect(text == full.components(separatedBy: stop).first)
            #expect(await generation.finished().finishReason == .stop)
        }

        @Test func chatUsesTheModelsTemplate() async throws {
            let model = try await SharedMLXModel.shared.get()
            let generation = model.chat([.user("Hello")], options: GenerateOptions(maxTokens: 4, temperature: 0))
            _ = try await generation.text()
            let summary = await generation.finished()
            // "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n" is more tokens than "Hello" alone.
            #expect(summary.metrics.promptTokens > 4)
        }

        @Test func killedServerFailsTheGenerationWithinASecondAndLeavesNoProcess() async throws {
            let path = try await MLXComponents.requireTinyModel()
            let model = try await MLXServerModel(
                modelPath: path,
                settings: MLXServerSettings(parallelSlots: 1, restartAfterCrash: false)
            )
            let process = try #require(model.process)
            let generation = model.generate("The quick brown fox", options: GenerateOptions(maxTokens: 2000, temperature: 0))
            var iterator = generation.makeAsyncIterator()
            _ = try await iterator.next()
            let killed = ContinuousClock.now
            kill(process.pid, SIGKILL)
            var failure: (any Error)?
            do {
                while try await iterator.next() != nil {}
            } catch {
                failure = error
            }
            let elapsed = ContinuousClock.now - killed
            let error = try #require(failure as? InferenceError, "the generation ended without an error")
            #expect(elapsed < .seconds(1), "the error took \(elapsed)")
            #expect(error.message.contains("mlx_lm.server") && error.message.contains("exited"), "\(error.message)")
            #expect(await generation.finished().finishReason == .error)
            #expect(await RealComponents.waitUntilDead(process.pid, within: .seconds(2)))
            await model.close()
        }
    }
}
