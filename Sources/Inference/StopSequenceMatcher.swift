/// Cuts streamed text before the first stop sequence, even one split across tokens.
///
/// Feed each token's text; the matcher returns the text that is safe to emit now and holds back a tail that
/// could still become the start of a stop sequence. Matching is by Unicode scalars, so a stop of `"\n"`
/// is found inside `"\r\n"`.
public struct StopSequenceMatcher: Sendable {
    private let stops: [[Unicode.Scalar]]
    private var pending: [Unicode.Scalar] = []
    /// Whether a stop sequence has been found; all later input is ignored.
    public private(set) var stopped = false

    public init(_ stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }.map { Array($0.unicodeScalars) }
    }

    /// Whether there is anything to match.
    public var isActive: Bool { !stops.isEmpty }

    /// Adds `text` and returns what can be emitted.
    public mutating func feed(_ text: String) -> String {
        guard !stopped else { return "" }
        guard isActive else { return text }
        pending.append(contentsOf: text.unicodeScalars)
        if let cut = earliestStop() {
            let emit = Self.string(pending[..<cut])
            pending = []
            stopped = true
            return emit
        }
        let emitEnd = pending.count - longestStopPrefixSuffix()
        let emit = Self.string(pending[..<emitEnd])
        pending.removeFirst(emitEnd)
        return emit
    }

    /// Returns what was held back, at the end of the stream.
    public mutating func flush() -> String {
        defer { pending = [] }
        return stopped ? "" : Self.string(pending[...])
    }

    /// Adds a token and returns what can be emitted: the token itself when there are no stop sequences, else its
    /// visible text (keeping the id only when that text is the token's whole text), or `nil` when all is held
    /// back or cut. Every token loop (producer, adapter, server) goes through here, so they cut alike.
    public mutating func feed(_ token: Token) -> Token? {
        guard isActive else { return token }
        let visible = feed(token.text)
        return visible.isEmpty ? nil : Token(id: visible == token.text ? token.id : nil, text: visible)
    }

    /// The held-back text as a token (no id) at the end of the stream, or `nil` when there is none.
    public mutating func flushToken() -> Token? {
        let rest = flush()
        return rest.isEmpty ? nil : Token(text: rest)
    }

    private func earliestStop() -> Int? {
        var best: Int?
        for stop in stops where stop.count <= pending.count {
            var start = 0
            let limit = min(pending.count - stop.count, (best ?? Int.max) - 1)
            while start <= limit {
                if pending[start] == stop[0] && pending[start..<(start + stop.count)].elementsEqual(stop) {
                    best = start
                    break
                }
                start += 1
            }
        }
        return best
    }

    /// The length of the longest suffix of the pending text that is a proper prefix of a stop sequence.
    private func longestStopPrefixSuffix() -> Int {
        var longest = 0
        for stop in stops {
            var length = min(stop.count - 1, pending.count)
            while length > longest {
                if pending[(pending.count - length)...].elementsEqual(stop[..<length]) {
                    longest = length
                    break
                }
                length -= 1
            }
        }
        return longest
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
