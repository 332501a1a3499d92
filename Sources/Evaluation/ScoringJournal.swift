import Foundation

/// An append-only JSON-lines journal of finished items, for crash-safe resume.
///
/// Each line is `{"config": <hash>, "key": <item id>, "result": {…}}`, written with one `write` call and, for items
/// that cost judge calls, `fsync`ed. On resume, lines of another configuration and undecodable lines (a line torn
/// by a crash mid-write) are ignored; appending after a torn line starts a fresh line.
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

    /// Opens the journal at `path`. With `resume` false an existing journal is emptied.
    public init(path: String, configHash: String, resume: Bool) throws {
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
    }

    deinit { try? handle.close() }

    /// Finished results of this configuration, by item key, in journal order (a key may repeat for duplicate ids).
    public func load() throws -> [String: [ItemResult]] {
        var results: [String: [ItemResult]] = [:]
        let reader = try LineReader(path: path)
        let decoder = JSONDecoder()
        while let line = try reader.next() {
            guard case .text(let text) = line, !text.isEmpty,
                  let entry = try? decoder.decode(Entry.self, from: Data(text.utf8)),
                  entry.config == configHash
            else { continue }
            results[entry.key, default: []].append(entry.result)
        }
        return results
    }

    /// Appends one finished item; `sync` forces it to disk before returning.
    public func append(key: String, result: ItemResult, sync: Bool) throws {
        var data = try encoder.encode(Entry(config: configHash, key: key, result: result))
        data.append(10)
        try handle.write(contentsOf: data)
        if sync { try handle.synchronize() }
    }
}
