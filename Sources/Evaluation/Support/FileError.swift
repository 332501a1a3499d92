import Foundation
import MLErrors
import SafeFiles

/// A file that could not be read or written, by name and reason (never a bare `NSCocoaErrorDomain` code).
public struct FileError: CodedError {
    public struct Code: ErrorCode {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The message alone: it names the file.
        public static var showsCodeInDescription: Bool { false }

        /// Opening, reading, creating, writing or renaming failed.
        public static let io = Code(rawValue: "io")
        /// The path names a directory or another non-regular file where a file is expected.
        public static let notAFile = Code(rawValue: "not_a_file")
    }

    public var code: Code
    public var path: String
    public var reason: String
    public var underlying: (any Error)?

    public init(_ code: Code = .io, path: String, _ reason: String, underlying: (any Error)? = nil) {
        self.code = code
        self.path = path
        self.reason = reason
        self.underlying = underlying
    }

    /// The current `errno` as the reason (and, as a `POSIXError`, the wrapped error).
    static func posix(path: String, _ doing: String) -> FileError {
        let number = errno
        return FileError(
            path: path, "\(doing): \(String(cString: strerror(number)))",
            underlying: POSIXErrorCode(rawValue: number).map { POSIXError($0) })
    }

    /// `'path': reason`.
    public var message: String { "'\(path)': \(reason)" }
}

extension FileError {
    /// Runs `body`, a ``SafeFileError`` it throws becoming a `FileError` naming `path` (its message the reason).
    static func wrapping<T>(path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SafeFileError {
            throw FileError(path: path, error.message, underlying: error)
        }
    }
}
