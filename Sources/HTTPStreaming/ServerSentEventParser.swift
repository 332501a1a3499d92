/// An incremental `text/event-stream` parser that follows the HTML specification: lines end in `\n`, `\r\n`
/// or `\r` (including a `\r\n` split across chunks); `:` starts a comment; `data:` lines accumulate and are
/// joined with `\n`; a blank line dispatches the event; a single space after the colon is dropped; a leading
/// byte-order mark is ignored. Bytes are buffered until a line is complete, so a multi-byte UTF-8 character
/// split across network chunks decodes correctly.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: [UInt8] = []
    private var lastID: String?
    private var retry: Int?
    private var lastWasCR = false
    private var atStart = true

    public init() {}

    /// Feeds bytes; returns the events completed by them.
    public mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        feed(bytes) { events.append($0) }
        return events
    }

    /// Feeds bytes, calling `onEvent` for each event completed by them.
    public mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes, onEvent: (ServerSentEvent) throws -> Void) rethrows {
        try bytes.withContiguousStorageIfAvailable { buffer in
            try feedBuffer(buffer, onEvent: onEvent)
        } ?? {
            let array = Array(bytes)
            try array.withUnsafeBufferPointer { try feedBuffer($0, onEvent: onEvent) }
        }()
    }

    /// Ends the stream: a trailing event without its blank line is discarded, as the specification says.
    public mutating func finish() {
        line.removeAll()
        data.removeAll()
        hasData = false
        eventType.removeAll()
    }

    private mutating func feedBuffer(
        _ buffer: UnsafeBufferPointer<UInt8>,
        onEvent: (ServerSentEvent) throws -> Void
    ) rethrows {
        var index = 0
        let count = buffer.count
        if atStart, count > 0 {
            // Skip a UTF-8 byte-order mark at the very start of the stream (it may arrive in pieces; rare).
            if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { index = 3 }
            atStart = false
        }
        while index < count {
            if lastWasCR {
                lastWasCR = false
                if buffer[index] == UInt8(ascii: "\n") {
                    index += 1
                    continue
                }
            }
            // Find the end of the line in this buffer.
            var end = index
            while end < count {
                let byte = buffer[end]
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                end += 1
            }
            if end == count {
                line.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<end]))
                return
            }
            lastWasCR = buffer[end] == UInt8(ascii: "\r")
            if line.isEmpty {
                try processLine(UnsafeBufferPointer(rebasing: buffer[index..<end]), onEvent: onEvent)
            } else {
                line.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<end]))
                let complete = line
                line.removeAll(keepingCapacity: true)
                try complete.withUnsafeBufferPointer { try processLine($0, onEvent: onEvent) }
            }
            index = end + 1
        }
    }

    private mutating func processLine(
        _ line: UnsafeBufferPointer<UInt8>,
        onEvent: (ServerSentEvent) throws -> Void
    ) rethrows {
        if line.isEmpty {
            try dispatch(onEvent)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        var colon = 0
        while colon < line.count && line[colon] != UInt8(ascii: ":") { colon += 1 }
        let field = UnsafeBufferPointer(rebasing: line[0..<colon])
        var valueStart = colon < line.count ? colon + 1 : line.count
        if valueStart < line.count && line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = UnsafeBufferPointer(rebasing: line[valueStart...])
        if field.elementsEqual("data".utf8) {
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        } else if field.elementsEqual("event".utf8) {
            eventType = Array(value)
        } else if field.elementsEqual("id".utf8) {
            if !value.contains(0) { lastID = String(decoding: value, as: UTF8.self) }
        } else if field.elementsEqual("retry".utf8) {
            if !value.isEmpty, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        }
    }

    private mutating func dispatch(_ onEvent: (ServerSentEvent) throws -> Void) rethrows {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType.removeAll(keepingCapacity: true)
            retry = nil
        }
        guard hasData else { return }
        try onEvent(
            ServerSentEvent(
                event: String(decoding: eventType, as: UTF8.self),
                data: String(decoding: data, as: UTF8.self),
                id: lastID,
                retry: retry
            )
        )
    }
}
