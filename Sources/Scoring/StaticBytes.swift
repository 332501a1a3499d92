/// An immutable byte table allocated once and kept for the life of the process.
///
/// A raw pointer lets the hot loops index it without bounds checks or
/// reference counting; it is never mutated after `init` nor freed, hence `Sendable`.
struct StaticBytes: @unchecked Sendable {
    /// First byte of the table.
    let base: UnsafePointer<UInt8>
    /// Number of bytes in the table.
    let count: Int

    /// Builds a table of `count` bytes whose element `i` is `value(i)`.
    init(count: Int, _ value: (Int) -> UInt8) {
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count, 1))
        for index in 0..<count { storage[index] = value(index) }
        self.base = UnsafePointer(storage)
        self.count = count
    }

    /// Builds a table holding exactly `bytes`.
    init(_ bytes: [UInt8]) {
        self.init(count: bytes.count) { bytes[$0] }
    }
}
