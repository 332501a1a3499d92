import MLErrors

/// An error reading, writing or converting a model file: a stable code, a message naming the offset and value at
/// fault, and the error it wraps.
public typealias ModelFormatError = ModuleError<ModelFormatErrorCode>

/// The codes of ``ModelFormatError``.
public struct ModelFormatErrorCode: ErrorCode {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The file could not be opened, mapped, read or written.
    public static let io = Self(rawValue: "io")
    /// The file does not start with the format's magic bytes.
    public static let invalidMagic = Self(rawValue: "invalid_magic")
    /// A format version this reader does not handle (GGUF v1).
    public static let unsupportedVersion = Self(rawValue: "unsupported_version")
    /// The file ends before a structure it declares.
    public static let truncated = Self(rawValue: "truncated")
    /// A count, length or size is above the configured limits.
    public static let limitExceeded = Self(rawValue: "limit_exceeded")
    /// The bytes contradict the format: bad offsets, sizes, types, JSON, duplicates.
    public static let malformed = Self(rawValue: "malformed")
    /// Valid but not handled here: an unknown dtype, a LoRA module without a GGUF name, DoRA.
    public static let unsupported = Self(rawValue: "unsupported")
    /// The caller's input is inconsistent: a writer fed the wrong number of bytes, a missing architecture.
    public static let invalidArgument = Self(rawValue: "invalid_argument")
    /// Two files disagree: an adapter's shapes against its base model, ranks within an adapter.
    public static let mismatch = Self(rawValue: "mismatch")
}
