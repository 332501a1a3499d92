import Foundation
import Inference
import Testing

@testable import LlamaServer

@Suite struct LlamaServerSettingsTests {
    @Test func settingsBecomeArgumentsNeverAShellString() {
        let settings = LlamaServerSettings(
            executable: "/x",
            contextLength: 2048,
            threads: 2,
            parallelSlots: 3,
            gpuLayers: 0,
            loraAdapters: ["/a b;$(x)", "/c"],
            extraArguments: ["--alias", "x y"]
        )
        let arguments = settings.arguments(model: "/m.gguf", port: 1234)
        #expect(
            arguments == [
                "-m", "/m.gguf", "--host", "127.0.0.1", "--port", "1234", "--parallel", "3",
                "--ctx-size", "2048", "--threads", "2", "--n-gpu-layers", "0", "--lora", "/a b;$(x)", "--lora", "/c",
                "--cache-ram", "0", "--alias", "x y",
            ]
        )
    }

    @Test func defaultsAreLoopbackAndBounded() {
        let settings = LlamaServerSettings(executable: "/x")
        #expect(settings.host == "127.0.0.1")
        #expect(settings.port == nil)
        #expect(settings.healthDeadline == .seconds(60))
        #expect(settings.stopGracePeriod == .seconds(5))
        #expect(settings.logCapacity == 500)
        #expect(settings.logFile == nil)
        #expect(LlamaServerSettings(executable: "/x", parallelSlots: 0).parallelSlots == 1)
    }

    @Test func executableComesFromTheEnvironmentThenTheHomeThenThePath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swift-ml-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let home = directory.appendingPathComponent("home").path
        let bin = directory.appendingPathComponent("bin").path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let onPath = bin + "/llama-server"
        try Data("#!/bin/sh\n".utf8).write(to: URL(fileURLWithPath: onPath))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: onPath)

        #expect(
            LlamaServerSettings.defaultExecutable(environment: [
                "SWIFT_ML_LLAMA_SERVER": "/opt/ls", "SWIFT_ML_HOME": home,
            ]) == "/opt/ls"
        )
        // Nothing installed in the home: found on PATH.
        #expect(
            LlamaServerSettings.defaultExecutable(environment: ["SWIFT_ML_HOME": home, "PATH": "/nonexistent:" + bin])
                == onPath
        )
        // Nowhere: the home path, so the error names where the setup installs it.
        #expect(
            LlamaServerSettings.defaultExecutable(environment: ["SWIFT_ML_HOME": home, "PATH": "/nonexistent"]) == home
                + "/bin/llama-server"
        )
        // Installed in the home: preferred to PATH.
        try FileManager.default.createDirectory(atPath: home + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: onPath, toPath: home + "/bin/llama-server")
        #expect(
            LlamaServerSettings.defaultExecutable(environment: ["SWIFT_ML_HOME": home, "PATH": bin]) == home
                + "/bin/llama-server"
        )

        #expect(
            LlamaServerSettings(executable: "llama-server").resolvedExecutable(environment: ["PATH": bin]) == onPath
        )
        #expect(
            LlamaServerSettings(executable: "llama-server").resolvedExecutable(environment: ["PATH": "/nonexistent"])
                == nil
        )
        #expect(LlamaServerSettings(executable: bin).resolvedExecutable() == nil, "a directory is not an executable")
    }

    @Test func serversRunningTogetherDivideTheCoresUnlessTheUserSetThreads() {
        let settings = LlamaServerSettings(executable: "/x")
        #expect(settings.dividingCores(among: 1, cores: 8).threads == nil, "a server alone keeps llama-server's default")
        #expect(settings.dividingCores(among: 2, cores: 8).threads == 4)
        #expect(settings.dividingCores(among: 2, cores: 1).threads == 1)
        #expect(settings.dividingCores(among: 2, cores: 8).arguments(model: "/m", port: 1).contains("--threads"))
        var chosen = settings
        chosen.threads = 6
        #expect(chosen.dividingCores(among: 2, cores: 8).threads == 6, "the user's --threads wins")
    }

    @Test func adapterScalesBecomeTheRequestsLoRAList() throws {
        /// The request as the server receives it.
        func body(_ request: LlamaCompletionRequest) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(request)) as? [String: Any])
        }
        let scaled = try body(LlamaCompletionRequest(prompt: "p", options: GenerateOptions(), stream: true, adapterScales: [0, 0.5]))
        let lora = try #require(scaled["lora"] as? [[String: Any]])
        #expect(lora.count == 2)
        #expect(lora[0]["id"] as? Int == 0 && lora[0]["scale"] as? Double == 0)
        #expect(lora[1]["id"] as? Int == 1 && lora[1]["scale"] as? Double == 0.5)
        let plain = try body(LlamaCompletionRequest(prompt: "p", options: GenerateOptions(), stream: true))
        #expect(plain["lora"] == nil, "without scales the server's own apply")
        #expect(plain["cache_prompt"] as? Bool == true)
    }

    @Test func aServerWithAdaptersHasNoRAMPromptCache() {
        let plain = LlamaServerSettings(executable: "/x").arguments(model: "/m", port: 1)
        #expect(!plain.contains("--cache-ram"), "without adapters the server keeps its RAM prompt cache")
        let adapted = LlamaServerSettings(executable: "/x", loraAdapters: ["/a.gguf"]).arguments(model: "/m", port: 1)
        let at = adapted.firstIndex(of: "--cache-ram")
        #expect(at.map { adapted[$0 + 1] } == "0", "\(adapted)")
    }

    @Test func loadOptionsApply() {
        let settings = LlamaServerSettings(executable: "/x").applying(
            LoadOptions(contextLength: 512, gpuLayers: 0, parallelSlots: 4, threads: 1, loraAdapterPath: "/l.gguf")
        )
        #expect(settings.contextLength == 512)
        #expect(settings.threads == 1)
        #expect(settings.parallelSlots == 4)
        #expect(settings.gpuLayers == 0)
        #expect(settings.loraAdapters == ["/l.gguf"])
    }
}
