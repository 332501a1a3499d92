import Foundation
import Testing
@testable import Serving

@Suite struct JSONEscapingTests {
    @Test(arguments: [
        "", "plain", "quote \" and backslash \\", "line\nbreak\r\ttab", "\u{0}\u{1}\u{1F}\u{7F}", "\u{8}\u{C}",
        "héllo wörld", "emoji 👩‍💻 and 汉字", "slash / and </script>", String(repeating: "x\"", count: 500),
    ])
    func literalParsesBackToTheSameString(_ text: String) throws {
        let literal = JSONEscaping.literal(text)
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
        #expect(parsed == [text])
        #expect(!literal.dropFirst().dropLast().contains("\n"))
    }

    @Test func controlCharactersUseShortOrUnicodeEscapes() {
        #expect(JSONEscaping.literal("a\nb") == #""a\nb""#)
        #expect(JSONEscaping.literal("\u{1}") == #""\u0001""#)
        #expect(JSONEscaping.literal("\u{1B}[0m") == #""\u001b[0m""#)
    }
}
