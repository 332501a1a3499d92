import Evaluation
import Foundation
import HTTPStreaming
import HTTPTestSupport
import Inference
import OpenAIBackend
import Testing
import Locking

/// The concurrency a scoring run asks of a remote judge is what reaches the judge's socket (issue 18): judge calls
/// through the real HTTP client to a scripted judge on loopback, which records its peak of requests in flight.
@Suite struct JudgeFanOutTests {
    /// Scores `items` semantic items with `concurrency` judge calls in flight through a client with `configuration`.
    private func score(items: Int, concurrency: Int, configuration: StreamingHTTPConfiguration, server: ScriptedHTTPServer)
        async throws -> ScoringSummary
    {
        let client = StreamingHTTPClient(baseURLs: [server.baseURL], configuration: configuration)
        let model = OpenAIModel(client: client, modelName: "judge", ownsClient: true)
        let judge = Judge(model: model, maxReasks: 0)
        let engine = ScoringEngine(configuration: ScoringConfiguration(suites: [.semantic]), judge: judge,
                                   concurrency: concurrency)
        let lines = AsyncStream<String> { continuation in
            for index in 0..<items {
                continuation.yield(#"{"id": "item-\#(index)", "model": "m", "prompt": "Q\#(index)?", "response": "An answer."}"#)
            }
            continuation.finish()
        }
        let summary = try await engine.run(lines: lines) { _ in }
        await model.close()
        return summary
    }

    // A long judge latency, so a loaded machine still sends all 64 requests before the first answer comes back
    // (with 500 ms, CI under load saw a peak of 62).
    @Test func concurrency64ReachesTheJudgeAs64RequestsInFlight() async throws {
        let server = try await ScriptedHTTPServer(handler: ScriptedJudge.handler(delay: .seconds(2)))
        let reports = Locked<[EndpointPool.LimitReached]>([])
        let configuration = StreamingHTTPConfiguration(concurrency: 64) { report in reports.withLock { $0.append(report) } }
        let summary = try await score(items: 128, concurrency: 64, configuration: configuration, server: server)
        await server.shutdown()
        #expect(summary.items == 128 && summary.failed == 0 && summary.judgeCalls == 128)
        #expect(server.requests.count == 128)
        #expect(server.requests.allSatisfy { $0.json?["stream"]?.boolValue == true }, "judge calls are streamed")
        #expect(server.peakInFlight == 64)
        #expect(reports.current.isEmpty, "nothing capped the requested concurrency")
    }

    // 2 s for the same reason as above: with 250 ms, a CI run under load saw a peak of 14 of 16.
    @Test func aSmallerEndpointLimitCapsTheFanOutAndIsReported() async throws {
        let server = try await ScriptedHTTPServer(handler: ScriptedJudge.handler(delay: .seconds(2)))
        let reports = Locked<[EndpointPool.LimitReached]>([])
        let configuration = StreamingHTTPConfiguration(maxConcurrentPerEndpoint: 16) { report in reports.withLock { $0.append(report) } }
        let summary = try await score(items: 64, concurrency: 64, configuration: configuration, server: server)
        await server.shutdown()
        #expect(summary.items == 64 && summary.failed == 0)
        #expect(server.peakInFlight == 16)
        #expect(reports.current.count == 1, "reported once, not per request")
        #expect(reports.current.first?.limitPerEndpoint == 16)
        #expect(reports.current.first?.description.contains(server.baseURL) == true)
    }
}
