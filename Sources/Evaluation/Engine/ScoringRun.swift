import Foundation

/// A scoring run over files, and its file layout: the input, the score file, and beside the score file the per-item
/// results (`<score file>.items.jsonl`) and the journal (`<score file>.journal`) that makes the run resumable.
///
/// ``score(with:resume:)`` scores the input into the per-item results, journaling, and builds the score file as the
/// results come; ``ScoreFileBuilder/commit(metadata:)`` then writes it. The input is checked before any file of an
/// earlier run is touched.
public struct ScoringRun: Sendable {
    /// The responses, one JSON object per line.
    public let inputPath: String
    /// The score file (the reference's shape).
    public let outputPath: String

    /// A run over `inputPath` writing the score file at `outputPath` (by default ``defaultOutputPath(forInput:)``).
    public init(inputPath: String, outputPath: String? = nil) {
        self.inputPath = inputPath
        self.outputPath = outputPath ?? Self.defaultOutputPath(forInput: inputPath)
    }

    /// The per-item results, one JSON line per input line.
    public var itemsPath: String { outputPath + ".items.jsonl" }
    /// The journal of finished items.
    public var journalPath: String { outputPath + ".journal" }

    /// The input's path without `.jsonl` (or `.json`), then `.scores.json`.
    public static func defaultOutputPath(forInput input: String) -> String {
        var base = input
        for suffix in [".jsonl", ".json"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        return base + ".scores.json"
    }

    /// Why the input cannot be scored (`is a directory, not a JSON-lines file`, `cannot be read`), or nil: checked
    /// before anything of an earlier run is touched.
    public func inputProblem() -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: inputPath, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: inputPath)
        else { return isDirectory.boolValue ? "is a directory, not a JSON-lines file" : "cannot be read" }
        return nil
    }

    /// Scores the input with `engine` (resuming from the journal when `resume`), and returns the summary and the score
    /// file, built and ready to commit.
    public func score(with engine: ScoringEngine, resume: Bool) async throws
        -> (summary: ScoringSummary, scoreFile: ScoreFileBuilder)
    {
        let scoreFile = try ScoreFileBuilder(outputPath: outputPath)
        let summary = try await engine.run(inputPath: inputPath, outputPath: itemsPath, journalPath: journalPath,
                                           resume: resume, scoreFile: scoreFile)
        return (summary, scoreFile)
    }

    /// The first `limit` failed items of the per-item results (none when they cannot be read).
    public func failedItems(limit: Int) -> [ItemResult] {
        (try? ScoreFile.failedItems(resultsPath: itemsPath, limit: limit)) ?? []
    }
}
