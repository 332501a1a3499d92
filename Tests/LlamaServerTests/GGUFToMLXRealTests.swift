import ChildProcess
import Evaluation
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Inference
import InferenceTesting
import LlamaServer
import ModelFormats
import Testing

/// The MLX copy of the default model, converted once per test run by `ml convert gguf-to-mlx`'s library (not the
/// copy `scripts/setup` made, which an older build may have written), and the
/// Python side that reads it (`scripts/mlx_model_check.py` in the MLX virtual environment). Missing components
/// fail the tests: run `scripts/setup`.
actor ConvertedSmolLM2 {
    static let shared = ConvertedSmolLM2()
    private var directory: URL?

    static var python: String { (RealComponents.paths.home as NSString).appendingPathComponent("mlx-venv/bin/python") }
    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/mlx_model_check.py").path
    }

    func get() throws -> URL {
        if let directory { return directory }
        let (_, model) = try RealComponents.requireServerAndModel()
        try RealComponents.requireExecutable(Self.python, "MLX python")
        // One fixed scratch path, replaced on every run, so runs do not pile up half-gigabyte copies.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-ml-gguf2mlx-test-SmolLM2-mlx")
        try? FileManager.default.removeItem(at: url)
        try GGUFToMLXConversion.convert(inputPath: model, outputDirectory: url.path)
        directory = url
        return url
    }

    /// Runs `mlx_model_check.py mode DIR` with `input` as JSON on stdin; returns its parsed JSON output.
    static func check(_ mode: String, directory: URL, input: Any) async throws -> Any {
        let payload = FileManager.default.temporaryDirectory.appendingPathComponent("mlx-check-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: payload) }
        try JSONSerialization.data(withJSONObject: input).write(to: payload)
        let result = try await ChildProcess.run([python, script, mode, directory.path], input: payload)
        guard result.status == 0 else {
            throw InferenceError(.backendNotAvailable, "mlx_model_check.py \(mode) exited with \(result.status)")
        }
        return try JSONSerialization.jsonObject(with: result.standardOutput)
    }
}

extension RealServerTests {
@Suite struct GGUFToMLXRealTests {
    /// Every prompt and response of the golden heuristic set (the repository's copy of `shared/golden`, kept with
    /// the scoring tests).
    static func goldenTexts() throws -> [String] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ScoringTests/Resources/heuristic.jsonl").path
        var texts: [String] = []
        var seen = Set<String>()
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") where !line.isEmpty {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["prompt", "response"] {
                if let text = record[key] as? String, !text.isEmpty, seen.insert(text).inserted { texts.append(text) }
            }
        }
        return texts
    }

    static func llamaTokenize(_ text: String, baseURL: String) async throws -> [Int] {
        var request = URLRequest(url: URL(string: baseURL + "/tokenize")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["content": text])
        let (data, _) = try await URLSession.shared.data(for: request)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["tokens"] as? [Int])
    }

    @Test func tokenizationEqualsLlamaServerOnGoldenTexts() async throws {
        let directory = try await ConvertedSmolLM2.shared.get()
        let model = try await SharedModel.shared.get()
        let baseURL = try #require(model.process?.baseURL)
        let texts = try Self.goldenTexts()
        #expect(texts.count > 300)
        var expected: [[Int]] = []
        for text in texts { expected.append(try await Self.llamaTokenize(text, baseURL: baseURL)) }
        let result = try #require(try await ConvertedSmolLM2.check("tokenize", directory: directory, input: texts) as? [String: [[Int]]])
        for side in ["tokenizers", "mlx_lm"] {
            let ids = try #require(result[side])
            #expect(ids.count == texts.count)
            let differing = texts.indices.filter { ids[$0] != expected[$0] }
            #expect(
                differing.isEmpty,
                "\(side): \(differing.count) of \(texts.count) texts tokenize differently, first: \(differing.first.map { "\(texts[$0].prefix(80).debugDescription): \(ids[$0].prefix(20)) vs llama-server \(expected[$0].prefix(20))" } ?? "")"
            )
        }
    }

    /// Greedy agreement of the first 32 tokens on the 23 built-in probe prompts: mlx-lm on the converted model vs
    /// llama-server on the GGUF, both given the same chat-templated prompt text. Compared as text, because
    /// llama-server gives no id for a token whose bytes it merged with the next one's. Prints the count (the figure).
    @Test func greedyAnswersAgreeWithLlamaServer() async throws {
        let directory = try await ConvertedSmolLM2.shared.get()
        let model = try await SharedModel.shared.get()
        let prompts = ProbeSet.builtIn.probes.map(\.prompt)
        let results = try #require(try await ConvertedSmolLM2.check("generate", directory: directory, input: prompts) as? [[String: Any]])
        #expect(results.count == prompts.count)
        var agreeing = 0
        var prefixTotal = 0
        for result in results {
            let prompt = try #require(result["prompt"] as? String)
            let mlxText = try #require(result["text"] as? String)
            var llamaText = ""
            for try await token in model.generate(prompt, options: GenerateOptions(maxTokens: 32, temperature: 0, topK: 1, seed: 1)) {
                llamaText += token.text
            }
            prefixTotal += zip(mlxText, llamaText).prefix { $0 == $1 }.count
            if mlxText == llamaText { agreeing += 1 }
        }
        print("gguf-to-mlx greedy agreement (first 32 tokens) with llama-server: \(agreeing)/\(prompts.count) prompts identical, mean common prefix \(prefixTotal / prompts.count) characters")
        #expect(agreeing >= 1, "no probe prompt gives the same greedy answer")
        #expect(prefixTotal > 0)
    }
}
}
