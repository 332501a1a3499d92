import NIOCore

/// JSON string literals written straight into byte buffers: the per-token hot path of streamed replies, where a
/// `JSONSerialization` round trip per chunk costs more than the token itself.
enum JSONEscaping {
    /// Appends `text` as a JSON string literal, quotes included. Escapes `"`, `\` and control characters; other
    /// characters, non-ASCII included, are written as UTF-8.
    static func appendLiteral(_ text: String, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        appendEscaped(text, to: &buffer)
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// Appends the escaped contents of `text` without quotes.
    static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                case 0x09: buffer.writeStaticString("\\t")
                case 0x08: buffer.writeStaticString("\\b")
                case 0x0C: buffer.writeStaticString("\\f")
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(hex[Int(byte >> 4)])
                    buffer.writeInteger(hex[Int(byte & 0xF)])
                }
            }
            if runStart < bytes.count { buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
    }

    /// `text` as a JSON string literal.
    static func literal(_ text: String) -> String {
        var buffer = ByteBuffer()
        appendLiteral(text, to: &buffer)
        return String(buffer: buffer)
    }
}
