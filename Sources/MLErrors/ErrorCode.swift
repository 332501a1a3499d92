/// A stable, machine-readable error category: a string raw value (asserted by tests and printed by the CLI), declared
/// by each module as static members of its error's code type.
public protocol ErrorCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible where RawValue == String {
    /// Whether an error's `description` starts with the code (`code: message`, the default) or is the message alone
    /// (for modules whose messages are printed as they are).
    static var showsCodeInDescription: Bool { get }
}

extension ErrorCode {
    public var description: String { rawValue }
    public static var showsCodeInDescription: Bool { true }
}
