import MLErrors

/// Reads `mlx_lm.lora` training logs, in either format the reference's users have (coloured or not):
///
/// - classic: `Iter 10: Train loss 2.345, Learning Rate 1.000e-05, It/sec 0.512, Tokens/sec 234.5, …` and
///   `Iter 20: Val loss 2.100, Val took 3.2s`;
/// - the table of `mlx_lm.lora` 0.32: `    10    1.283 ▼        8      0.4k` (iteration, train loss,
///   tokens/s, tokens trained) and `    20    val 0.927    6.98s` (iteration, validation loss, time),
///   with ANSI colour codes even when redirected to a file.
///
/// Every other line (model loading, progress, headers) is not a loss line and is skipped silently; a line that
/// starts like a loss line but cannot be read is an error naming what is wrong.
public enum TrainingLogParser {
    /// One loss reading.
    public struct Entry: Sendable, Hashable {
        public var iteration: Int
        /// `"train"` or `"val"`.
        public var lossType: String
        public var loss: Double
        public var learningRate: Double?
        public var iterationsPerSecond: Double?
        public var tokensPerSecond: Double?

        public init(
            iteration: Int, lossType: String, loss: Double, learningRate: Double? = nil,
            iterationsPerSecond: Double? = nil, tokensPerSecond: Double? = nil
        ) {
            self.iteration = iteration
            self.lossType = lossType
            self.loss = loss
            self.learningRate = learningRate
            self.iterationsPerSecond = iterationsPerSecond
            self.tokensPerSecond = tokensPerSecond
        }

        /// The store row of this reading.
        public func record(runID: String, model: String) -> TrainingLossRecord {
            TrainingLossRecord(
                runID: runID, model: model, iteration: iteration, lossType: lossType, loss: loss,
                learningRate: learningRate, iterationsPerSecond: iterationsPerSecond, tokensPerSecond: tokensPerSecond)
        }

        /// The reference's `training_loss` point (tags model, run_id, loss_type; train at offset 0, val at 1 of the
        /// iteration's slot, so ingesting the same log again overwrites instead of doubling).
        public func point(runID: String, model: String) throws -> InfluxPoint {
            var fields = [InfluxField("loss", .float(loss)), InfluxField("iteration", .integer(Int64(iteration)))]
            if let learningRate { fields.append(InfluxField("learning_rate", .float(learningRate))) }
            if let iterationsPerSecond { fields.append(InfluxField("it_per_sec", .float(iterationsPerSecond))) }
            if let tokensPerSecond { fields.append(InfluxField("tokens_per_sec", .float(tokensPerSecond))) }
            return InfluxPoint(
                measurement: "training_loss",
                tags: ["model": model, "run_id": runID, "loss_type": lossType],
                tagOrder: ["model", "run_id", "loss_type"],
                fields: fields,
                timestamp: try CheckpointRecords.timestamp(iteration: iteration, offset: lossType == "train" ? 0 : 1))
        }
    }

    /// Why a loss line could not be read (its description is the message alone).
    public typealias LineError = ModuleError<LineErrorCode>

    /// The reading on `line`; nil when the line is not a loss line.
    public static func parse(_ line: String) throws -> Entry? {
        let text = stripANSI(line).trimmingWhitespace()
        if text.hasPrefix("Iter ") { return try parseClassic(text) }
        return try parseTable(text)
    }

    /// `line` without ANSI escape sequences (CSI `ESC [ … letter`, and any other `ESC x` pair).
    public static func stripANSI(_ line: String) -> String {
        var result = String.UnicodeScalarView()
        var scalars = line.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else {
                result.append(scalar)
                continue
            }
            guard let next = scalars.next() else { break }
            if next == "[" {
                while let c = scalars.next(), !(0x40...0x7E).contains(c.value) {}
            }
        }
        return String(result)
    }

    private static func parseClassic(_ text: String) throws -> Entry? {
        // "Iter N: Train loss X, Learning Rate Y, It/sec Z, Tokens/sec W, …" | "Iter N: Val loss X, …"
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let head = text[text.index(text.startIndex, offsetBy: 5)..<colon].trimmingWhitespace()
        let parts = text[text.index(after: colon)...].split(separator: ",").map { $0.trimmingWhitespace() }
        guard let first = parts.first else { return nil }
        let lossType: String
        if first.hasPrefix("Train loss") {
            lossType = "train"
        } else if first.hasPrefix("Val loss") {
            lossType = "val"
        } else {
            return nil  // other "Iter N:" lines (e.g. "Saved adapter weights") carry no loss
        }
        guard let iteration = Int(head), iteration >= 0 else {
            throw LineError(.unreadable, "iteration \"\(InputExcerpt.of(head))\" is not a whole number")
        }
        func value(_ part: String, after name: String) throws -> Double {
            let raw = part.dropFirst(name.count).trimmingWhitespace()
            guard let number = Double(raw), number.isFinite else {
                throw LineError(.unreadable, "\(name) \"\(InputExcerpt.of(raw))\" is not a number")
            }
            return number
        }
        var entry = Entry(
            iteration: iteration, lossType: lossType,
            loss: try value(first, after: lossType == "train" ? "Train loss" : "Val loss"))
        for part in parts.dropFirst() {
            if part.hasPrefix("Learning Rate") {
                entry.learningRate = try value(part, after: "Learning Rate")
            } else if part.hasPrefix("It/sec") {
                entry.iterationsPerSecond = try value(part, after: "It/sec")
            } else if part.hasPrefix("Tokens/sec") {
                entry.tokensPerSecond = try value(part, after: "Tokens/sec")
            }
        }
        return entry
    }

    private static func parseTable(_ text: String) throws -> Entry? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard tokens.count >= 2, !tokens[0].isEmpty, tokens[0].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard let iteration = Int(tokens[0]) else {
            throw LineError(.unreadable, "iteration \(InputExcerpt.of(tokens[0])) is past the largest integer")
        }
        if tokens[1] == "val" {
            guard tokens.count >= 3, let loss = Double(tokens[2]), loss.isFinite else {
                throw LineError(
                    .unreadable, "validation loss \"\(InputExcerpt.of(tokens.count >= 3 ? tokens[2] : ""))\" is not a number")
            }
            return Entry(iteration: iteration, lossType: "val", loss: loss)
        }
        // A train row: iteration, loss, an optional trend arrow, tokens/s, tokens trained.
        guard tokens.count >= 3, let loss = Double(tokens[1]) else {
            // A line starting with a number that is no table row (e.g. a bare count) is not a loss line.
            if tokens.count >= 3, tokens[1].first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true {
                throw LineError(.unreadable, "train loss \"\(InputExcerpt.of(tokens[1]))\" is not a number")
            }
            return nil
        }
        guard loss.isFinite else {
            throw LineError(.unreadable, "train loss \"\(InputExcerpt.of(tokens[1]))\" is not a finite number")
        }
        let rest = tokens.dropFirst(2).drop { Double($0) == nil && scaled($0) == nil }
        return Entry(iteration: iteration, lossType: "train", loss: loss, tokensPerSecond: rest.first.flatMap(scaled))
    }

    /// `8`, `0.4k`, `1.2M` as numbers.
    private static func scaled(_ token: String) -> Double? {
        if let value = Double(token) { return value }
        guard let last = token.last, let value = Double(token.dropLast()) else { return nil }
        switch last {
        case "k", "K": return value * 1e3
        case "M": return value * 1e6
        case "G": return value * 1e9
        default: return nil
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs, carriage returns and newlines.
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
