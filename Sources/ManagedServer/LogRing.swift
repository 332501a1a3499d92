import Foundation
import Inference
import Locking

/// The last lines a child process wrote, kept in memory (bounded), optionally also appended to a file.
///
/// A line longer than ``maxLineBytes`` is cut there, so output without newlines cannot grow memory.
final class LogRing: Sendable {
    static let maxLineBytes = 16 << 10

    private struct State {
        var lines: [String] = []
        var start = 0
        var partial: [UInt8] = []
        var file: FileHandle?
    }

    private let capacity: Int
    private let state: Locked<State>
    private let drained = OneShotSignal<Void>()

    init(capacity: Int, filePath: String?) {
        self.capacity = max(1, capacity)
        var file: FileHandle?
        if let filePath {
            if !FileManager.default.fileExists(atPath: filePath) {
                _ = FileManager.default.createFile(atPath: filePath, contents: nil)
            }
            file = FileHandle(forWritingAtPath: filePath)
            _ = try? file?.seekToEnd()
        }
        state = Locked(State(file: file))
    }

    /// Appends raw output.
    func append(_ bytes: UnsafeRawBufferPointer) {
        state.withLock { state in
            if let file = state.file {
                do { try file.write(contentsOf: bytes) } catch { state.file = nil }
            }
            var lineStart = 0
            for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
                state.partial.append(contentsOf: bytes[lineStart..<index])
                push(&state)
                lineStart = index + 1
            }
            state.partial.append(contentsOf: bytes[lineStart...])
            while state.partial.count >= Self.maxLineBytes {
                let rest = Array(state.partial[Self.maxLineBytes...])
                state.partial.removeSubrange(Self.maxLineBytes...)
                push(&state)
                state.partial = rest
            }
        }
    }

    private func push(_ state: inout State) {
        var line = state.partial
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        state.partial.removeAll(keepingCapacity: true)
        let text = String(decoding: line, as: UTF8.self)
        if state.lines.count < capacity {
            state.lines.append(text)
        } else {
            state.lines[state.start] = text
            state.start = (state.start + 1) % capacity
        }
    }

    /// The most recent `count` lines, oldest first (all kept lines when `nil`), including an unfinished last line.
    func tail(_ count: Int? = nil) -> [String] {
        state.withLock { state in
            var all = Array(state.lines[state.start...] + state.lines[..<state.start])
            if !state.partial.isEmpty { all.append(String(decoding: state.partial, as: UTF8.self)) }
            guard let count else { return all }
            return Array(all.suffix(max(0, count)))
        }
    }

    /// The writer closed its end: no more output will come.
    func finish() {
        closeFile()
        drained.fire(())
    }

    /// Whether all output has been read, waiting up to `timeout` for it.
    @discardableResult
    func waitUntilDrained(timeout: Duration) async -> Bool {
        await drained.wait(timeout: timeout, cancellable: false) != nil
    }

    /// Stops appending to the log file (in-memory lines continue).
    func closeFile() {
        let file = state.withLock { state -> FileHandle? in
            defer { state.file = nil }
            return state.file
        }
        try? file?.close()
    }
}
