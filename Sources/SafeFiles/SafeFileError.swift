import MLErrors

/// Why a file could not be written safely; the message names the file (and, for ``SafeFileErrorCode/sameAsInput``, the input).
public typealias SafeFileError = ModuleError<SafeFileErrorCode>

/// The codes of ``SafeFileError``.
public struct SafeFileErrorCode: ErrorCode {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The message alone: it is shown as is after the command's own prefix.
    public static var showsCodeInDescription: Bool { false }

    /// The destination's directory does not exist.
    public static let missingDirectory = Self(rawValue: "missing_directory")
    /// Creating, writing, syncing or renaming failed.
    public static let io = Self(rawValue: "io")
    /// A directory was expected where there is a file.
    public static let notADirectory = Self(rawValue: "not_a_directory")
    /// The destination directory holds files the command did not write; replacing it would lose them.
    public static let foreignFiles = Self(rawValue: "foreign_files")
    /// The output is one of the command's own inputs (same path, symlink or hard link).
    public static let sameAsInput = Self(rawValue: "same_as_input")
}
