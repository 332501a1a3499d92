import Evaluation
import Foundation

/// Shows a scoring run's progress on standard error: a redrawn bar on a terminal (items/s, ETA, failures), plain
/// periodic lines otherwise (logs, CI).
struct ProgressDisplay: Sendable {
    /// Input lines, when known up front (for the bar and the ETA).
    var total: Int?
    var isTerminal: Bool = isatty(STDERR_FILENO) == 1

    /// How often the engine should report.
    var interval: Duration { isTerminal ? .milliseconds(250) : .seconds(10) }

    func show(_ progress: ScoringProgress) {
        let line = Self.render(progress, total: total, barWidth: isTerminal ? 28 : nil)
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line + (progress.finished ? "\n" : "")).utf8))
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// One progress line; with a bar width, a bar is drawn when the total is known.
    static func render(_ progress: ScoringProgress, total: Int?, barWidth: Int?) -> String {
        var extras: [String] = []
        if progress.resumed > 0 { extras.append("\(progress.resumed) resumed") }
        if progress.inFlight > 0 { extras.append("\(progress.inFlight) judging") }
        return render(done: progress.done, total: progress.finished ? progress.read : total, failed: progress.failed,
                      itemsPerSecond: progress.itemsPerSecond, elapsedSeconds: progress.elapsedSeconds,
                      finished: progress.finished, barWidth: barWidth, unit: "items", extras: extras)
    }

    /// The line every command's progress uses: bar (terminal, total known), done/total, rate, ETA or elapsed time,
    /// failures, then the command's own extras.
    static func render(done: Int, total: Int?, failed: Int, itemsPerSecond: Double, elapsedSeconds: Double,
                       finished: Bool, barWidth: Int?, unit: String, extras: [String] = []) -> String {
        var parts: [String] = []
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            if let barWidth {
                let filled = Int((fraction * Double(barWidth)).rounded(.down))
                parts.append("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + "]")
            }
            parts.append("\(done)/\(total) \(unit) (\(Int((fraction * 100).rounded(.down)))%)")
        } else {
            parts.append("\(done) \(unit)")
        }
        parts.append(String(format: "%.1f/s", itemsPerSecond))
        if let total, !finished, itemsPerSecond > 0, total > done {
            parts.append("ETA " + duration(Double(total - done) / itemsPerSecond))
        }
        if finished { parts.append("in " + duration(elapsedSeconds)) }
        parts.append("\(failed) failed")
        return (parts + extras).joined(separator: "  ")
    }

    /// Writes a line for item-by-item progress: redrawn in place on a terminal (with the bar), one plain line per
    /// item otherwise, prefixed by `note` (what just finished).
    func show(done: Int, failed: Int, elapsedSeconds: Double, note: String, unit: String) {
        let rate = elapsedSeconds > 0 ? Double(done) / elapsedSeconds : 0
        let finished = total.map { done >= $0 } ?? false
        let line = Self.render(done: done, total: total, failed: failed, itemsPerSecond: rate,
                               elapsedSeconds: elapsedSeconds, finished: finished, barWidth: isTerminal ? 28 : nil,
                               unit: unit)
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line + "  " + note + (finished ? "\n" : "")).utf8))
        } else {
            FileHandle.standardError.write(Data(("  " + note + "  " + line + "\n").utf8))
        }
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole >= 3600 { return String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60) }
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }

    /// Counts lines of a regular file quickly (for the bar); nil for pipes and unreadable files.
    static func countLines(path: String) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let handle = FileHandle(forReadingAtPath: path)
        else { return nil }
        defer { try? handle.close() }
        var count = 0
        var last: UInt8 = 10
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { raw in
                guard var cursor = raw.baseAddress else { return }
                let end = cursor + raw.count
                while cursor < end, let hit = memchr(cursor, 10, end - cursor) {
                    count += 1
                    cursor = UnsafeRawPointer(hit) + 1
                }
            }
            last = chunk.last ?? last
        }
        return last == 10 ? count : count + 1
    }
}
