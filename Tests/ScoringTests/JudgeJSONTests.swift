import Scoring
import Testing

/// Judge reply JSON extraction.
@Suite("Judge JSON")
struct JudgeJSONTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let reply: String
        let json: String
        let why: String
        var testDescription: String { why }
    }

    @Test("extraction", arguments: [
        Case(reply: "Here:\n```json\n{\"a\": 1}\n```\nDone {x}", json: "{\"a\": 1}", why: "fenced json block"),
        Case(reply: "```{\"a\":1}```", json: "{\"a\":1}", why: "fence without a language"),
        Case(reply: "```json {\"a\": {\"b\": 1}} ``` and {x} ```", json: "{\"a\": {\"b\": 1}}",
             why: "shortest body that is followed by a closing fence"),
        Case(reply: "```json {\"a\": 1 ``` text } ```", json: "{\"a\": 1 ``` text }",
             why: "the shortest body may run past a fence"),
        Case(reply: "```python\nprint(1)\n``` then ```json\n{\"k\": 2}\n```", json: "{\"k\": 2}",
             why: "first fence whose body is an object"),
        Case(reply: "```json {\"a\": 1}", json: "{\"a\": 1}", why: "unclosed fence falls back to braces"),
        Case(reply: "Result: {\"a\": {\"b\": 2}} trailing }", json: "{\"a\": {\"b\": 2}}",
             why: "balanced braces from the first {"),
        Case(reply: "{\"s\": \"}\"} end", json: "{\"s\": \"}", why: "braces counted naively inside strings"),
        Case(reply: "{\"a\": 1", json: "", why: "unbalanced: no JSON"),
        Case(reply: "no json here", json: "", why: "no braces"),
        Case(reply: "", json: "", why: "empty reply"),
        Case(reply: "``` \t\n {}\n\n```", json: "{}", why: "empty object, whitespace around"),
        Case(reply: "日本 {\"é\": \"😀\"}", json: "{\"é\": \"😀\"}", why: "non-ASCII content is kept"),
    ])
    func extract(_ c: Case) {
        #expect(JudgeJSON.extract(c.reply) == c.json)
    }
}
