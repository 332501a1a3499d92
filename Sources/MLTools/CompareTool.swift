import Evaluation
import JSONValues

extension MLTool {
    /// `ml_compare`: `ml compare --json` on two files inside the roots.
    public static func compare(_ environment: ToolEnvironment) -> MLTool {
        MLTool(
            name: "ml_compare", title: "Compare two runs",
            description: """
                Compares two score files (from ml_score or `ml score`) or two probe-result files (from ml_probe or \
                `ml probe --output`) item by item: per model and metric, n paired items, old and new means, the \
                difference NEW − OLD with its standard error, 95% confidence interval and p-value (paired t-test; \
                exact McNemar test for 0/1 outcomes such as exact_accuracy and probe_passed), and whether it stays \
                significant after a Holm correction. Use it to decide whether a new checkpoint is really better. \
                Score files without per-item entries give the averages side by side (paired: false).
                """,
            inputSchema: ToolSchema.object([
                ("old", ToolSchema.string("The older file (path inside the server's root).")),
                ("new", ToolSchema.string("The newer file (path inside the server's root).")),
            ], required: ["old", "new"]),
            readOnly: true
        ) { arguments, _ in
            let old = try arguments.requiredPath("old", in: environment.roots)
            let new = try arguments.requiredPath("new", in: environment.roots)
            let comparison: FileComparison
            do {
                comparison = try FileComparison(oldPath: old, newPath: new)
            } catch {
                throw ToolError(.failed, "cannot compare \(old) with \(new): \(error)", underlying: error)
            }
            let json = comparison.json()
            let text: String
            switch comparison {
            case .paired(let paired):
                let significant = paired.rows.filter(\.holmSignificant)
                text = "\(paired.rows.count) metric(s) compared item by item; "
                    + (significant.isEmpty ? "no difference is significant after Holm's correction"
                        : "significant after Holm's correction: " + significant.map { "\($0.model) \($0.metric) \(Self.signed($0.delta))" }
                            .joined(separator: ", "))
            case .averages(let averages):
                text = "\(averages.rows.count) average(s) side by side; no per-item entries, so no paired test"
            }
            return ToolOutput(structured: json, text: text)
        }
    }

    static func signed(_ value: Double?) -> String {
        guard let value else { return "—" }
        return (value >= 0 ? "+" : "") + String(format: "%.3f", value)
    }
}
