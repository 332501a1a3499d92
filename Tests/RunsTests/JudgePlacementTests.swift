import Foundation
import Inference
import InferenceTesting
import Runs
import Synchronization
import Testing

/// Where a judge runs, decided from its settings (no server is started here).
@Suite struct JudgePlacementTests {
    /// A temporary directory holding `base.gguf` and a symlink to it, `link.gguf`.
    struct Files {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("judge-placement-\(UUID().uuidString)")
        var base: String { directory.appendingPathComponent("base.gguf").path }
        var link: String { directory.appendingPathComponent("link.gguf").path }

        init() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: directory.appendingPathComponent("base.gguf"))
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("link.gguf").path,
                                                       withDestinationPath: directory.appendingPathComponent("base.gguf").path)
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    @Test func theModelAlreadyLoadedJudgesOnItsOwnServer() throws {
        let files = try Files()
        defer { files.remove() }
        #expect(JudgePlacement(JudgeSettings(modelPath: files.link), sharedModelPath: files.base) == .sharedServer,
                "the same file through a symlink")
        // No judge path: the default model.
        #expect(JudgePlacement(JudgeSettings(), sharedModelPath: files.base, environment: ["SWIFT_ML_MODEL": files.link]) == .sharedServer)
        #expect(JudgePlacement.sharedServer.managedServers == 1)
    }

    @Test func anotherLocalModelGetsAServerOfItsOwn() {
        let placement = JudgePlacement(JudgeSettings(modelPath: "/models/judge.gguf"), sharedModelPath: "/models/base.gguf")
        #expect(placement == .localServer(modelPath: "/models/judge.gguf"))
        #expect(placement.managedServers == 2)
        #expect(JudgePlacement(JudgeSettings(modelPath: "/models/judge.gguf"), sharedModelPath: nil) == .localServer(modelPath: "/models/judge.gguf"),
                "a remote model under test shares nothing")
    }

    @Test func aJudgeURLWinsAndItsKeyIsNeverShown() {
        let settings = JudgeSettings(url: "http://user:pw@127.0.0.1:9/v1?key=k", modelName: "big", apiKey: "secret",
                                     modelPath: "/models/base.gguf")
        #expect(JudgePlacement(settings, sharedModelPath: "/models/base.gguf") == .remote(url: "http://user:pw@127.0.0.1:9/v1?key=k"))
        let description = JudgePlacement.description(of: settings)
        #expect(!description.contains("secret") && !description.contains("pw") && description.hasSuffix("(big)"), "\(description)")
    }

    @Test func aJudgeOnTheSharedFileReusesTheLoadedModel() async throws {
        let files = try Files()
        defer { files.remove() }
        let shared = ScriptedModel(capacity: 2)
        let warnings = Mutex<[String]>([])
        let loaded = try await JudgeSettings(modelPath: files.link)
            .load(concurrency: 4, shared: (shared, files.base), environment: ["SWIFT_ML_HOME": files.directory.path]) { message in
                warnings.withLock { $0.append(message) }
            }
        #expect(loaded.model as? ScriptedModel === shared)
        #expect(loaded.ownedModel == nil, "the caller's model is not closed by the judge")
        #expect(loaded.modelName == "link.gguf" && loaded.url == nil && loaded.capacity == 2)
        #expect(loaded.modelSHA256?.count == 64)
        #expect(warnings.withLock { $0 } == ["the judge link.gguf serves 2 request(s) at once; of --concurrency 4, the rest wait in its queue"])
        await loaded.close()
        #expect(!shared.isClosed)
    }

    @Test func theJudgeSamplesWithItsSettings() {
        let settings = JudgeSettings(options: GenerateOptions(maxTokens: 100, temperature: 0.2, seed: 3), maxReasks: 2)
        let judge = settings.judge(on: ScriptedModel())
        #expect(judge.options == settings.options && judge.maxReasks == 2)
    }

    @Test func aLocalModelIsRecordedByItsIdAndARemoteOneByItsName() {
        let model = ScriptedModel()
        #expect(ModelSettings(model: "/m.gguf").recordedName(of: model) == "scripted")
        #expect(ModelSettings(urls: ["http://127.0.0.1:9"], model: "big").recordedName(of: model) == "big")
        #expect(ModelSettings(urls: ["http://127.0.0.1:9"]).recordedName(of: model) == "default")
        #expect(ModelSettings(urls: ["http://127.0.0.1:9"]).localPath() == nil)
        #expect(ModelSettings().localPath(environment: ["SWIFT_ML_MODEL": "/d.gguf"]) == "/d.gguf")
    }
}
