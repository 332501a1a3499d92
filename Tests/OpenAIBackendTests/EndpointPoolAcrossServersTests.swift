import Foundation
import HTTPStreaming
import HTTPTestSupport
import Inference
import OpenAIBackend
import Testing

/// The endpoint pool under OpenAI chat traffic against several fake servers, one of them dead.
@Suite struct EndpointPoolAcrossServersTests {
    @Test func poolSpreadsLoadAcrossThreeServersAndSkipsADeadOne() async throws {
        let servers = [try await FakeOpenAIServer.start(tokenDelay: .milliseconds(5)), try await FakeOpenAIServer.start(tokenDelay: .milliseconds(5))]
        defer { Task { for server in servers { await server.shutdown() } } }
        // A dead endpoint: a port that was just closed.
        let dead = try await ScriptedHTTPServer(responses: [])
        let deadURL = dead.baseURL
        await dead.shutdown()
        let configuration = StreamingHTTPConfiguration(
            connectTimeout: .seconds(1),
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
            maxConcurrentPerEndpoint: 4,
            endpointCoolDown: .seconds(60)
        )
        let (texts, afterFirst, afterSecond) = try await withStreamingHTTPClient(baseURLs: [servers[0].baseURL, deadURL, servers[1].baseURL], configuration: configuration) { client in
            func batch(_ tag: String) async throws -> [String] {
                try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<16 {
                        group.addTask {
                            try await client.chat(model: nil, messages: [.user("\(tag)\(index)")], options: GenerateOptions(maxTokens: 5)).text()
                        }
                    }
                    var texts: [String] = []
                    for try await text in group { texts.append(text) }
                    return texts
                }
            }
            let first = try await batch("a")
            let afterFirst = client.pool.servedCounts
            let second = try await batch("b")
            return (first + second, afterFirst, client.pool.servedCounts)
        }
        #expect(texts.count == 32)
        #expect(texts.allSatisfy { !$0.isEmpty }, "a request failed instead of moving to a live endpoint")
        let (live0, live1) = (servers[0].requests.count, servers[1].requests.count)
        #expect(live0 + live1 == 32)
        #expect(live0 >= 8 && live1 >= 8, "load was not spread: \(live0) and \(live1)")
        #expect(afterSecond[1] == afterFirst[1], "the dead endpoint was not skipped during its cool-down: \(afterFirst) → \(afterSecond)")
    }
}
