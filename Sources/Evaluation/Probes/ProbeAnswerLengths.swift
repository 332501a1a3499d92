import Synchronization

/// How long each probe's last answer was, kept from one evaluation to the next (checkpoint after checkpoint) so
/// the next run asks the longest first (``JudgedProbeRunner/expectedAnswerBytes``).
public final class ProbeAnswerLengths: Sendable {
    private let bytes = Mutex<[String: Int]>([:])

    public init() {}

    /// Probe id → UTF-8 bytes of its last answer.
    public var current: [String: Int] { bytes.withLock { $0 } }

    /// Keeps the length of every answered probe of `report` (a failed one says nothing about its length).
    public func record(_ report: ProbeReport) {
        bytes.withLock { lengths in
            for result in report.results where result.error == nil { lengths[result.id] = result.response.utf8.count }
        }
    }
}
