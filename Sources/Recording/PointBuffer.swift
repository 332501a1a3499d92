import Foundation
import Logging
import SafeFiles

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A crash-safe file of line-protocol batches that could not be written yet: JSON lines, one batch per line
/// (`{"lines": [...], "added": "2025-01-01T00:00:00Z"}`).
///
/// ``append(_:added:)`` writes and fsyncs before returning. ``replay(write:)`` sends the batches oldest first and,
/// after each success, atomically rewrites the file without that batch (temp file in the same directory,
/// fsync, rename, fsync of the directory). A crash therefore never loses a batch; at worst the batch that was
/// being sent is sent again, which InfluxDB absorbs: a point with the same measurement, tag set and timestamp
/// overwrites the earlier one, so re-sending an identical batch is idempotent.
///
/// A line that is not a valid batch (a torn append, a hand edit) is moved to `<path>.bad` with a logged
/// warning, never dropped. A batch InfluxDB refuses (``RecordingError/isRejectedBatch``) is moved to
/// `<path>.rejected` with the server's reason (``setAside(_:reason:)``) and the replay goes on: one bad batch
/// never blocks the ones after it. Any other failure stops the replay and keeps that batch and the rest in order.
public actor PointBuffer {
    /// One pending write.
    public struct Batch: Sendable, Hashable, Codable {
        /// Line-protocol lines, sent as one request.
        public var lines: [String]
        /// When the batch was buffered.
        public var added: Date

        public init(lines: [String], added: Date = Date()) {
            self.lines = lines
            self.added = added
        }
    }

    /// What a replay did.
    public struct ReplayResult: Sendable {
        /// Batches sent and removed from the buffer.
        public var sent: Int
        /// Batches still in the buffer.
        public var remaining: Int
        /// The error that stopped the replay, if one did.
        public var failure: (any Error)?
        /// Batches InfluxDB refused as malformed, moved to ``PointBuffer/rejectedPath``.
        public var rejected = 0
    }

    /// The buffer file.
    public nonisolated let path: String
    /// Where malformed lines are kept.
    public nonisolated var badPath: String { path + ".bad" }
    /// Where batches InfluxDB refused as malformed are kept.
    public nonisolated var rejectedPath: String { path + ".rejected" }
    private let logger: Logger
    private var replaying = false

    public init(path: String, logger: Logger = Logger(label: "swift-ml.recording.buffer")) {
        self.path = path
        self.logger = logger
    }

    /// Appends one batch and fsyncs it. Empty batches are ignored.
    public func append(_ lines: [String], added: Date = Date()) throws {
        guard !lines.isEmpty else { return }
        var data = try Self.encoder.encode(Batch(lines: lines, added: added))
        data.append(0x0A)
        try appendLine(data, to: path)
    }

    /// The pending batches, oldest first. Malformed lines are moved to ``badPath`` first.
    public func pending() throws -> [Batch] {
        try load()
    }

    /// Keeps a batch InfluxDB refused in ``rejectedPath`` (one JSON object per line: `lines`, `added`, `reason`),
    /// fsynced, and logs a warning naming the file.
    public func setAside(_ lines: [String], reason: String, added: Date = Date()) throws {
        var data = try Self.encoder.encode(RejectedBatch(lines: lines, added: added, reason: reason))
        data.append(0x0A)
        try appendLine(data, to: rejectedPath)
        logger.warning(
            "InfluxDB refused a batch; it was set aside and will not be retried",
            metadata: ["lines": "\(lines.count)", "reason": "\(reason)", "kept_in": "\(rejectedPath)"]
        )
    }

    /// A refused batch as ``rejectedPath`` keeps it.
    private struct RejectedBatch: Codable {
        var lines: [String]
        var added: Date
        var reason: String
    }

    /// Sends every pending batch through `write`, oldest first, removing each from the file once `write`
    /// returns. A batch InfluxDB refuses is set aside (``setAside(_:reason:)``) and the replay goes on; any other
    /// error stops it and keeps that batch and the rest. Batches appended meanwhile are
    /// kept (and sent in this replay). A replay started while another runs returns at once, sending nothing.
    public func replay(write: @Sendable ([String]) async throws -> Void) async -> ReplayResult {
        guard !replaying else {
            return ReplayResult(sent: 0, remaining: (try? load().count) ?? 0, failure: nil)
        }
        replaying = true
        defer { replaying = false }
        var sent = 0
        var rejected = 0
        while true {
            let batches: [Batch]
            do {
                batches = try load()
            } catch {
                return ReplayResult(sent: sent, remaining: 0, failure: error, rejected: rejected)
            }
            guard let first = batches.first else {
                return ReplayResult(sent: sent, remaining: 0, failure: nil, rejected: rejected)
            }
            do {
                try await write(first.lines)
            } catch let error as RecordingError where error.isRejectedBatch {
                do {
                    try setAside(first.lines, reason: error.message, added: first.added)
                    try remove(first)
                    rejected += 1
                    continue
                } catch let bufferError {
                    return ReplayResult(
                        sent: sent, remaining: (try? load().count) ?? 0, failure: bufferError, rejected: rejected)
                }
            } catch {
                logger.warning(
                    "replay of the InfluxDB buffer stopped",
                    metadata: ["sent": "\(sent)", "remaining": "\(batches.count)", "error": "\(error)"]
                )
                return ReplayResult(sent: sent, remaining: batches.count, failure: error, rejected: rejected)
            }
            do {
                try remove(first)
                sent += 1
            } catch {
                return ReplayResult(sent: sent, remaining: (try? load().count) ?? 0, failure: error, rejected: rejected)
            }
        }
    }

    /// Rewrites the file without `batch`. Appends may have run during its write: re-read, then drop it (still the
    /// first).
    private func remove(_ batch: Batch) throws {
        var current = try load()
        if current.first == batch {
            current.removeFirst()
        } else if let index = current.firstIndex(of: batch) {
            current.remove(at: index)
        }
        try rewrite(current)
    }

    // MARK: - File access

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Reads the valid batches; sets malformed lines aside in ``badPath`` and rewrites the file without them.
    private func load() throws -> [Batch] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RecordingError(.buffer, "cannot read the buffer \(path): \(error.localizedDescription)", underlying: error)
        }
        var batches: [Batch] = []
        var bad: [Data] = []
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
            let raw = Data(line)
            if raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            if let batch = try? Self.decoder.decode(Batch.self, from: raw) {
                batches.append(batch)
            } else {
                bad.append(raw)
            }
        }
        if !bad.isEmpty {
            // Keep them first, then drop them from the buffer: a crash in between duplicates, never loses.
            for line in bad { try appendLine(line + [0x0A], to: badPath) }
            try rewrite(batches)
            logger.warning(
                "malformed lines in the InfluxDB buffer were moved aside",
                metadata: ["count": "\(bad.count)", "buffer": "\(path)", "kept_in": "\(badPath)"]
            )
        }
        return batches
    }

    /// Appends bytes and fsyncs; starts a new line first if the file ends in a torn (unterminated) line.
    private func appendLine(_ data: Data, to file: String) throws {
        try ensureDirectory()
        let existed = FileManager.default.fileExists(atPath: file)
        let fd = open(file, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.posixError("cannot open \(file)") }
        defer { close(fd) }
        var last: UInt8 = 0x0A
        let size = lseek(fd, 0, SEEK_END)
        if size > 0, pread(fd, &last, 1, size - 1) == 1, last != 0x0A {
            try Self.writeAll(fd, Data([0x0A]), file)
        }
        try Self.writeAll(fd, data, file)
        guard fsync(fd) == 0 else { throw Self.posixError("cannot fsync \(file)") }
        if !existed { try Self.fsyncDirectory(of: file) }
    }

    /// Replaces the file atomically with `batches` (the shared ``AtomicFile``: temp file in the same directory,
    /// fsync, rename), then fsyncs the directory so the rename itself survives a power loss.
    private func rewrite(_ batches: [Batch]) throws {
        try ensureDirectory()
        var data = Data()
        for batch in batches {
            data.append(try Self.encoder.encode(batch))
            data.append(0x0A)
        }
        do {
            try AtomicFile.write(to: URL(fileURLWithPath: path)) { temporary in
                let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw Self.posixError("cannot create \(temporary.path)") }
                defer { close(fd) }
                try Self.writeAll(fd, data, temporary.path)
            }
        } catch let error as SafeFileError {
            throw RecordingError(.buffer, error.message, underlying: error)
        }
        try Self.fsyncDirectory(of: path)
    }

    private func ensureDirectory() throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw RecordingError(
                .buffer,
                "cannot create the buffer directory \(directory.path): \(error.localizedDescription)",
                underlying: error
            )
        }
    }

    private static func writeAll(_ fd: Int32, _ data: Data, _ file: String) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw posixError("cannot write \(file)")
                }
                offset += written
            }
        }
    }

    private static func fsyncDirectory(of file: String) throws {
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw posixError("cannot open the directory \(directory)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw posixError("cannot fsync the directory \(directory)") }
    }

    private static func posixError(_ what: String) -> RecordingError {
        RecordingError(.buffer, "\(what): \(String(cString: strerror(errno)))")
    }
}
