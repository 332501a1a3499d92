import Foundation
import JSONValues
import Report
import SafeFiles

extension MLTool {
    /// `ml_report`: writes the results page (`ml report --output`) and returns its path.
    public static func report(_ environment: ToolEnvironment) -> MLTool {
        MLTool(
            name: "ml_report", title: "Write the results report",
            description: """
                Writes the self-contained HTML report (checkpoint curves with confidence intervals, the probe × \
                checkpoint matrix, judge scores, comparisons, training loss) from the agent's score store and any \
                score and probe-result files, and returns the page's path. With no sources it reads the server's \
                default store.
                """,
            inputSchema: ToolSchema.object([
                ("output", ToolSchema.string("Where to write the page (a path inside the root; default report.html).")),
                ("store", ToolSchema.string("The agent's score store (SQLite file); default: the server's.")),
                ("score_files", ToolSchema.strings("Score files to include.")),
                ("probe_files", ToolSchema.strings("Probe-result files to include.")),
                ("title", ToolSchema.string("The page's title.")),
            ]),
            readOnly: false
        ) { arguments, _ in
            let roots = environment.roots
            let output = try arguments.path("output", in: roots) ?? roots.resolve("report.html")
            let scoreFiles = try arguments.strings("score_files").map { try roots.resolve($0) }
            let probeFiles = try arguments.strings("probe_files").map { try roots.resolve($0) }
            var store = try arguments.path("store", in: roots)
            if store == nil, scoreFiles.isEmpty, probeFiles.isEmpty { store = environment.store }
            let title = try arguments.string("title") ?? "swift-ml report"
            let inputs = [("store", store)].compactMap { name, path in path.map { (name, $0) } }
                + scoreFiles.map { ("score_files", $0) } + probeFiles.map { ("probe_files", $0) }
            do {
                try OutputCheck.require([.file(flag: "output", path: output)], distinctFrom: inputs)
            } catch {
                throw ToolError(.invalidArgument, "\(error)", underlying: error)
            }
            let sources = ReportSources(store: store, scoreFiles: scoreFiles, probeFiles: probeFiles)
            let data = ReportBuilder.build(await sources.load())
            let page = ReportPage.render(data, options: .init(title: title, generatedAt: Date()))
            do {
                try AtomicFile.write(Data(page.utf8), toPath: output)
            } catch {
                throw ToolError(.failed, "cannot write \(output): \(error)", underlying: error)
            }
            let structured: JSONValue = .object([
                "path": .string(output), "bytes": .number(Double(page.utf8.count)),
                "problems": .array(data.problems.map(JSONValue.string)),
            ])
            let text = "wrote \(output) (\(page.utf8.count / 1024) KiB)"
                + (data.problems.isEmpty ? "" : "; problems: " + data.problems.joined(separator: "; "))
            return ToolOutput(structured: structured, text: text)
        }
    }
}
