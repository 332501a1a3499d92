import Inference
import InferenceTesting
import Synchronization
import Testing

@Suite struct GenerationTests {
    @Test func tokensThenErrorIsThrownFromTheStream() async throws {
        let generation = Generation.start { sink in
            try sink.yield(Token(id: 1, text: "a"))
            try sink.yield(Token(id: 2, text: "b"))
            throw InferenceError(.serverError, "boom")
        }
        var texts: [String] = []
        await #expect(throws: InferenceError.self) {
            for try await token in generation { texts.append(token.text) }
        }
        #expect(texts == ["a", "b"])
        let summary = await generation.finished()
        #expect(summary.finishReason == .error)
        #expect((summary.error as? InferenceError)?.message == "boom")
        #expect(summary.metrics.generatedTokens == 2)
    }

    @Test func breakingOutCancelsTheProducer() async throws {
        let produced = Mutex(0)
        let generation = Generation.start { sink in
            while true {
                try sink.yield(Token(text: "t"))
                produced.withLock { $0 += 1 }
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        for try await _ in generation { break }
        let summary = await generation.finished()
        #expect(summary.finishReason == .cancelled)
        let count = produced.withLock { $0 }
        try await Task.sleep(for: .milliseconds(20))
        #expect(produced.withLock({ $0 }) == count, "the producer kept running after it was awaited")
    }

    @Test func outcomeAndMetricsAreKeptPerGeneration() async throws {
        func make(_ n: Int) -> Generation {
            Generation.start { sink in
                for i in 0..<n { try sink.yield(Token(id: i, text: "\(i)")) }
                return GenerationOutcome(finishReason: .length, metrics: GenerateMetrics(generatedTokens: n, totalDuration: 1))
            }
        }
        let a = make(3)
        let b = make(5)
        async let ta = a.text()
        async let tb = b.text()
        #expect(try await ta == "012")
        #expect(try await tb == "01234")
        #expect(await a.finished().metrics.generatedTokens == 3)
        #expect(await b.finished().metrics.generatedTokens == 5)
        #expect(a.summary?.finishReason == .length)
    }

    @Test func metricsDerivedValues() {
        let metrics = GenerateMetrics(promptTokens: 10, generatedTokens: 50, prefillDuration: 0.5, decodeDuration: 2, totalDuration: 2.5)
        #expect(metrics.tokensPerSecond == 25)
        #expect(metrics.prefillTokensPerSecond == 20)
        #expect(GenerateMetrics().tokensPerSecond == 0)
    }
}
