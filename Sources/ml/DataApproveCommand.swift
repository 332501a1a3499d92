import ArgumentParser
import DataPipeline
import Foundation

/// `ml data approve [rules]`
struct DataApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve scored answers by rules into the golden set.",
        discussion: "Always rejected: empty answers, failed generations, answers the heuristic finds empty or broken, and (unless --allow-truncated) answers cut off by the token limit."
    )

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "Lowest heuristic LEK score accepted.") var minLek: Double?
    @Option(help: "Highest heuristic degeneration accepted (0, 1, 3, 5, 10).") var maxDegeneration: Double?
    @Option(help: "Lowest judge score accepted, for every judge metric present.") var minJudge: Double?
    @Flag(help: "Reject answers without a judge score.") var requireJudge = false
    @Flag(help: "Accept answers cut off by the token limit.") var allowTruncated = false

    func run() async throws {
        let rules = ApprovalRules(minLEK: minLek, maxDegeneration: maxDegeneration, minJudge: minJudge,
                                  requireJudge: requireJudge, allowTruncated: allowTruncated)
        let report = try await withWorkspace(workspace) { store in try await Approver.run(store: store, rules: rules) }
        let reasons = report.reasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("\(report.considered) answers: \(report.approved) approved, \(report.rejected) rejected"
              + (reasons.isEmpty ? "" : " (\(reasons))"))
    }
}
