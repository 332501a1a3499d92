import Evaluation

/// The steps a ``ProbeSession`` reports as it goes, in this order: ``answered(_:)``; with samples
/// ``sampled(_:failed:)``; ``answersReady(_:)``; with scoring ``scored(_:)``; with content probes
/// ``askingContent(count:)``. A caller prints, writes files or streams progress from them (each answer is reported
/// on its own, through the session's `onResult`).
public enum ProbeSessionEvent: Sendable {
    /// Every probe answered once (the first sample), judged when scoring: results in probe-set order.
    case answered(ProbeReport)
    /// Every further sample answered: the tally over all samples and the further answers that failed.
    case sampled(ProbeSamples, failed: [ProbeResult])
    /// The first sample's answers as scoring input (and the samples' tally): what a caller writes out.
    case answersReady(ProbeSessionResult)
    /// The answers scored: heuristic sub-scores beside their capability verdicts.
    case scored([ItemResult])
    /// The content probes are being asked.
    case askingContent(count: Int)
}
