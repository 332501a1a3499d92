import Evaluation
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Inference

// The scoring engine's figures. Run each case in its own process, so peak RSS is that case's:
//
//     swift run -c release EngineBench judge [--calls 2000] [--latency-ms 20] [--concurrency 64]
//     swift run -c release EngineBench judge-http [--calls 3200] [--latency-ms 50] [--concurrency 64] [--bin ../.build/release]
//     swift run -c release EngineBench heuristic [--size-mb 1024] [--file PATH]
//     swift run -c release EngineBench heuristic-cli [--size-mb 64] [--file PATH] [--bin ../.build/release] [--python-script P]
//
// `judge`: a fake judge backend in process that answers valid JSON after a fixed latency; prints wall time as a
// multiple of the ideal calls × latency / concurrency, and peak RSS. `judge-http`: the same through a real socket and
// the real CLI — `ml score --suites semantic --judge-url` (from --bin: `swift build -c release` in the package root
// first) against `ml-judge-server`, a scripted OpenAI-compatible judge on loopback answering each streamed request
// after the latency; prints ml's wall time (start-up included) against the ideal, ml's peak RSS, and the judge's peak
// of requests in flight. `heuristic`: heuristic-only scoring of a generated JSON-lines file (kept for reuse at
// --file, default /tmp/swift-ml-engine-bench.jsonl); prints MB/s and peak RSS. `heuristic-cli`: the same file scored
// end to end by `ml score --suites heuristic` (JSON lines in; score file, per-item lines and journal out) and, in the
// same run, by the plain Python regex scorer `Python/heuristic_scorer.py`; prints both MB/s, the ratio, and ml's
// peak RSS.

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

/// A fake judge model: replies with a valid semantic-suite verdict, as one token, after `latency`.
final class FakeJudgeModel: TextModel {
    let latency: Duration
    init(latency: Duration) { self.latency = latency }
    var modelType: String { "fake" }
    var info: ModelInfo { ModelInfo(id: "fake-judge") }
    var capacity: Int { 1 << 20 }
    func generate(_ prompt: String, options: GenerateOptions) -> Generation {
        let latency = latency
        return Generation.start { sink in
            try await Task.sleep(for: latency)
            try sink.yield(Token(text: #"{"sovereignty": 7, "ethical_depth": 6, "creative_expression": 5, "self_concept": 8, "reasoning": "ok"}"#))
            return GenerationOutcome(finishReason: .stop)
        }
    }
    func chat(_ messages: [Message], options: GenerateOptions) -> Generation {
        generate(messages.last?.content ?? "", options: options)
    }
    func classify(_ prompts: [String], options: ClassifyOptions) async throws -> [ClassifyResult] { [] }
    func close() async {}
}

func item(_ index: Int, response: String) -> String {
    let object: [String: Any] = ["id": "item-\(index)", "model": "bench", "prompt": "Question \(index)?", "response": response]
    return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}

func judgeCase() async throws {
    let calls = option("--calls").flatMap(Int.init) ?? 2000
    let latencyMS = option("--latency-ms").flatMap(Double.init) ?? 20
    let concurrency = option("--concurrency").flatMap(Int.init) ?? 64
    let engine = ScoringEngine(
        configuration: ScoringConfiguration(suites: [.semantic]),
        judge: Judge(model: FakeJudgeModel(latency: .microseconds(Int64(latencyMS * 1000))), maxReasks: 0),
        concurrency: concurrency)
    let lines = AsyncStream<String> { continuation in
        for index in 0..<calls { continuation.yield(item(index, response: "An answer of moderate length, number \(index).")) }
        continuation.finish()
    }
    var written = 0
    let started = ContinuousClock.now
    let summary = try await engine.run(lines: lines) { _ in written += 1 }
    let wall = ContinuousClock.now - started
    let wallSeconds = wall.seconds
    let ideal = Double(calls) * latencyMS / 1000 / Double(concurrency)
    print(String(format: "judge: %d calls, %.0f ms latency, concurrency %d: wall %.3f s, ideal %.3f s, ratio %.3f, peak RSS %.1f MB, %d items, %d failed",
                 summary.judgeCalls, latencyMS, concurrency, wallSeconds, ideal, wallSeconds / ideal, peakRSSMegabytes(),
                 written, summary.failed))
}

/// `ml score` against `ml-judge-server`, both from `--bin`, each a child process.
func judgeHTTPCase() async throws {
    let calls = option("--calls").flatMap(Int.init) ?? 3200
    let latencyMS = option("--latency-ms").flatMap(Double.init) ?? 50
    let concurrency = option("--concurrency").flatMap(Int.init) ?? 64
    let bin = option("--bin") ?? "../.build/release"
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("engine-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let input = directory + "/input.jsonl"
    let lines = (0..<calls).map { item($0, response: "An answer of moderate length, number \($0).") }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: input))

    let server = Process()
    server.executableURL = URL(fileURLWithPath: bin + "/ml-judge-server")
    server.arguments = ["--delay-ms", String(latencyMS)]
    let serverOutput = Pipe()
    server.standardOutput = serverOutput
    try server.run()
    defer { server.terminate() }
    guard let portLine = String(data: serverOutput.fileHandleForReading.availableData, encoding: .utf8),
          let port = Int(portLine.trimmingCharacters(in: .whitespacesAndNewlines))
    else {
        print("ml-judge-server printed no port")
        exit(1)
    }
    let judgeURL = "http://127.0.0.1:\(port)"

    let ml = Process()
    ml.executableURL = URL(fileURLWithPath: bin + "/ml")
    ml.arguments = ["score", "--input", input, "--output", directory + "/scores.json", "--suites", "semantic",
                    "--concurrency", String(concurrency), "--judge-url", judgeURL, "--judge-model", "scripted-judge"]
    ml.standardOutput = FileHandle.nullDevice
    let errors = Pipe()
    ml.standardError = errors
    let started = ContinuousClock.now
    try ml.run()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    ml.waitUntilExit()
    let wall = ContinuousClock.now - started
    // The server is still running: the only child waited for is ml, so this is ml's peak.
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    let stats = try JSONSerialization.jsonObject(with: try await URLSession.shared.data(from: URL(string: judgeURL + "/stats")!).0) as? [String: Int] ?? [:]
    let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
    let ideal = Double(calls) * latencyMS / 1000 / Double(concurrency)
    print(String(format: "judge-http: %d calls, %.0f ms latency, concurrency %d: ml wall %.3f s, ideal %.3f s, ratio %.3f, ml peak RSS %.1f MB, judge peak in flight %d, %d requests, ml exit %d",
                 calls, latencyMS, concurrency, wallSeconds, ideal, wallSeconds / ideal, Double(usage.ru_maxrss) / 1024,
                 stats["peak_in_flight"] ?? -1, (stats["requests"] ?? 0) - 1, ml.terminationStatus))
    if ml.terminationStatus != 0 { FileHandle.standardError.write(stderr) }
    let warnings = String(decoding: stderr, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("warning:") }
    for warning in warnings { print(warning) }
}

/// Runs `executable` with `arguments`; returns its wall time in seconds and exit status (output discarded).
func timed(_ executable: String, _ arguments: [String]) throws -> (seconds: Double, status: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    let started = ContinuousClock.now
    try process.run()
    process.waitUntilExit()
    let wall = ContinuousClock.now - started
    return (Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18, process.terminationStatus)
}

func heuristicCLICase() async throws {
    let path = option("--file") ?? "/tmp/swift-ml-engine-bench-\(option("--size-mb") ?? "64").jsonl"
    try generateInput(path: path, sizeMB: option("--size-mb").flatMap(Int.init) ?? 64)
    let bin = option("--bin") ?? "../.build/release"
    let megabytes = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_048_576
    let output = path + ".scores.json"
    defer {
        for suffix in ["", ".items.jsonl", ".journal"] { try? FileManager.default.removeItem(atPath: output + suffix) }
        try? FileManager.default.removeItem(atPath: path + ".python.jsonl")
    }
    let ml = try timed(bin + "/ml", ["score", "--input", path, "--output", output, "--suites", "heuristic"])
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)  // only ml has ended so far: its peak
    let script = option("--python-script") ?? "Python/heuristic_scorer.py"  // from Benchmarks/
    let python = try timed("/usr/bin/env", ["python3", script, path, path + ".python.jsonl"])
    print(String(format: "heuristic-cli: %.1f MB: ml score %.2f s = %.1f MB/s (exit %d, peak RSS %.1f MB); python regex scorer %.2f s = %.2f MB/s (exit %d); ratio %.1f×",
                 megabytes, ml.seconds, megabytes / ml.seconds, ml.status, Double(usage.ru_maxrss) / 1024,
                 python.seconds, megabytes / python.seconds, python.status, python.seconds / ml.seconds))
}

