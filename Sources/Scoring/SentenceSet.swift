/// An open-addressing set of byte ranges of one text, compared by exact byte equality.
///
/// It starts in caller-provided storage (a small temporary allocation) or, for
/// long texts, in heap storage sized from the text length, and grows when
/// needed; call `release()` when done.
struct SentenceSet {
    /// One slot: a range of the text and its hash; `length < 0` marks an empty slot.
    struct Slot {
        var hash: UInt64
        var start: Int
        var length: Int
    }

    /// Slots of the initial, caller-provided storage.
    static let initialCapacity = 32

    private let text: UnsafePointer<UInt8>
    private let textLength: Int
    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    private var ownsSlots = false
    /// Number of distinct ranges inserted so far.
    private(set) var distinct = 0

    /// A set over ranges of the `length` bytes at `text`, starting in `storage`
    /// (a power-of-two count) unless the text is long enough to expect more sentences.
    init(text: UnsafePointer<UInt8>, length: Int, storage: UnsafeMutableBufferPointer<Slot>) {
        self.text = text
        self.textLength = length
        // About one sentence per 64 bytes at load factor 1/2.
        var count = storage.count
        while count < length / 32 { count <<= 1 }
        if count == storage.count {
            slots = storage.baseAddress!
        } else {
            slots = UnsafeMutablePointer<Slot>.allocate(capacity: count)
            ownsSlots = true
        }
        mask = count - 1
        slots.initialize(repeating: Slot(hash: 0, start: 0, length: -1), count: count)
    }

    /// Frees heap storage, if the set grew into any.
    func release() {
        if ownsSlots { slots.deallocate() }
    }

    /// Inserts `text[start ..< start + length]`.
    @inline(__always)
    mutating func insert(start: Int, length: Int) {
        if (distinct + 1) * 2 > mask + 1 { grow() }
        let hash = Self.hash(text + start, length, readable: textLength - start)
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot.length < 0 {
                slots[index] = Slot(hash: hash, start: start, length: length)
                distinct += 1
                return
            }
            if slot.hash == hash, slot.length == length,
               Self.equal(text + slot.start, text + start, length, readable: textLength - max(slot.start, start)) {
                return
            }
            index = (index + 1) & mask
        }
    }

    /// Doubles the slot count, rehashing into heap storage.
    @inline(never)
    private mutating func grow() {
        let oldSlots = slots, oldCount = mask + 1
        let newCount = oldCount * 2
        let newSlots = UnsafeMutablePointer<Slot>.allocate(capacity: newCount)
        newSlots.initialize(repeating: Slot(hash: 0, start: 0, length: -1), count: newCount)
        let newMask = newCount - 1
        for old in 0..<oldCount where oldSlots[old].length >= 0 {
            var index = Int(truncatingIfNeeded: oldSlots[old].hash) & newMask
            while newSlots[index].length >= 0 { index = (index + 1) & newMask }
            newSlots[index] = oldSlots[old]
        }
        if ownsSlots { oldSlots.deallocate() }
        slots = newSlots
        mask = newMask
        ownsSlots = true
    }

    /// A 64-bit hash of `length` bytes at `p`, eight bytes per step; `readable ≥ length`
    /// bytes may be read from `p`.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ length: Int, readable: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: length)
        var i = 0
        while i &+ 8 <= length {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i &+= 8
        }
        h = (h ^ tail(p, length, readable: readable)) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }

    /// The last `length % 8` bytes at `p`, zero-extended little-endian, read with one load when possible.
    @inline(__always)
    static func tail(_ p: UnsafePointer<UInt8>, _ length: Int, readable: Int) -> UInt64 {
        let rest = length & 7
        guard rest > 0 else { return 0 }
        let raw = UnsafeRawPointer(p)
        if length >= 8 {
            return raw.loadUnaligned(fromByteOffset: length &- 8, as: UInt64.self) >> UInt64(64 &- 8 &* rest)
        }
        if readable >= 8 {
            return raw.loadUnaligned(as: UInt64.self) & ((1 << UInt64(8 &* rest)) &- 1)
        }
        var value: UInt64 = 0
        for k in 0..<rest { value |= UInt64(p[k]) << UInt64(8 &* k) }
        return value
    }

    @inline(__always)
    private static func equal(
        _ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int, readable: Int
    ) -> Bool {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var i = 0
        while i &+ 8 <= length {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i &+= 8
        }
        return tail(a, length, readable: readable) == tail(b, length, readable: readable)
    }
}
