import Foundation

/// The last lines a child process wrote, kept in memory (bounded), optionally also appended to a file.
final class LogRing: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var partial = Data()
    private let capacity: Int
    private let file: FileHandle?

    init(capacity: Int, filePath: String?) {
        self.capacity = max(1, capacity)
        if let filePath {
            if !FileManager.default.fileExists(atPath: filePath) { _ = FileManager.default.createFile(atPath: filePath, contents: nil) }
            file = FileHandle(forWritingAtPath: filePath)
            _ = try? file?.seekToEnd()
        } else {
            file = nil
        }
    }

    func append(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        try? file?.write(contentsOf: data)
        partial.append(data)
        while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: partial[partial.startIndex..<newline], as: UTF8.self)
            partial.removeSubrange(partial.startIndex...newline)
            lines.append(line)
            if lines.count > capacity { lines.removeFirst(lines.count - capacity) }
        }
    }

    /// The most recent `count` lines (all kept lines when `nil`).
    func tail(_ count: Int? = nil) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        var all = lines
        if !partial.isEmpty { all.append(String(decoding: partial, as: UTF8.self)) }
        guard let count else { return all }
        return Array(all.suffix(count))
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        try? file?.close()
    }
}
