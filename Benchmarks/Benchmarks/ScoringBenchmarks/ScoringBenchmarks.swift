import Benchmark
import BenchmarkCorpus
import Scoring

// The scorers under package-benchmark. Each heuristic benchmark scores the byte count in its name per iteration
// (about 1 MB of synthetic answers, or the golden corpus), so throughput (#/s) × bytes is MB/s. Exact match and JSON
// extraction are per call (scaling factor kilo). `swift run -c release ScoringBench` reports the same figures
// directly, in thread CPU time.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .peakMemoryResident], maxDuration: .seconds(3))

    let golden = BenchmarkCorpus.golden()
    let goldenBytes = golden.reduce(0) { $0 + $1.response.utf8.count }
    Benchmark("heuristic: golden corpus (\(golden.count) answers, \(goldenBytes) B)") { benchmark in
        for _ in benchmark.scaledIterations {
            var total = 0
            for line in golden { total &+= HeuristicScorer.score(line.response).complianceMarkers }
            blackHole(total)
        }
    }
    for (label, size) in [("100 B", 100), ("1 KB", 1_000), ("10 KB", 10_000), ("100 KB", 100_000)] {
        let texts = BenchmarkCorpus.syntheticAnswers(size: size, totalBytes: 1_000_000)
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        Benchmark("heuristic: \(texts.count) answers of \(label), \(bytes) B") { benchmark in
            for _ in benchmark.scaledIterations {
                var total = 0
                for text in texts { total &+= HeuristicScorer.score(text).emotionalRegister }
                blackHole(total)
            }
        }
    }

    let kilo = Benchmark.Configuration(metrics: [.wallClock, .throughput], scalingFactor: .kilo, maxDuration: .seconds(2))
    let cases = golden.compactMap { line in line.correct_answer.map { (line.response, $0) } }
    Benchmark("exact match: golden cases", configuration: kilo) { benchmark in
        for index in benchmark.scaledIterations {
            let (response, answer) = cases[index % cases.count]
            blackHole(ExactMatch.score(response: response, correctAnswer: answer).correct)
        }
    }
    let prose = BenchmarkCorpus.syntheticAnswer(size: 1_000, seed: 7) + " So #### 1,234"
    Benchmark("exact match: 1 KB + #### answer", configuration: kilo) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ExactMatch.score(response: prose, correctAnswer: "1234").correct)
        }
    }
    for (label, reply) in BenchmarkCorpus.judgeReplies {
        Benchmark("judge JSON: \(label), \(reply.utf8.count) B", configuration: kilo) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(JudgeJSON.extract(reply))
            }
        }
    }
}
