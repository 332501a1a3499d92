import Foundation
import SafeFiles
import Scoring
import Statistics

/// Builds the score file (``ScoreFile``'s shape) from results as they are scored, in one pass.
///
/// Why: reading the per-item results back through `JSONDecoder` (once for the averages, once per model for
/// `per_prompt`) cost more than scoring them. Here each result is added as the engine writes it: its metrics go
/// into running sums and its `per_prompt` entry, encoded once, into a spill file (unlinked at once, so a crash
/// leaves nothing behind); ``commit(metadata:)`` writes the file, copying each model's entries from the spill in
/// input order. Memory holds the sums and one byte range per run of consecutive items of one model — a few bytes
/// per item at worst (models interleaved line by line), nothing per item for an input grouped by model. Used by one
/// task at a time (the engine's run), hence `@unchecked Sendable`, like ``ScoringJournal``.
public final class ScoreFileBuilder: @unchecked Sendable {
    public let outputPath: String
    private var sums: [String: ScoreFile.Sums] = [:]
    /// Byte ranges of each model's entries in the spill file, in input order (consecutive ranges merged).
    private var ranges: [String: [Range<Int64>]] = [:]
    /// The run of consecutive entries of one model being extended (kept apart: no dictionary lookup per item).
    private var current: (model: String, range: Range<Int64>)?
    private let spill: Int32
    private var spillBuffer: [UInt8] = []
    private var spillSize: Int64 = 0
    private var encoder: JSONEncoder
    public private(set) var items = 0
    public private(set) var failed = 0

    /// Prepares to write the score file at `outputPath`; its directory must exist. Nothing is written there before
    /// ``commit(metadata:)``.
    public init(outputPath: String) throws {
        self.outputPath = outputPath
        let url = try FileError.wrapping(path: outputPath) {
            try AtomicFile.temporaryURL(for: URL(fileURLWithPath: outputPath + ".entries"))
        }
        let fd = open(url.path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileError.posix(path: url.path, "cannot create the score file's spill file") }
        unlink(url.path)
        spill = fd
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit { close(spill) }

    /// Adds one result (in input order): counted always, in the averages and `per_prompt` when it names a model.
    public func add(_ result: ItemResult) throws {
        items += 1
        if result.failed { failed += 1 }
        guard let model = result.model else { return }
        ScoreFile.accumulate(result, into: &sums[model, default: ScoreFile.Sums()])
        let start = spillSize + Int64(spillBuffer.count)
        // Each entry is spilled as ",\n{…}"; a model's first entry is copied without its comma.
        spillBuffer.append(contentsOf: ",\n".utf8)
        if !ScoreFileEntryWriter.write(result, into: &spillBuffer) {
            spillBuffer.append(contentsOf: try encoder.encode(ScoreFile.entry(result)))
        }
        let end = spillSize + Int64(spillBuffer.count)
        if let current, current.model == model {
            self.current = (model, current.range.lowerBound..<end)
        } else {
            closeCurrentRange()
            current = (model, start..<end)
        }
        if spillBuffer.count >= 256 << 10 { try flushSpill() }
    }

    /// Moves the run of entries being extended into ``ranges``.
    private func closeCurrentRange() {
        guard let current else { return }
        ranges[current.model, default: []].append(current.range)
        self.current = nil
    }

    private func flushSpill() throws {
        guard !spillBuffer.isEmpty else { return }
        try spillBuffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(spill, bytes.baseAddress! + offset, bytes.count - offset)
                guard written > 0 else {
                    if written < 0 && errno == EINTR { continue }
                    throw FileError.posix(path: outputPath, "writing the score file's spill file")
                }
                offset += written
            }
        }
        spillSize += Int64(spillBuffer.count)
        spillBuffer.removeAll(keepingCapacity: true)
    }

    /// Per model and metric, the count, mean and standard error of what was added so far (`model_statistics`).
    public var statistics: [String: [String: SampleSummary]] { sums.mapValues(\.statistics) }

    /// The `model_averages` of what was added so far.
    public var averages: [String: [String: Double]] { sums.mapValues(\.averages) }

    /// Writes the score file atomically (a crash mid-write leaves the previous file, never a truncated one) and
    /// returns the model averages.
    @discardableResult
    public func commit(metadata meta: ScoreFileMetadata) throws -> [String: [String: Double]] {
        try flushSpill()
        closeCurrentRange()
        let averages = self.averages
        let writer = try FileError.wrapping(path: outputPath) { try AtomicFileWriter(path: outputPath) }
        try writer.write(Data("{\"metadata\": ".utf8) + encoder.encode(ScoreFile.metadata(meta, items: items, failed: failed)))
        try writer.write(Data(",\n\"model_averages\": ".utf8) + encoder.encode(averages))
        try writer.write(Data(",\n\"model_statistics\": ".utf8)
            + encoder.encode(ScoreFile.statisticsValue(sums.mapValues(\.statistics))))
        try writer.write(Data(",\n\"per_prompt\": {".utf8))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for (index, model) in sums.keys.sorted().enumerated() {
            try writer.write(Data((index == 0 ? "\n" : ",\n").utf8) + encoder.encode(model) + Data(": [".utf8))
            for (number, range) in (ranges[model] ?? []).enumerated() {
                var offset = range.lowerBound + (number == 0 ? 1 : 0)
                while offset < range.upperBound {
                    let wanted = Int(min(Int64(chunk.count), range.upperBound - offset))
                    let read = chunk.withUnsafeMutableBytes { pread(spill, $0.baseAddress!, wanted, off_t(offset)) }
                    guard read > 0 else {
                        if read < 0 && errno == EINTR { continue }
                        throw FileError.posix(path: outputPath, "reading back the score file's spill file")
                    }
                    try writer.write(Data(chunk[0..<read]))
                    offset += Int64(read)
                }
            }
            try writer.write(Data("\n]".utf8))
        }
        try writer.write(Data("\n}}\n".utf8))
        try FileError.wrapping(path: outputPath) { try writer.commit() }
        return averages
    }
}
