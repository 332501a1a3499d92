import ArgumentParser
import ChildProcess
import Foundation
import Inference
import ModelFormats
import Report
import SafeFiles
import LocalModels

struct ReportCommand: AsyncParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the results as one self-contained HTML page, or serve it live.",
        discussion: """
            Reads any mix of the SQLite store (--store), score files (--scores), probe-result files (--probes) and
            a training-data workspace (--workspace);
            with none of them, the agent's default store ($SWIFT_ML_HOME/agent/scores.sqlite). Each section is shown
            only when its data exists. A source that cannot be read is named on stderr and in the page, the rest
            is still reported, and the exit status is 1. --serve serves the page at /report (default
            127.0.0.1:8091), refreshed as new checkpoints are recorded, to requests whose Host is localhost, 127.0.0.1,
            [::1], the bind address or an --allow-host name.
            """
    )

    @Option(help: "The SQLite score store.") var store: String?
    @Option(name: .customLong("scores"), help: "A score file (repeatable).") var scoreFiles: [String] = []
    @Option(name: .customLong("probes"), help: "A probe-result file (repeatable).") var probeFiles: [String] = []
    @Option(help: "A training-data workspace: a SQLite file or a postgres:// URL (its stages, coverage, workers).")
    var workspace: String?
    @Option(name: .customLong("model-file"), help: "A model file to list with its SHA-256 (repeatable).")
    var modelFiles: [String] = []
    @Option(help: "The HTML file to write.") var output: String?
    @Flag(help: "Serve the page live at /report instead of writing a file.") var serve = false
    @Option(help: "Address to serve on, HOST:PORT (with --serve).") var bind = "127.0.0.1:8091"
    @Option(help: "The page's title.") var title = "swift-ml report"
    @Option(name: .customLong("allow-host"),
            help: "With --serve, also answer requests for this host name (repeatable); by default only localhost, 127.0.0.1, [::1] and the bind address.")
    var allowHosts: [String] = []

    func validate() throws {
        if !serve && output == nil { throw ValidationError("give --output FILE.html, or --serve") }
    }

    var fileInputs: [(name: String, path: String)] {
        Self.files([("--store", store), ("--workspace", workspace)]) + Self.files("--scores", scoreFiles)
            + Self.files("--probes", probeFiles) + Self.files("--model-file", modelFiles)
    }

    var fileOutputs: [FileOutput] { Self.files([("--output", output)]).map { .file(flag: $0.name, path: $0.path) } }

    func run() async throws {
        let paths = MLPaths()
        let noSources = store == nil && scoreFiles.isEmpty && probeFiles.isEmpty && workspace == nil
        let storePath = store ?? (noSources ? (paths.home as NSString).appendingPathComponent("agent/scores.sqlite") : nil)
        let sources = ReportSources(store: storePath, scoreFiles: scoreFiles, probeFiles: probeFiles,
                                    workspace: workspace, environment: environment(paths))
        if serve {
            let (host, port) = try ServeCommand.parseBind(bind)
            let server = ReportServer(sources: sources, host: host, port: port, title: title, allowedHosts: allowHosts)
            try await server.run { port in
                printError("serving the report on http://\(host):\(port)/report")
            }
            return
        }
        try checkOutputs()
        let started = ContinuousClock.now
        let data = ReportBuilder.build(await sources.load())
        let page = ReportPage.render(data, options: .init(title: title, generatedAt: Date()))
        do {
            try AtomicFile.write(Data(page.utf8), toPath: output!)
        } catch {
            printError("error: cannot write \(output!): \(error)")
            throw ExitCode.failure
        }
        for problem in data.problems { printError("error: \(problem)") }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Int(elapsed / .milliseconds(1))
        printError("report: \(output!) (\(page.utf8.count / 1024) KiB in \(milliseconds) ms)")
        if !data.problems.isEmpty { throw ExitCode.failure }
    }

    /// The reproducibility facts of this machine: ml's version, the model files' SHA-256, llama-server's version.
    private func environment(_ paths: MLPaths) -> [ReproducibilityPanel.Entry] {
        var entries = [ReproducibilityPanel.Entry(source: "ml", key: "ml version", value: MLVersion.current)]
        for file in modelFiles {
            let value = (try? FileDigest.sha256Hex(fileAt: file)).map { "sha256 \($0)" } ?? "unreadable"
            entries.append(.init(source: "model file", key: file, value: value))
        }
        if let version = Self.llamaServerVersion(paths.llamaServer) {
            entries.append(.init(source: "llama-server", key: "version", value: version))
        }
        return entries
    }

    /// `llama-server --version`'s version line, when the binary is installed.
    static func llamaServerVersion(_ path: String) -> String? {
        guard let result = try? ChildProcess.runBlocking([path, "--version"], mergeErrorIntoOutput: true) else {
            return nil
        }
        return result.outputText.split(separator: "\n").first { $0.hasPrefix("version") }.map(String.init)
    }
}
