import Agent
import Foundation
import LlamaServer
import Logging
import Testing

/// Where the agent's judge runs, decided from its settings (no server is started here).
@Suite struct AgentJudgeTests {
    static let logger = Logger(label: "agent-judge-tests")
    static let server = LlamaServerSettings(executable: "/x")

    static func placed(_ settings: AgentJudgeSettings, base: String, environment: [String: String] = [:]) -> AgentJudge {
        AgentJudge(settings: settings, baseModelPath: base, serverSettings: server, concurrency: 2,
                   environment: environment, logger: logger)
    }

    @Test func theBaseModelJudgesOnTheCheckpointsOwnServer() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("agent-judge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = directory.appendingPathComponent("base.gguf").path
        let link = directory.appendingPathComponent("link.gguf").path
        #expect(FileManager.default.createFile(atPath: base, contents: Data("x".utf8)))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: base)

        let named = Self.placed(AgentJudgeSettings(modelPath: link), base: base)
        #expect(named.placement == .checkpointServer, "the same file through a symlink")
        #expect(named.managedServers == 1)
        // No judge path: the default model, which is the base model by default.
        let byDefault = Self.placed(AgentJudgeSettings(), base: base, environment: ["SWIFT_ML_MODEL": link])
        #expect(byDefault.placement == .checkpointServer)
    }

    @Test func anotherLocalModelGetsOneSharedServerAndTheCoresAreDivided() {
        let judge = Self.placed(AgentJudgeSettings(modelPath: "/models/judge.gguf"), base: "/models/base.gguf")
        #expect(judge.placement == .localServer(modelPath: "/models/judge.gguf"))
        #expect(judge.managedServers == 2)
        #expect(Self.server.dividingCores(among: judge.managedServers, cores: 4).threads == 2)
    }

    @Test func aJudgeURLIsUsedForEveryCheckpoint() {
        let judge = Self.placed(AgentJudgeSettings(url: "http://127.0.0.1:9/v1", modelName: "big", apiKey: "secret"),
                                base: "/models/base.gguf")
        #expect(judge.placement == .remote(url: "http://127.0.0.1:9/v1"))
        #expect(judge.managedServers == 1)
        #expect(!judge.description.contains("secret"), "the API key is never shown")
    }
}