/// Writes about `sizeMB` MB of generated JSON lines to `path`, unless a file of about that size is there.
func generateInput(path: String, sizeMB: Int) throws {
    let target = sizeMB << 20
    let existing = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    if existing.map({ abs($0 - target) > target / 50 }) ?? true {
        print("writing \(sizeMB) MB of JSON lines to \(path)…")
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            print("cannot create \(path)")
            exit(1)
        }
        let words = ["the", "model", "answer", "I", "feel", "think", "because", "autonomy", "light", "we", "data", "café", "—", "consider"]
        var written = 0, index = 0
        var chunk = ""
        while written < target {
            var response = ""
            let length = 200 + (index * 7919) % 1800
            var w = index
            while response.utf8.count < length { response += words[w % words.count] + (w % 9 == 0 ? ". " : " "); w = (w &* 31 &+ 7) & 0x7fff_ffff }
            chunk += item(index, response: response) + "\n"
            index += 1
            if chunk.utf8.count > 1 << 20 {
                handle.write(Data(chunk.utf8)); written += chunk.utf8.count; chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
        try handle.close()
    }
}

func heuristicCase() async throws {
    let sizeMB = option("--size-mb").flatMap(Int.init) ?? 1024
    let path = option("--file") ?? "/tmp/swift-ml-engine-bench.jsonl"
    try generateInput(path: path, sizeMB: sizeMB)
    let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    let engine = ScoringEngine(configuration: ScoringConfiguration(suites: [.heuristic]))
    let output = path + ".scored.jsonl"
    let started = ContinuousClock.now
    let summary = try await engine.run(inputPath: path, outputPath: output)
    let wall = ContinuousClock.now - started
    let seconds = wall.seconds
    try? FileManager.default.removeItem(atPath: output)
    print(String(format: "heuristic: %.1f MB in %.2f s = %.1f MB/s, %d items (%.0f items/s), %d failed, peak RSS %.1f MB",
                 Double(bytes) / 1_048_576, seconds, Double(bytes) / 1_048_576 / seconds, summary.items,
                 Double(summary.items) / seconds, summary.failed, peakRSSMegabytes()))
}

switch CommandLine.arguments.dropFirst().first {
case "judge": try await judgeCase()
case "judge-http": try await judgeHTTPCase()
case "heuristic": try await heuristicCase()
case "heuristic-cli": try await heuristicCLICase()
default: print("usage: EngineBench judge|judge-http|heuristic|heuristic-cli [options]")
}
