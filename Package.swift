// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-ml",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Inference", targets: ["Inference"]),
        .library(name: "InferenceTesting", targets: ["InferenceTesting"]),
        .library(name: "OpenAIWire", targets: ["OpenAIWire"]),
        .library(name: "HTTPStreaming", targets: ["HTTPStreaming"]),
        .library(name: "OpenAIBackend", targets: ["OpenAIBackend"]),
        .library(name: "LlamaServer", targets: ["LlamaServer"]),
        .library(name: "MLXServer", targets: ["MLXServer"]),
        .library(name: "Scoring", targets: ["Scoring"]),
        .library(name: "ModelFormats", targets: ["ModelFormats"]),
        .library(name: "Serving", targets: ["Serving"]),
        .library(name: "Statistics", targets: ["Statistics"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "Recording", targets: ["Recording"]),
        .library(name: "Runs", targets: ["Runs"]),
        .library(name: "MLTools", targets: ["MLTools"]),
        .executable(name: "ml", targets: ["ml"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // The one error shape (code, message, wrapped error) every module's error conforms to: no dependencies at all.
        .target(name: "MLErrors"),
        // The inference contract: nothing but the error shape.
        .target(name: "Inference", dependencies: ["MLErrors"]),
        // Where swift-ml keeps things on this machine ($SWIFT_ML_HOME, the default model, llama-server) and the
        // models found in a directory.
        .target(name: "LocalModels", dependencies: ["Inference"]),
        // `Locked`: a Mutex shared by reference, where several objects hold one state.
        .target(name: "Locking"),
        .target(name: "InferenceTesting", dependencies: ["Locking", "LocalModels", "Inference", "MLErrors", "ChildProcess"]),
        // The one child-process component: run to completion or launch a server, the one executable lookup, exit
        // statuses, and SpawnThread, the one thread every child process is started from.
        .target(name: "ChildProcess", dependencies: ["MLErrors"]),
        // The one JSON value type (judge replies, score files, model configs, schemas). Foundation only.
        .target(name: "JSONValues"),
        // Codable OpenAI wire types (requests, replies, stream chunks, models, errors) shared by client and server.
        .target(name: "OpenAIWire", dependencies: ["JSONValues"]),
        // Writing files safely: atomic replace, never over one of the command's own inputs. Foundation only.
        .target(name: "SafeFiles", dependencies: ["MLErrors"]),
        // Model files: GGUF and safetensors readers/writers for untrusted input, LoRA conversions, file digests.
        .target(name: "ModelFormats", dependencies: ["MLErrors", "SafeFiles", "JSONValues", .product(name: "Crypto", package: "swift-crypto")]),
        // Reference-identical scorers (heuristic, exact match, judge JSON extraction): Foundation only.
        .target(name: "Scoring"),
        // Paired tests, intervals and corrections for comparing results (t, incomplete beta, Wilson, McNemar, Holm).
        // Foundation only.
        .target(name: "Statistics"),
        // Judge suites, probes and the scoring engine.
        .target(name: "Evaluation", dependencies: ["MLErrors", "Inference", "Scoring", "SafeFiles", "JSONValues", "Statistics"]),
        // The HTTP streaming engine every HTTP backend uses: SSE parsing, event-stream decoders, retries, the
        // endpoint pool, the client that POSTs JSON and streams events into a GenerationSink, and the
        // OpenAI-compatible stream format the servers share.
        .target(
            name: "HTTPStreaming",
            dependencies: [
                "Locking", "MLErrors", "Inference", "OpenAIWire", "JSONValues",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The `openai` backend: OpenAIModel, its requests and the registration.
        .target(name: "OpenAIBackend", dependencies: ["MLErrors", "Inference", "OpenAIWire", "HTTPStreaming"]),
        // A supervised server child process (free port, health wait, crash detection, teardown, no orphans).
        .target(
            name: "ManagedServer",
            dependencies: [
                "Locking", "Inference", "ChildProcess", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "LlamaServer",
            dependencies: [
                "LocalModels", "Inference", "HTTPStreaming", "OpenAIWire", "JSONValues", "ModelFormats", "ManagedServer", "ChildProcess",
            ]
        ),
        // A managed mlx_lm.server (Python MLX) started through our launcher, which applies MLX's memory limits.
        .target(
            name: "MLXServer",
            dependencies: [
                "Locking", "LocalModels", "Inference", "HTTPStreaming", "OpenAIWire", "JSONValues", "ManagedServer", "ChildProcess",
            ],
            resources: [.copy("Resources")]
        ),
        // The host names a local HTTP server answers for (DNS rebinding): one rule for `ml serve` and `ml report`.
        .target(
            name: "HostAllowlist",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // `ml serve`: an OpenAI-compatible HTTP server in front of any TextModel.
        .target(
            name: "Serving",
            dependencies: [
                "Locking", "Inference", "OpenAIWire", "JSONValues", "HostAllowlist",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Where results go: InfluxDB line protocol client with a crash-safe buffer, and the SQLite score store.
        .target(
            name: "Recording",
            dependencies: [
                "MLErrors", "Evaluation", "SafeFiles", "HTTPStreaming",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Remote and local file access by argument arrays (ssh/scp, local directory).
        .target(
            name: "Transport",
            dependencies: ["MLErrors", "ChildProcess", "SafeFiles", .product(name: "Logging", package: "swift-log")]
        ),
        // The runs the CLI, the agent and the servers share: model loading by backend, the judge's placement, the
        // probe session (probe → judge → score → content), reference-file ingest. Progress by callbacks, no printing.
        .target(
            name: "Runs",
            dependencies: [
                "LocalModels", "MLErrors", "Inference", "Evaluation", "Scoring", "LlamaServer", "MLXServer", "OpenAIBackend", "HTTPStreaming",
                "ModelFormats", "Recording",
            ]
        ),
        // The checkpoint agent: discover LoRA checkpoints (run ids, model families), evaluate them on llama-server,
        // record the results.
        .target(
            name: "Agent",
            dependencies: [
                "Locking", "MLErrors", "Inference", "Evaluation", "LlamaServer", "MLXServer", "ModelFormats", "Recording", "Runs",
                "Transport",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]
        ),
        // `ml report`: the results as one self-contained HTML page (inline SVG), offline or served live.
        .target(
            name: "Report",
            dependencies: [
                "Evaluation", "Recording", "Workspace", "JSONValues", "HostAllowlist", "Statistics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // swift-ml's operations for other programs: one catalogue of tools (schemas, typed arguments, files confined
        // to allowed roots) served over MCP (the official Swift SDK) and behind REST.
        .target(
            name: "MLTools",
            dependencies: [
                "MLErrors", "Inference", "JSONValues", "Evaluation", "Report", "Runs", "SafeFiles", "Statistics", "Recording", "Workspace", "Serving",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A scriptable in-process HTTP server for tests of HTTP clients (a fake peer).
        .target(
            name: "HTTPTestSupport",
            dependencies: [
                "Locking", "Inference", "OpenAIWire", "JSONValues",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The training-data workspace store: one schema on SQLite (GRDB) or PostgreSQL (postgres-nio), leases.
        .target(
            name: "Workspace",
            dependencies: [
                "MLErrors",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The training-data pipeline stages over a workspace: import, normalize, expand, score, approve, export.
        .target(
            name: "DataPipeline",
            dependencies: [
                "MLErrors", "Workspace", "Inference", "Evaluation", "Scoring", "SafeFiles", "ModelFormats", "Recording",
                "JSONValues", "ChildProcess", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // A real PostgreSQL 15 cluster started in a temporary directory for tests of the PostgreSQL workspace.
        .target(name: "PostgresTestSupport", dependencies: ["ChildProcess", "Workspace"]),
        // A real influxd (InfluxDB 1.x) started for tests that record to InfluxDB.
        .target(name: "InfluxTestSupport", dependencies: ["Recording", "ChildProcess"]),
        .executableTarget(
            name: "ml",
            dependencies: [
                "Locking", "LocalModels", "Inference", "HTTPStreaming", "OpenAIBackend", "LlamaServer", "MLXServer", "ModelFormats", "Serving",
                "Evaluation", "Recording", "Transport", "Agent", "Report", "SafeFiles", "Workspace", "DataPipeline",
                "ChildProcess", "MLErrors", "JSONValues", "Statistics", "MLTools", "Scoring", "Runs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Test helper for the orphan test: owns a managed llama-server until killed.
        .executableTarget(name: "llama-orphan-probe", dependencies: ["Inference", "LlamaServer"]),
        // Test helper for load tests: the real server in front of a fake (scripted) model.
        .executableTarget(name: "ml-fake-server", dependencies: ["InferenceTesting", "Serving"]),
        // Test and benchmark helper: a fake OpenAI-compatible judge that answers after a fixed delay (fan-out).
        .executableTarget(name: "ml-judge-server", dependencies: ["HTTPTestSupport"]),
        .testTarget(name: "MLErrorsTests", dependencies: ["MLErrors"]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "InferenceTesting", "Locking"]),
        .testTarget(name: "LocalModelsTests", dependencies: ["Inference", "LocalModels"]),
        .testTarget(name: "JSONValuesTests", dependencies: ["JSONValues"]),
        .testTarget(name: "OpenAIWireTests", dependencies: ["OpenAIWire", "JSONValues"]),
        .testTarget(
            name: "ServingTests",
            dependencies: [
                "Locking", "Inference", "InferenceTesting", "Serving", "HTTPStreaming", "OpenAIBackend", "OpenAIWire", "HTTPTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "RecordingTests",
            dependencies: [
                "Recording", "Evaluation", "HTTPTestSupport", "InfluxTestSupport", "JSONValues", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "Agent", "ChildProcess"]),
        .testTarget(name: "ChildProcessTests", dependencies: ["ChildProcess"]),
        .testTarget(
            name: "MLToolsTests",
            dependencies: ["MLTools", "JSONValues", "Evaluation", "Recording", "InferenceTesting", "InfluxTestSupport", "Locking", .product(name: "MCP", package: "swift-sdk")]
        ),
        // The command-line layer: argument parsing, messages and exit statuses (in process, and the built `ml`).
        .testTarget(name: "MLCommandLineTests", dependencies: ["ml", "ChildProcess", "SafeFiles", "Evaluation", "JSONValues", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "WorkspaceTests", dependencies: ["Workspace", "PostgresTestSupport", "ChildProcess"]),
        .testTarget(
            name: "DataPipelineTests",
            dependencies: [
                "Locking", "LocalModels", "DataPipeline", "Workspace", "PostgresTestSupport", "Inference", "InferenceTesting", "LlamaServer", "Evaluation", "JSONValues",
                "Recording", "InfluxTestSupport", "SafeFiles", "HTTPStreaming", "HTTPTestSupport",
                "OpenAIBackend", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "AgentTests",
            dependencies: [
                "LocalModels", "Agent", "Evaluation", "Recording", "Transport", "Inference", "InferenceTesting", "LlamaServer",
                "ModelFormats", "InfluxTestSupport", "JSONValues", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RunsTests",
            dependencies: ["Runs", "Evaluation", "Inference", "InferenceTesting", "Recording"]
        ),
        .testTarget(name: "ModelFormatsTests", dependencies: ["ModelFormats", "ChildProcess", "SafeFiles"]),
        .testTarget(
            name: "ReportTests",
            dependencies: [
                "Report", "Recording", "Evaluation", "Workspace", "ChildProcess", "Serving", "InferenceTesting", "Inference",
                "PostgresTestSupport", "HTTPTestSupport",
            ]
        ),
        .testTarget(
            name: "ScoringTests",
            dependencies: ["Scoring"],
            resources: [.copy("Resources")]
        ),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"], resources: [.copy("Resources")]),
        // The CLI's own code (its terminal tables), through `@testable import ml`.
        .testTarget(
            name: "EvaluationTests",
            dependencies: ["Inference", "InferenceTesting", "Scoring", "Evaluation", "JSONValues", "SafeFiles", "Statistics"]
        ),
        .testTarget(
            name: "OpenAIBackendTests",
            dependencies: [
                "Locking", "Inference", "InferenceTesting", "HTTPStreaming", "OpenAIBackend", "OpenAIWire", "HTTPTestSupport", "Evaluation", "JSONValues",
            ]
        ),
        .testTarget(
            name: "HTTPStreamingTests",
            dependencies: ["Locking", "Inference", "HTTPStreaming", "HTTPTestSupport", "JSONValues"]
        ),
        .testTarget(
            name: "LlamaServerTests",
            dependencies: [
                "Locking", "Inference", "InferenceTesting", "HTTPStreaming", "OpenAIBackend", "LlamaServer", "ModelFormats", "Evaluation",
                "ManagedServer", "HTTPTestSupport", "llama-orphan-probe", "ChildProcess",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(name: "ManagedServerTests", dependencies: ["Inference", "InferenceTesting", "ManagedServer", "HTTPTestSupport"]),
        .testTarget(
            name: "MLXServerTests",
            dependencies: [
                "Locking", "LocalModels", "Inference", "InferenceTesting", "MLXServer", "ManagedServer", "HTTPStreaming", "OpenAIBackend", "LlamaServer",
                "ModelFormats", "ChildProcess",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
