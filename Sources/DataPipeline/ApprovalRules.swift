import Foundation
import Workspace

/// `ml data approve`'s rules. An answer is approved when every rule holds; the first that fails is recorded as
/// the reason. Always: a non-empty answer that did not end in an error, scored, and not empty/broken by the
/// heuristic.
package struct ApprovalRules: Sendable, Codable, Hashable {
    /// Lowest heuristic LEK score accepted.
    package var minLEK: Double?
    /// Highest heuristic degeneration (sentence repetition) accepted.
    package var maxDegeneration: Double?
    /// Every judge score (`suite.metric` of any judge suite) must be at least this.
    package var minJudge: Double?
    /// Require at least one judge score.
    package var requireJudge: Bool
    /// Accept answers cut off by the token limit (`finish_reason` `length`).
    package var allowTruncated: Bool

    package init(minLEK: Double? = nil, maxDegeneration: Double? = nil, minJudge: Double? = nil,
                requireJudge: Bool = false, allowTruncated: Bool = false) {
        self.minLEK = minLEK
        self.maxDegeneration = maxDegeneration
        self.minJudge = minJudge
        self.requireJudge = requireJudge
        self.allowTruncated = allowTruncated
    }

    /// The rule set as recorded with each decision.
    package var name: String {
        var parts: [String] = []
        if let minLEK { parts.append("lek>=\(minLEK)") }
        if let maxDegeneration { parts.append("degeneration<=\(maxDegeneration)") }
        if let minJudge { parts.append("judge>=\(minJudge)") }
        if requireJudge { parts.append("judge-required") }
        if allowTruncated { parts.append("truncated-ok") }
        return parts.isEmpty ? "basic" : parts.joined(separator: ",")
    }

    /// Why an answer is not approved: the rule that failed (a stable name, counted in reports) and the detail.
    package struct Rejection: Sendable, Hashable {
        package var rule: String
        package var detail: String
    }

    /// nil when approved, else the first rule that fails.
    package func rejection(_ answer: AnsweredPrompt, scores: [String: Double]) -> Rejection? {
        func no(_ rule: String, _ detail: String) -> Rejection { Rejection(rule: rule, detail: detail) }
        if answer.response.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return no("empty", "empty answer") }
        if answer.finishReason == "error" || answer.finishReason == "cancelled" {
            return no("failed", "generation ended with \(answer.finishReason)")
        }
        if !allowTruncated && answer.finishReason == "length" { return no("truncated", "cut off at the token limit") }
        guard let lek = scores["heuristic.lek_score"] else { return no("unscored", "not scored (run ml data score first)") }
        if (scores["heuristic.empty_broken"] ?? 0) > 0 { return no("broken", "empty or broken by the heuristic") }
        if let minLEK, lek < minLEK { return no("lek", "LEK \(lek) < \(minLEK)") }
        if let maxDegeneration, let degeneration = scores["heuristic.degeneration"], degeneration > maxDegeneration {
            return no("degeneration", "degeneration \(degeneration) > \(maxDegeneration)")
        }
        let judged = scores.filter { !$0.key.hasPrefix("heuristic.") }
        if requireJudge && judged.isEmpty { return no("judge-missing", "no judge score") }
        if let minJudge, let low = judged.sorted(by: { $0.key < $1.key }).first(where: { $0.value < minJudge }) {
            return no("judge", "\(low.key) \(low.value) < \(minJudge)")
        }
        return nil
    }
}

/// The outcome of `ml data approve`.
package struct ApproveReport: Sendable, Codable {
    package var considered = 0
    package var approved = 0
    package var rejected = 0
    package var reasons: [String: Int] = [:]
}

/// `ml data approve`: applies the rules to every answer without a decision; approved answers join the golden set.
package enum Approver {
    package static func run(store: any WorkspaceStore, rules: ApprovalRules) async throws -> ApproveReport {
        var report = ApproveReport()
        let pending = try await store.answersToApprove()
        var decisions: [(ApprovalRecord, AnsweredPrompt)] = []
        for (answer, scores) in pending {
            // An answer not scored yet is left undecided, for a later run after `ml data score`.
            guard scores["heuristic.lek_score"] != nil else { continue }
            report.considered += 1
            let reason = rules.rejection(answer, scores: scores)
            if let reason {
                report.rejected += 1
                report.reasons[reason.rule, default: 0] += 1
            } else {
                report.approved += 1
            }
            decisions.append((ApprovalRecord(promptID: answer.promptID, approved: reason == nil, rule: rules.name,
                                             reason: reason?.detail), answer))
        }
        try await store.saveApprovals(decisions)
        return report
    }
}
