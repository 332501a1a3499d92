// swift-tools-version:6.1
import PackageDescription

// Benchmarks of swift-ml. package-benchmark targets (Benchmarks/) run from this directory with:
//   swift package --disable-sandbox benchmark
// A separate package, so the main package's build and tests do not compile the benchmark harness.
let package = Package(
    name: "swift-ml-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "swift-ml", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Inputs shared by the scoring benchmarks (golden corpus, synthetic answers, judge replies).
        .target(name: "BenchmarkCorpus", path: "Sources/BenchmarkCorpus"),

        // package-benchmark targets, in Benchmarks/ (the plugin runs every executable there):
        // `swift package --disable-sandbox benchmark`.
        .executableTarget(
            name: "SSEParserBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "HTTPStreaming", package: "swift-ml"),
            ],
            path: "Benchmarks/SSEParserBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "ScoringBenchmarks",
            dependencies: [
                "BenchmarkCorpus",
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "Scoring", package: "swift-ml"),
            ],
            path: "Benchmarks/ScoringBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),

        // Release-mode measurement tools, in Tools/ (outside the plugin's reach): `swift run -c release NAME`.
        // Throughput and peak memory of model-file reading and LoRA conversion.
        .executableTarget(
            name: "FormatsBench",
            dependencies: [.product(name: "ModelFormats", package: "swift-ml")],
            path: "Tools/FormatsBench"
        ),
        // Heuristic scorer throughput on the golden corpus and synthetic answers, in thread CPU time.
        .executableTarget(
            name: "ScoringBench",
            dependencies: ["BenchmarkCorpus", .product(name: "Scoring", package: "swift-ml")],
            path: "Tools/ScoringBench"
        ),
        // The scoring engine: judge concurrency against a fake 20 ms judge, and heuristic-only scoring of a 1 GB file:
        // `EngineBench judge` / `EngineBench heuristic`.
        .executableTarget(
            name: "EngineBench",
            dependencies: [
                .product(name: "Evaluation", package: "swift-ml"),
                .product(name: "Inference", package: "swift-ml"),
            ],
            path: "Tools/EngineBench"
        ),
    ],
    swiftLanguageModes: [.v6]
)
