/// Why a generation ended.
public struct FinishReason: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The model ended its answer, or a stop sequence was reached.
    public static let stop = FinishReason(rawValue: "stop")
    /// The token limit was reached.
    public static let length = FinishReason(rawValue: "length")
    /// The consumer stopped or was cancelled.
    public static let cancelled = FinishReason(rawValue: "cancelled")
    /// The generation failed.
    public static let error = FinishReason(rawValue: "error")
}
