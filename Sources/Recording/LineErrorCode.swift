import MLErrors

/// The code of an error about one line of a file read line by line (a training log): the message alone names what
/// is wrong with the line; the caller prints it after the file and line number.
public struct LineErrorCode: ErrorCode {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The message alone, as the callers print it.
    public static var showsCodeInDescription: Bool { false }

    /// The line starts like a record, but a part of it cannot be read.
    public static let unreadable = Self(rawValue: "unreadable_line")
}
