import Foundation
import Logging

/// Records points to InfluxDB without losing them: writes through ``InfluxClient`` and, when a write fails,
/// keeps the unwritten batches in a ``PointBuffer`` to be replayed by ``flushBuffer()`` (call it at the start
/// of each agent loop).
public actor InfluxRecorder {
    /// What became of recorded points.
    public enum Outcome: Sendable {
        /// Every batch reached InfluxDB.
        case written(points: Int, batches: Int)
        /// Some batches could not be written and are in the buffer; `written` batches before them were.
        case buffered(batches: Int, written: Int, error: any Error)
        /// InfluxDB refused `batches` batches as malformed; they were set aside in `file`, every other batch written.
        case rejected(batches: Int, written: Int, file: String, error: any Error)

        public var isBuffered: Bool {
            if case .buffered = self { return true }
            return false
        }
    }

    public nonisolated let client: InfluxClient
    public nonisolated let buffer: PointBuffer
    private let logger: Logger

    public init(
        client: InfluxClient,
        buffer: PointBuffer,
        logger: Logger = Logger(label: "swift-ml.recording.recorder")
    ) {
        self.client = client
        self.buffer = buffer
        self.logger = logger
    }

    /// Encodes and writes `points` in batches. Points without a timestamp are stamped with the current time
    /// first (one instant for the call, as the server would stamp one request), so a buffered batch means the
    /// same points when it is replayed later.
    ///
    /// Invalid points throw (they would never be accepted). A batch InfluxDB refuses is set aside
    /// (``PointBuffer/setAside(_:reason:)``) and the next batches are written: ``Outcome/rejected(batches:written:file:error:)``.
    /// Any other failed write is buffered with the batches after it and reported as
    /// ``Outcome/buffered(batches:written:error:)``; only a failure to buffer throws.
    @discardableResult
    public func record(_ points: [InfluxPoint]) async throws -> Outcome {
        let now = Self.nowNanoseconds()
        let stamped = points.map { point in
            var point = point
            if point.timestamp == nil { point.timestamp = now }
            return point
        }
        let batches = client.batches(try LineProtocol.lines(stamped))
        var rejected: (count: Int, error: any Error)?
        for (index, batch) in batches.enumerated() {
            do {
                try await client.writeBatch(batch)
            } catch let error as RecordingError where error.isRejectedBatch {
                do {
                    try await buffer.setAside(batch, reason: error.message)
                } catch let bufferError {
                    throw RecordingError(
                        .buffer, "InfluxDB refused a batch (\(error)) and setting it aside failed: \(bufferError)",
                        underlying: bufferError)
                }
                rejected = ((rejected?.count ?? 0) + 1, error)
            } catch {
                if error is CancellationError { throw error }
                let rest = batches[index...]
                do {
                    for pending in rest { try await buffer.append(pending) }
                } catch let bufferError {
                    logger.error(
                        "InfluxDB write failed and the points could not be buffered",
                        metadata: ["error": "\(error)", "buffer_error": "\(bufferError)", "buffer": "\(buffer.path)"]
                    )
                    throw RecordingError(
                        .buffer,
                        "InfluxDB write failed (\(error)) and buffering the points failed too: \(bufferError)",
                        underlying: bufferError
                    )
                }
                logger.warning(
                    "InfluxDB write failed; points buffered for replay",
                    metadata: ["error": "\(error)", "batches": "\(rest.count)", "buffer": "\(buffer.path)"]
                )
                return .buffered(batches: rest.count, written: index - (rejected?.count ?? 0), error: error)
            }
        }
        if let rejected {
            return .rejected(
                batches: rejected.count, written: batches.count - rejected.count, file: buffer.rejectedPath,
                error: rejected.error)
        }
        return .written(points: points.count, batches: batches.count)
    }

    /// Replays the buffer through the client, oldest batch first, stopping at the first failure. Points buffered
    /// before the measurements followed the reference are upgraded or dropped first (``LegacyPointUpgrade``),
    /// with a log line, so none is replayed with the wrong field type or timestamp.
    @discardableResult
    public func flushBuffer() async -> PointBuffer.ReplayResult {
        let client = self.client
        let logger = self.logger
        let result = await buffer.replay { lines in
            let upgrade = LegacyPointUpgrade.upgrade(lines)
            if upgrade.converted > 0 {
                logger.notice(
                    "buffered points from before the reference's format converted before replay",
                    metadata: ["converted": "\(upgrade.converted)"])
            }
            if !upgrade.dropped.isEmpty {
                logger.warning(
                    "buffered points from before the reference's format dropped: they cannot be converted",
                    metadata: ["dropped": "\(upgrade.dropped.count)", "points": "\(upgrade.dropped.joined(separator: "; "))"])
            }
            guard !upgrade.lines.isEmpty else { return }
            try await client.writeBatch(upgrade.lines)
        }
        if result.sent > 0 || result.failure != nil || result.rejected > 0 {
            logger.info(
                "InfluxDB buffer replayed",
                metadata: [
                    "sent": "\(result.sent)", "remaining": "\(result.remaining)", "rejected": "\(result.rejected)",
                ]
            )
        }
        return result
    }

    static func nowNanoseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1e9).rounded())
    }
}
