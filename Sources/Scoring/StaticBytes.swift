/// An immutable byte table allocated once for the life of the process.
///
/// Holding a raw pointer lets the hot loops index it without bounds checks or
/// retain/release traffic; it is never mutated after `init`, hence `Sendable`.
final class StaticBytes: @unchecked Sendable {
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
    convenience init(_ bytes: [UInt8]) {
        self.init(count: bytes.count) { bytes[$0] }
    }
}
