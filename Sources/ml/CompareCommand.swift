import ArgumentParser
import Evaluation
import Foundation

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two score files (or two probe-result files) item by item: paired differences with standard errors, 95% intervals and p-values.",
        discussion: """
            Items are paired on model and id from both files' per_prompt entries. Each model and metric gets the mean \
            paired difference (NEW − OLD), its standard error and 95% t interval and the paired t-test's two-sided p; \
            exact_accuracy gets the exact McNemar test and Wilson intervals on both rates. `*` marks an interval that \
            excludes 0, `†` a difference significant at 5% after Holm–Bonferroni over all rows; MDE is the smallest \
            true difference the pairs detect with 80% power at the observed spread. Unpaired items are counted. \
            Two probe-result files (ml probe --output) pair on probe id: probe_passed by the exact McNemar test with \
            Wilson intervals, and with --samples files also probe_pass_rate by the paired t-test. Score files \
            without per-item entries fall back to the averages side by side, with no test.
            """
    )

    @Argument(help: "The older score file or probe-result file.") var old: String
    @Argument(help: "The newer score file or probe-result file.") var new: String
    @Flag(help: "Print JSON: rows of model, metric, n, old, new, delta, stderr, ci_low, ci_high, p_value, test, holm_significant, mde.")
    var json = false

    func run() async throws {
        let comparison = try FileComparison(oldPath: old, newPath: new)
        if json {
            print(comparison.json().serialized(indent: 2))
            return
        }
        switch comparison {
        case .paired(let paired):
            print(paired.table(), terminator: "")
        case .averages(let averages):
            print(averages.table(), terminator: "")
            print("no per-item results (per_prompt) in both files: averages only, no paired test is possible")
        }
    }
}
