/// Bounds-checked little-endian reads over untrusted bytes.
///
/// Every read first checks the bytes are present (else `.truncated`) and within `budget` (else
/// `.limitExceeded`), so no count or length taken from the file can make the caller read or allocate beyond
/// what the file holds.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    /// Reads may not go past this offset (the metadata byte limit).
    let budget: Int
    private(set) var offset: Int

    init(bytes: UnsafeRawBufferPointer, offset: Int = 0, budget: UInt64) {
        self.bytes = bytes
        self.offset = offset
        self.budget = budget >= UInt64(Int.max) ? Int.max : Int(budget)
    }

    var remaining: Int { bytes.count - offset }

    /// Checks that `count` more bytes are present and within the budget.
    func need(_ count: UInt64, _ what: @autoclosure () -> String) throws {
        guard count <= UInt64(remaining) else {
            throw ModelFormatError(
                .truncated,
                "file ends at offset \(bytes.count) while reading \(what()): \(count) bytes needed at offset \(offset)"
            )
        }
        guard UInt64(offset) + count <= UInt64(budget) else {
            throw ModelFormatError(
                .limitExceeded,
                "metadata exceeds the \(budget)-byte limit while reading \(what()) at offset \(offset)"
            )
        }
    }

    mutating func skip(_ count: UInt64, _ what: @autoclosure () -> String) throws {
        try need(count, what())
        offset += Int(count)
    }

    mutating func fixed<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        try need(UInt64(MemoryLayout<T>.size), what())
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    mutating func u8(_ what: @autoclosure () -> String) throws -> UInt8 { try fixed(UInt8.self, what()) }
    mutating func u32(_ what: @autoclosure () -> String) throws -> UInt32 { try fixed(UInt32.self, what()) }
    mutating func u64(_ what: @autoclosure () -> String) throws -> UInt64 { try fixed(UInt64.self, what()) }

    /// Reads `count` raw bytes without copying (valid while `bytes` is).
    mutating func slice(_ count: UInt64, _ what: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        try need(count, what())
        let result = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + Int(count))])
        offset += Int(count)
        return result
    }

    /// A GGUF string: a `u64` byte length (at most `maxLength`) then UTF-8 bytes (invalid sequences are repaired).
    mutating func ggufString(maxLength: UInt64, _ what: @autoclosure () -> String) throws -> String {
        let start = offset
        let length = try u64("length of \(what())")
        guard length <= maxLength else {
            throw ModelFormatError(
                .limitExceeded,
                "\(what()) at offset \(start) has length \(length), above the limit of \(maxLength) bytes"
            )
        }
        return String(decoding: try slice(length, what()), as: UTF8.self)
    }
}
