import Foundation

/// An append-only JSON-lines journal of finished items, for crash-safe resume.
///
/// Each line is `{"config": <hash>, "key": <item id>, "result": {…}}`. Items that cost judge calls are written at once
/// and `fsync`ed (with every line batched before them); items that need no sync (heuristic and exact scores, cheap
/// to redo) are batched and written in one `write` per ``batchBytes``, so a crash loses at most that batch, which a
/// resumed run scores again. On resume, lines of another configuration and undecodable lines (a line torn by a
/// crash mid-write) are ignored; appending after a torn line starts a fresh line.
public final class ScoringJournal: @unchecked Sendable {
    private struct Entry: Codable {
        var config: String
        var key: String
        var result: ItemResult
    }

    public let path: String
    public let configHash: String
    private let handle: FileHandle
    private let encoder: JSONEncoder
    /// `{"config":<hash>,"key":` — the start of every line (the keys in the encoder's sorted order).
    private let linePrefix: Data
    /// Lines not written yet (bytes: appending to `Data` cost more than building the line).
    private var batch: [UInt8] = []
    /// Unsynced lines are written when this many bytes are waiting.
    public let batchBytes: Int

    /// Opens the journal at `path`. With `resume` false an existing journal is emptied.
    public init(path: String, configHash: String, resume: Bool, batchBytes: Int = 256 << 10) throws {
        self.path = path
        self.configHash = configHash
        let manager = FileManager.default
        if !resume || !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil) else {
                throw FileError(path: path, "cannot create the journal")
            }
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw FileError(path: path, "cannot open the journal for writing")
        }
        self.handle = handle
        let end = try handle.seekToEnd()
        if end > 0 {
            try handle.seek(toOffset: end - 1)
            if handle.readData(ofLength: 1) != Data([10]) {
                try handle.seekToEnd()
                try handle.write(contentsOf: Data([10]))
            }
        }
        try handle.seekToEnd()
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        linePrefix = Data(#"{"config":"#.utf8) + (try encoder.encode(configHash)) + Data(#","key":"#.utf8)
        self.batchBytes = batchBytes
    }

    deinit {
        try? flush()
        try? handle.close()
    }

    /// Finished results of this configuration, by item key, in journal order (a key may repeat for duplicate ids).
    public func load() throws -> [String: [ItemResult]] {
        var results: [String: [ItemResult]] = [:]
        let reader = try LineReader(path: path)
        let decoder = JSONDecoder()
        while let line = try reader.next() {
            guard case .text(let text) = line, let entry = Self.entry(text, configHash: configHash, decoder: decoder)
            else { continue }
            results[entry.key, default: []].append(entry.result)
        }
        return results
    }

    /// A journal line's item key and result, or nil for a line a resumed run skips: empty, torn by a crash
    /// mid-write (undecodable), or journaled under another configuration.
    static func entry(_ line: String, configHash: String, decoder: JSONDecoder) -> (key: String, result: ItemResult)? {
        guard !line.isEmpty, let entry = try? decoder.decode(Entry.self, from: Data(line.utf8)), entry.config == configHash
        else { return nil }
        return (entry.key, entry.result)
    }

    /// Appends one finished item; `sync` forces it (and everything batched before it) to disk before returning.
    public func append(key: String, result: ItemResult, sync: Bool) throws {
        try append(key: key, encodedResult: try encoder.encode(result), sync: sync)
    }

    /// Appends one finished item whose result is already encoded (sorted keys, unescaped slashes, no newline):
    /// the line is the one ``append(key:result:sync:)`` writes, without encoding the result twice.
    func append(key: String, encodedResult: Data, sync: Bool) throws {
        batch.append(contentsOf: linePrefix)
        // The key as JSONEncoder writes it, without a JSONEncoder per line (it cost as much as scoring the item).
        ItemResultWriter.string(key, &batch)
        batch.append(contentsOf: #","result":"#.utf8)
        batch.append(contentsOf: encodedResult)
        batch.append(contentsOf: "}\n".utf8)
        if sync {
            try flush()
            try handle.synchronize()
        } else if batch.count >= batchBytes {
            try flush()
        }
    }

    /// Writes the batched lines (whole lines, one `write`).
    public func flush() throws {
        guard !batch.isEmpty else { return }
        defer { batch.removeAll(keepingCapacity: true) }
        try handle.write(contentsOf: batch)
    }
}
