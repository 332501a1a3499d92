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
        var parts: [String] = []
        let total = progress.finished ? progress.read : total
        if let total, total > 0 {
            let fraction = min(1, Double(progress.done) / Double(total))
            if let barWidth {
                let filled = Int((fraction * Double(barWidth)).rounded(.down))
                parts.append("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + "]")
            }
            parts.append("\(progress.done)/\(total) items (\(Int((fraction * 100).rounded(.down)))%)")
        } else {
            parts.append("\(progress.done) items")
        }
        parts.append(String(format: "%.1f/s", progress.itemsPerSecond))
        if let total, !progress.finished, progress.itemsPerSecond > 0, total > progress.done {
            parts.append("ETA " + duration(Double(total - progress.done) / progress.itemsPerSecond))
        }
        if progress.finished { parts.append("in " + duration(progress.elapsedSeconds)) }
        parts.append("\(progress.failed) failed")
        if progress.resumed > 0 { parts.append("\(progress.resumed) resumed") }
        if progress.inFlight > 0 { parts.append("\(progress.inFlight) judging") }
        return parts.joined(separator: "  ")
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
