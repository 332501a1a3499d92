import Foundation
import JSONValues

/// One model's training progress as the reference's dashboards record it in InfluxDB: the newest
/// `training_status` point (status, iteration of total, percent) merged with its newest `loss_type=train`
/// `training_loss` point (loss, learning rate). A model with loss points only has no status or total.
public struct StatusTrainingProgress: Sendable, Hashable {
    public var model: String
    public var runID: String?
    public var status: String?
    public var iteration: Int?
    public var totalIterations: Int?
    public var percent: Double?
    public var loss: Double?
    /// `lr` as the reference's trainer writes it, or `learning_rate` as `ml ingest` does.
    public var learningRate: Double?

    public init(model: String, runID: String? = nil, status: String? = nil, iteration: Int? = nil,
                totalIterations: Int? = nil, percent: Double? = nil, loss: Double? = nil, learningRate: Double? = nil) {
        self.model = model
        self.runID = runID
        self.status = status
        self.iteration = iteration
        self.totalIterations = totalIterations
        self.percent = percent
        self.loss = loss
        self.learningRate = learningRate
    }

    var json: JSONValue {
        func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
        return .object([
            "model": .string(model), "run_id": string(runID), "status": string(status),
            "iteration": number(iteration.map(Double.init)), "total_iters": number(totalIterations.map(Double.init)),
            "pct": number(percent), "loss": number(loss), "learning_rate": number(learningRate),
        ])
    }

    /// The reference's line: model, status, `iteration/total`, percent, then `loss=` and ours, `lr=`.
    var line: String {
        let progress = "\(iteration.map(String.init) ?? "?")/\(totalIterations.map(String.init) ?? "?")"
        let pct = percent.map { String(format: "%.1f%%", $0) } ?? "-"
        var text = "  " + Self.padded(model, 13) + " " + Self.padded(status ?? "-", 9) + " "
            + Self.padded(progress, 9, right: true) + " " + Self.padded(pct, 7, right: true)
        if let loss { text += String(format: "  loss=%.3f", loss) }
        if let learningRate { text += String(format: "  lr=%.2e", learningRate) }
        return text
    }

    static func padded(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
