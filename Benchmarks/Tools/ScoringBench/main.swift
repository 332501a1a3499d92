import BenchmarkCorpus
import Foundation
import Scoring

// Throughput of the scorers, in thread CPU time on one core.
//
//     swift run -c release ScoringBench [--only heuristic|exact|json] [--seconds S] [--golden PATH]
//
// `--only` runs one section, `--seconds` sets the CPU time per case (default 1, in 5 trials;
// best and median trial are printed), `--golden` overrides the golden corpus location.

/// The value following `name` on the command line.
func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count
    else { return nil }
    return CommandLine.arguments[index + 1]
}

let only = option("--only")
let minSeconds = option("--seconds").flatMap(Double.init) ?? 1.0

/// CPU time consumed by this thread, in seconds (unaffected by time the thread spends descheduled).
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Runs `body` in 5 trials of at least `minSeconds / 5` thread CPU seconds each;
/// returns CPU seconds per iteration of the best and of the median trial.
@inline(never)
func measure(_ body: () -> Int) -> (best: Double, median: Double) {
    var sink = 0
    var perIteration: [Double] = []
    // Batch calls between clock reads (reading thread CPU time is a system call).
    var batch = 1
    while true {
        let start = threadCPUSeconds()
        for _ in 0..<batch { sink &+= body() }
        if threadCPUSeconds() - start >= 0.002 { break }
        batch *= 2
    }
    for _ in 0..<5 {
        var iterations = 0
        let start = threadCPUSeconds()
        var elapsed = 0.0
        repeat {
            for _ in 0..<batch { sink &+= body() }
            iterations += batch
            elapsed = threadCPUSeconds() - start
        } while elapsed < minSeconds / 5
        perIteration.append(elapsed / Double(iterations))
    }
    if sink == 42 { print("") }  // keep results alive
    perIteration.sort()
    return (perIteration[0], perIteration[2])
}

/// "best / median" throughput for `bytes` processed per iteration.
func throughput(_ bytes: Int, _ seconds: (best: Double, median: Double)) -> String {
    String(format: "%7.1f MB/s (median %6.1f)",
           Double(bytes) / seconds.best / 1e6, Double(bytes) / seconds.median / 1e6)
}

/// "best / median" nanoseconds per call, for `calls` calls per iteration.
func perCall(_ calls: Int, _ seconds: (best: Double, median: Double)) -> String {
    String(format: "%7.0f ns/call (median %6.0f)",
           seconds.best * 1e9 / Double(calls), seconds.median * 1e9 / Double(calls))
}

/// `label` padded to a column.
func column(_ label: String) -> String {
    label.count >= 28 ? label : label + String(repeating: " ", count: 28 - label.count)
}

func benchHeuristic(_ golden: [BenchmarkCorpus.GoldenLine], _ goldenBytes: Int) {
    print("\nheuristic scorer:")
    if !golden.isEmpty {
        let seconds = measure {
            var total = 0
            for line in golden { total &+= HeuristicScorer.score(line.response).complianceMarkers }
            return total
        }
        print("  \(column("golden corpus")) \(throughput(goldenBytes, seconds))  \(perCall(golden.count, seconds))")
    }
    for size in [100, 1_000, 10_000, 100_000] {
        let texts = BenchmarkCorpus.syntheticAnswers(size: size)
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        let seconds = measure {
            var total = 0
            for text in texts { total &+= HeuristicScorer.score(text).emotionalRegister }
            return total
        }
        let label = size >= 1000 ? "synthetic \(size / 1000) KB" : "synthetic \(size) B"
        print("  \(column(label)) \(throughput(bytes, seconds))  \(perCall(texts.count, seconds))")
    }
}

func benchExactMatch(_ golden: [BenchmarkCorpus.GoldenLine]) {
    print("\nexact match (GSM8K):")
    let cases = golden.compactMap { line in line.correct_answer.map { (line.response, $0) } }
    if !cases.isEmpty {
        let seconds = measure {
            var total = 0
            for (response, answer) in cases {
                total &+= ExactMatch.score(response: response, correctAnswer: answer).correct ? 1 : 0
            }
            return total
        }
        print("  \(column("golden cases (\(cases.count))")) \(perCall(cases.count, seconds))")
    }
    let prose = BenchmarkCorpus.syntheticAnswer(size: 1_000, seed: 7)
    for (label, response) in [("1 KB + #### answer", prose + " So #### 1,234"),
                              ("1 KB + last number", prose + " so the total is = 1,234.")] {
        let seconds = measure { ExactMatch.score(response: response, correctAnswer: "1234").correct ? 1 : 0 }
        print("  \(column(label)) \(perCall(1, seconds))")
    }
}

func benchJudgeJSON() {
    print("\njudge JSON extraction:")
    for (label, reply) in BenchmarkCorpus.judgeReplies {
        let seconds = measure { JudgeJSON.extract(reply).utf8.count }
        print("  \(column("\(label) (\(reply.utf8.count) B)")) \(perCall(1, seconds))")
    }
}

let golden = BenchmarkCorpus.golden(path: option("--golden") ?? BenchmarkCorpus.defaultGoldenPath)
let goldenBytes = golden.reduce(0) { $0 + $1.response.utf8.count }
print("golden corpus: \(golden.count) responses, \(goldenBytes) bytes; times are thread CPU time, one core")
if only == nil || only == "heuristic" { benchHeuristic(golden, goldenBytes) }
if only == nil || only == "exact" { benchExactMatch(golden) }
if only == nil || only == "json" { benchJudgeJSON() }
