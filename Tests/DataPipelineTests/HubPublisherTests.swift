import DataPipeline
import Foundation
import Testing

@Suite struct HubPublisherTests {
    @Test func tokenComesFromTheFlagThenTheEnvironmentThenTheTokenFile() throws {
        let files = try DataFiles()
        defer { files.remove() }
        let hfHome = files.directory.appendingPathComponent("hf")
        try FileManager.default.createDirectory(at: hfHome, withIntermediateDirectories: true)
        try "file-token\n".write(to: hfHome.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        let home = files.directory.path
        #expect(HubPublisher.token("flag", environment: ["HF_TOKEN": "env"], home: home) == "flag")
        #expect(HubPublisher.token(nil, environment: ["HF_TOKEN": "env", "HF_HOME": hfHome.path], home: home) == "env")
        #expect(HubPublisher.token(nil, environment: ["HF_HOME": hfHome.path], home: home) == "file-token")
        #expect(HubPublisher.token("", environment: ["HF_TOKEN": ""], home: home) == nil)
        // The default token file: ~/.cache/huggingface/token.
        let cache = files.directory.appendingPathComponent(".cache/huggingface")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try "home-token".write(to: cache.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        #expect(HubPublisher.token(nil, environment: [:], home: home) == "home-token")
    }

    @Test func repositoryMustBeOrgSlashName() {
        for good in ["org/name", "my-org/data.set_v2"] {
            #expect(throws: Never.self) { try HubPublisher.validateRepository(good) }
        }
        for bad in ["name", "a/b/c", "/name", "org/", "org/na me", "org/-x", "org/x..y", "org/x--y", "../etc"] {
            #expect(throws: DataPipelineError.self) { try HubPublisher.validateRepository(bad) }
        }
    }

    @Test func endpointComesFromTheFlagThenHFEndpoint() throws {
        #expect(try HubPublisher.endpoint(nil, environment: [:]) == "https://huggingface.co")
        #expect(try HubPublisher.endpoint(nil, environment: ["HF_ENDPOINT": "http://127.0.0.1:9/"]) == "http://127.0.0.1:9")
        #expect(try HubPublisher.endpoint("https://hub.example", environment: ["HF_ENDPOINT": "http://x"]) == "https://hub.example")
        #expect(throws: DataPipelineError.self) { try HubPublisher.endpoint("ftp://x", environment: [:]) }
    }

    @Test func planUploadsSplitsUnderDataAndTheCardAtTheRoot() throws {
        let files = try DataFiles()
        defer { files.remove() }
        let dir = files.directory
        for name in ["train.parquet", "test.parquet", "README.md", "manifest.json", "train.jsonl"] {
            try Data(name.utf8).write(to: dir.appendingPathComponent(name))
        }
        let plan = try HubPublisher.plan(directory: dir.path)
        #expect(plan.map(\.remote) == ["data/train.parquet", "data/test.parquet", "README.md", "manifest.json"])
        #expect(plan.first?.bytes == "train.parquet".utf8.count)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("train.parquet"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("test.parquet"))
        #expect(throws: DataPipelineError.self) { try HubPublisher.plan(directory: dir.path) }
        #expect(throws: DataPipelineError.self) { try HubPublisher.plan(directory: dir.appendingPathComponent("nope").path) }
    }
}
