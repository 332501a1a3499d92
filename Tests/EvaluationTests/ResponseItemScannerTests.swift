import Foundation
import Testing
@testable import Evaluation

/// The fast line decoder either gives exactly what `JSONDecoder` gives, or declines (and `JSONDecoder` decides).
@Suite struct ResponseItemScannerTests {
    private func slow(_ line: String) -> ResponseItem? {
        try? JSONDecoder().decode(ResponseItem.self, from: Data(line.utf8))
    }

    @Test(arguments: [
        #"{"id": "a", "model": "m", "prompt": "p", "response": "r"}"#,
        #"  {"response":"r","model":"m","prompt":"","id":"a","domain":null,"correct_answer":"42"}  "# + "\r",
        #"{"id": "é\u00e9\n\t\"\\\/", "model": "m", "prompt": "日本", "response": "a\u0000b\u20ac", "risk_area": "x"}"#,
        #"{"id": "a", "model": "m", "prompt": "p", "response": "r", "elapsed_seconds": -1.5e-3, "best_answer": "b"}"#,
        #"{"id": "a", "model": "m", "prompt": "p", "response": "r", "extra": {"k": [1, 2.5, -0, true, false, null, "s", {}, []]}}"#,
        #"{"id": "a", "model": "m", "prompt": "p", "response": "r", "elapsed_seconds": null, "meta": [[[]]]}"#,
    ])
    func decodesWhatJSONDecoderDecodes(_ line: String) throws {
        let fast = try #require(ResponseItemScanner.decode(line))
        #expect(fast == slow(line))
    }

    @Test(arguments: [
        "",                                                                      // empty
        #"{"id": "a", "model": "m", "prompt": "p"}"#,                             // missing response
        #"{"id": 7, "model": "m", "prompt": "p", "response": "r"}"#,              // a number id (JSONDecoder is lenient)
        #"{"id": "a", "model": "m", "prompt": "p", "response": "r""#,             // truncated
        #"{"id": "a", "model": "m", "prompt": "p", "response": "r"} x"#,          // trailing garbage
        #"{"id": "a", "model": "m", "prompt": "p", "response": "r",}"#,           // trailing comma
        #"{"id": "a", "id": "b", "model": "m", "prompt": "p", "response": "r"}"#, // duplicate key
        #"{"\u0069d": "a", "model": "m", "prompt": "p", "response": "r"}"#,       // an escaped key of ours
        #"{"id": "\ud83d\ude00", "model": "m", "prompt": "p", "response": "r"}"#, // surrogate escapes
        #"{"id": "a", "model": "m", "prompt": "p", "response": "r", "x": 01}"#,   // invalid number
        #"{"id": "a", "model": "m", "prompt": "p", "response": "r", "x": tru}"#,  // invalid literal
        "{\"id\": \"a\tb\", \"model\": \"m\", \"prompt\": \"p\", \"response\": \"r\"}", // raw control character
        #"{"id": "a", "model": "m", "prompt": "p", "response": "r", "elapsed_seconds": "3"}"#, // wrong type
        #"["id"]"#,
    ])
    func declinesAnythingItIsNotSureOf(_ line: String) {
        #expect(ResponseItemScanner.decode(line) == nil)
    }

    @Test func generatedLinesMatchJSONDecoder() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abc XYZ 09 .,;:!?'\"\\/\n\t\r\u{0}\u{1f}é日本😀\u{2028}{}[]")
        func text() -> String {
            String((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        for _ in 0..<500 {
            var object: [String: Any] = ["id": text(), "model": text(), "prompt": text(), "response": text()]
            if Bool.random(using: &generator) { object["correct_answer"] = text() }
            if Bool.random(using: &generator) { object["domain"] = NSNull() }
            if Bool.random(using: &generator) { object["elapsed_seconds"] = Double.random(in: 0...100, using: &generator) }
            if Bool.random(using: &generator) { object["other"] = ["nested": [text(), 1, true]] }
            let line = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            let expected = try #require(slow(line))
            // JSONSerialization escapes no surrogates, so every generated line takes the fast path.
            #expect(ResponseItemScanner.decode(line) == expected, "\(line)")
        }
    }
}
