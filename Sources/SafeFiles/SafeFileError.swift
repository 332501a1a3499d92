/// Why a file could not be written safely; the message names the file (and, for ``Code/sameAsInput``, the input).
public struct SafeFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The destination's directory does not exist.
        public static let missingDirectory = Code(rawValue: "missing_directory")
        /// Creating, writing, syncing or renaming failed.
        public static let io = Code(rawValue: "io")
        /// The output is one of the command's own inputs (same path, symlink or hard link).
        public static let sameAsInput = Code(rawValue: "same_as_input")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
