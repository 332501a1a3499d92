/// The configuration hash's function: a stable, dependency-free 64-bit FNV-1a.
enum FNV1a {
    /// The hash of `bytes`, as 16 hex digits.
    static func hash64(_ bytes: some Sequence<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
