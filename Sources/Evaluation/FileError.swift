import Foundation

/// A file that could not be read or written, by name and reason (never a bare `NSCocoaErrorDomain` code).
public struct FileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The current `errno` as the reason.
    static func posix(path: String, _ doing: String) -> FileError {
        FileError(path: path, "\(doing): \(String(cString: strerror(errno)))")
    }

    public var description: String { "'\(path)': \(reason)" }
}
