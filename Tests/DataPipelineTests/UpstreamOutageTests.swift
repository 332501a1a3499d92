import DataPipeline
import Foundation
import HTTPStreaming
import HTTPTestSupport
import Inference
import InferenceTesting
import OpenAIBackend
import PostgresTestSupport
import Testing
import Workspace
import Locking

/// The worker against a fake upstream that fails: an outage (5xx, refused connections) is backed off and spends no
/// prompt's attempts; a failure of the prompt itself (4xx, a reply with no completion) does, and a prompt that used
/// them all is counted once, reported, and can be put back.
@Suite struct UpstreamOutageTests {
    /// A streamed answer in the OpenAI format.
    static let answer = ScriptedHTTPServer.Response.events([
        OpenAIStreamEvents.chunk("An answer."), OpenAIStreamEvents.finish, OpenAIStreamEvents.done,
    ])

    /// The worker under test sees every failure: the client itself does not retry.
    static func model(_ baseURL: String) -> OpenAIModel {
        let client = StreamingHTTPClient(
            baseURLs: [baseURL], configuration: StreamingHTTPConfiguration(connectTimeout: .seconds(2), retry: .none))
        return OpenAIModel(client: client, modelName: "fake", ownsClient: true)
    }

    static func worker(_ store: any WorkspaceStore, _ model: any TextModel, maxAttempts: Int = 2,
                       outage: RetryPolicy = RetryPolicy(
                           maxAttempts: .max, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100),
                           totalBudget: .seconds(30)),
                       modelSource: String = "fake",
                       onProgress: (@Sendable (ExpansionProgress) -> Void)? = nil) -> QueueWorker {
        QueueWorker(
            store: store, model: model, modelName: "fake", modelSource: modelSource, workerID: "w", host: "test",
            settings: ExpansionSettings(
                options: GenerateOptions(maxTokens: 8, temperature: 0), concurrency: 3, batch: 3,
                lease: .seconds(30), maxAttempts: maxAttempts, pollInterval: .milliseconds(50), outage: outage),
            onProgress: onProgress)
    }

    @Test(arguments: TestEngine.allCases)
    func anOutageSpendsNoAttemptsAndEveryPromptIsAnsweredWhenItEnds(_ engine: TestEngine) async throws {
        let upstream = try await ScriptedHTTPServer { _, index in
            index < 12 ? .body("upstream down", status: 500, contentType: "text/plain") : Self.answer
        }
        defer { Task { await upstream.shutdown() } }
        try await TestWorkspace.with(engine) { workspace in
            try await workspace.store.insertPrompts(TestWorkspace.prompts(3))
            let model = Self.model(upstream.baseURL)
            let report = try await Self.worker(workspace.store, model).run()
            await model.close()
            #expect(report.answered == 3 && report.failed == 0)
            let status = try await workspace.store.status()
            #expect(status.answered == 3 && status.pending == 0)
        }
    }

    @Test(arguments: TestEngine.allCases)
    func aDeadUpstreamIsBackedOffThenGivenUpWithThePromptsLeftPending(_ engine: TestEngine) async throws {
        let upstream = try await ScriptedHTTPServer(responses: [.body("upstream down", status: 503, contentType: "text/plain")])
        defer { Task { await upstream.shutdown() } }
        try await TestWorkspace.with(engine) { workspace in
            try await workspace.store.insertPrompts(TestWorkspace.prompts(3))
            let model = Self.model(upstream.baseURL)
            let started = ContinuousClock.now
            let outage = RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(500), maxDelay: .seconds(30), totalBudget: .seconds(3))
            await #expect {
                _ = try await Self.worker(workspace.store, model, outage: outage).run()
            } throws: { error in
                (error as? DataPipelineError)?.code == .upstreamUnavailable && "\(error)".contains("upstream down")
            }
            await model.close()
            // Without a backoff, three tasks hammer the upstream hundreds of times in 3 s.
            #expect(upstream.requests.count <= 3 * 10, "\(upstream.requests.count) requests in \(ContinuousClock.now - started)")
            #expect(ContinuousClock.now - started >= .seconds(3))
            let status = try await workspace.store.status()
            #expect(status.pending == 3 && status.leased == 0 && status.answered == 0)
            #expect(try await workspace.store.remaining(maxAttempts: 2) == 3, "an outage spends no attempt")
            #expect(try await workspace.store.exhausted(maxAttempts: 2) == 0)
        }
    }

    @Test func aRefusedConnectionIsAnOutageToo() async throws {
        try await TestWorkspace.with(.sqlite) { workspace in
            try await workspace.store.insertPrompts(TestWorkspace.prompts(2))
            let model = Self.model("http://127.0.0.1:1")
            let outage = RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(20), maxDelay: .milliseconds(50), totalBudget: .milliseconds(500))
            await #expect(throws: DataPipelineError.self) {
                _ = try await Self.worker(workspace.store, model, outage: outage).run()
            }
            await model.close()
            #expect(try await workspace.store.exhausted(maxAttempts: 2) == 0)
            #expect(try await workspace.store.remaining(maxAttempts: 2) == 2)
        }
    }

    /// A 4xx for the request and a 200 without a completion are the prompt's failures: they spend its attempts,
    /// and progress counts each prompt once, when it has used them all.
    @Test(arguments: [
        ScriptedHTTPServer.Response.body(#"{"error":{"message":"bad request"}}"#, status: 400),
        ScriptedHTTPServer.Response.body(#"{"choices":"nope"}"#),
        ScriptedHTTPServer.Response.events(["not an event stream\n\n", OpenAIStreamEvents.done]),
    ])
    func thePromptsOwnFailuresSpendItsAttemptsAndAreCountedOnce(_ response: ScriptedHTTPServer.Response) async throws {
        let upstream = try await ScriptedHTTPServer(responses: [response])
        defer { Task { await upstream.shutdown() } }
        try await TestWorkspace.with(.sqlite) { workspace in
            try await workspace.store.insertPrompts(TestWorkspace.prompts(3))
            let model = Self.model(upstream.baseURL)
            let seen = Locked<[ExpansionProgress]>([])
            let report = try await Self.worker(workspace.store, model) { progress in seen.withLock { $0.append(progress) } }.run()
            await model.close()
            #expect(report.failed == 3 && report.answered == 0)
            #expect(upstream.requests.count == 6)
            #expect(seen.current.allSatisfy { $0.answered + $0.failed <= 3 }, "progress counts prompts, not attempts")
            #expect(try await workspace.store.status().answered == 0)
            #expect(try await workspace.store.exhausted(maxAttempts: 2) == 3)
        }
    }

    @Test(arguments: TestEngine.allCases)
    func exhaustedPromptsArePutBackByRetryFailed(_ engine: TestEngine) async throws {
        try await TestWorkspace.with(engine) { workspace in
            let store = workspace.store
            try await store.insertPrompts(TestWorkspace.prompts(3))
            let failed = try await Self.worker(store, ScriptedModel(failAfter: 0)).run()
            #expect(failed.failed == 3)
            #expect(try await Self.worker(store, ScriptedModel()).run().answered == 0, "exhausted prompts are not handed out")
            #expect(try await store.exhausted(maxAttempts: 2) == 3)
            #expect(try await store.retryFailed(maxAttempts: 2) == 3)
            #expect(try await store.exhausted(maxAttempts: 2) == 0)
            let report = try await Self.worker(store, ScriptedModel()).run()
            #expect(report.answered == 3)
            #expect(try await store.status().answered == 3)
        }
    }

    /// The stored model source never carries the password of a `--url`.
    @Test func theStoredModelSourceHasNoUserinfo() async throws {
        try await TestWorkspace.with(.sqlite) { workspace in
            try await workspace.store.insertPrompts(TestWorkspace.prompts(1))
            let source = "http://user:secret@127.0.0.1:9/v1,http://other:hidden@127.0.0.1:10/v1?key=k"
            _ = try await Self.worker(workspace.store, ScriptedModel(), modelSource: source).run()
            let rows = try await workspace.store.query("SELECT model_source FROM answers")
            #expect(rows.rows.first?.first?.string == "http://127.0.0.1:9/v1,http://127.0.0.1:10/v1")
        }
    }
}
