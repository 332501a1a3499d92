import Testing

@testable import JSONValues

/// The one JSON string decoder: escapes, surrogate pairs, and where each failure is found.
@Suite struct JSONStringDecodingTests {
    /// Decodes the literal at the start of `text`: the decoded text and the index after it, or the failure and its index.
    static func decode(_ text: String) -> (Result<String, JSONStringDecoding.Failure>, index: Int) {
        let bytes = Array(text.utf8)
        var index = 0
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONStringDecoding.Failure) -> String in
                String(decoding: try JSONStringDecoding.decode(raw, at: &index), as: UTF8.self)
            }
        }
        return (result, index)
    }

    @Test func decodesEscapesAndJoinsSurrogatePairs() throws {
        let (result, index) = Self.decode(#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00z" tail"#)
        #expect(try result.get() == "a\"\\/\u{08}\u{0C}\n\r\té😀z")
        #expect(index == 38, "just past the closing quote")
        #expect(try Self.decode(#""plain""#).0.get() == "plain")
    }

    @Test func failuresAreNamedWhereTheyAreFound() {
        let cases: [(String, JSONStringDecoding.Failure, Int)] = [
            (#""abc"#, .unterminatedString, 4),
            ("\"a\u{01}\"", .controlCharacter, 2),
            (#""a\"#, .unterminatedEscape, 3),
            (#""\u12"#, .truncatedUnicodeEscape, 3),
            (#""\u12x4""#, .invalidUnicodeEscape, 5),
            (#""\ud800x""#, .unpairedSurrogate, 7),
            (#""\udc00""#, .unpairedSurrogate, 7),
            (#""\ud800\u0041""#, .invalidLowSurrogate, 13),
            (#""\q""#, .invalidEscape(UInt8(ascii: "q")), 3),
        ]
        for (text, failure, index) in cases {
            let (result, at) = Self.decode(text)
            guard case .failure(let found) = result else {
                Issue.record("\(text) decoded")
                continue
            }
            #expect(found == failure, "\(text)")
            #expect(at == index, "\(text)")
        }
        #expect(JSONStringDecoding.Failure.invalidEscape(UInt8(ascii: "q")).message == "invalid escape '\\q'")
    }
}
