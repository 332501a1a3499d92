import Foundation

/// The export's documented shuffle: Fisher–Yates (from the last index down, swapping `i` with `j` drawn as
/// `next() % (i + 1)`) driven by SplitMix64 seeded with `--seed`, over rows sorted by id. Any implementation of
/// these two textbook algorithms reproduces a split from its manifest.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

package enum SeededShuffle {
    package static func shuffled<T>(_ items: [T], seed: UInt64) -> [T] {
        var items = items
        var generator = SplitMix64(seed: seed)
        var index = items.count - 1
        while index > 0 {
            let other = Int(generator.next() % UInt64(index + 1))
            items.swapAt(index, other)
            index -= 1
        }
        return items
    }
}
