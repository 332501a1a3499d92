// swift-tools-version:6.1
import PackageDescription

// Benchmarks of swift-ml (ordo-one/package-benchmark). Run from this directory:
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
        // Throughput and peak memory of model-file reading and LoRA conversion: `swift run -c release FormatsBench`.
        .executableTarget(
            name: "FormatsBench",
            dependencies: [.product(name: "ModelFormats", package: "swift-ml")],
            path: "Benchmarks/FormatsBench"
        ),
        // Heuristic scorer throughput on the golden corpus and synthetic answers: `swift run -c release ScoringBench`.
        .executableTarget(
            name: "ScoringBench",
            dependencies: [.product(name: "Scoring", package: "swift-ml")],
            path: "Benchmarks/ScoringBench"
        ),
        // The scoring engine: judge concurrency against a fake 20 ms judge, and heuristic-only scoring of a 1 GB file:
        // `swift run -c release EngineBench judge` / `EngineBench heuristic`.
        .executableTarget(
            name: "EngineBench",
            dependencies: [
                .product(name: "Evaluation", package: "swift-ml"), .product(name: "ML", package: "swift-ml"),
                .product(name: "Inference", package: "swift-ml"),
            ],
            path: "Benchmarks/EngineBench"
        ),
        .executableTarget(
            name: "SSEParserBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "OpenAIBackend", package: "swift-ml"),
            ],
            path: "Benchmarks/SSEParserBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
