/// Byte-level searches over a buffer.
enum ByteSearch {
    /// Index of the first `byte` in `p[from..<n]`, or `n` when there is none.
    @inline(__always)
    static func first(_ byte: UInt8, _ p: UnsafePointer<UInt8>, from: Int, _ n: Int) -> Int {
        var i = from
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        while i &+ 8 <= n {
            let zero = zeroBytes(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) ^ pattern)
            if zero != 0 { return i &+ zero.trailingZeroBitCount >> 3 }
            i &+= 8
        }
        while i < n, p[i] != byte { i &+= 1 }
        return i
    }

    /// Index of the first `a` or `b` in `p[from..<n]`, or `n` when there is none.
    @inline(__always)
    static func first(_ a: UInt8, or b: UInt8, _ p: UnsafePointer<UInt8>, from: Int, _ n: Int) -> Int {
        var i = from
        let patternA = UInt64(a) &* 0x0101_0101_0101_0101
        let patternB = UInt64(b) &* 0x0101_0101_0101_0101
        while i &+ 8 <= n {
            let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            let found = zeroBytes(word ^ patternA) | zeroBytes(word ^ patternB)
            if found != 0 { return i &+ found.trailingZeroBitCount >> 3 }
            i &+= 8
        }
        while i < n, p[i] != a, p[i] != b { i &+= 1 }
        return i
    }

    /// 0x80 in each byte of `x` that is zero, 0 elsewhere (exact, no false positives).
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x | 0x7F7F_7F7F_7F7F_7F7F)
    }

    /// Whether `p[i..<n]` starts with the ASCII `literal` (case-sensitive).
    @inline(__always)
    static func startsWith(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard n &- i >= length else { return false }
        let bytes = literal.utf8Start
        for k in 0..<length where p[i &+ k] != bytes[k] { return false }
        return true
    }
}
