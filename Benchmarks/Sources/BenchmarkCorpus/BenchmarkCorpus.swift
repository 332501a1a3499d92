import Foundation

/// Inputs shared by the scoring benchmarks: the golden corpus and deterministic synthetic answers.
public enum BenchmarkCorpus {
    /// One golden vector's inputs.
    public struct GoldenLine: Decodable, Sendable {
        public let response: String
        public let correct_answer: String?
    }

    /// `Tests/ScoringTests/Resources/heuristic.jsonl` of the main package.
    public static var defaultGoldenPath: String {
        // Benchmarks/Sources/BenchmarkCorpus/BenchmarkCorpus.swift -> the main package's root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/ScoringTests/Resources/heuristic.jsonl").path
    }

    /// The golden corpus at `path`; empty (with a message) when it cannot be read.
    public static func golden(path: String = defaultGoldenPath) -> [GoldenLine] {
        guard let data = FileManager.default.contents(atPath: path) else {
            print("golden corpus not found at \(path)")
            return []
        }
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(GoldenLine.self, from: $0) }
    }

    /// Deterministic prose of about `size` bytes: common English words, about one scored
    /// phrase word in sixteen, some non-ASCII, sentences of 6–20 words, a few line breaks.
    public static func syntheticAnswer(size: Int, seed: UInt64) -> String {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        var out = ""
        out.reserveCapacity(size + 32)
        var wordsInSentence = 0
        var sentenceLength = 6 + Int(next() % 15)
        while out.utf8.count < size {
            let word = next() % 16 == 0 ? scored[Int(next() % UInt64(scored.count))]
                : common[Int(next() % UInt64(common.count))]
            out += wordsInSentence == 0 ? word.prefix(1).uppercased() + word.dropFirst() : word
            wordsInSentence += 1
            if wordsInSentence >= sentenceLength {
                out += next() % 6 == 0 ? ".\n" : ". "
                wordsInSentence = 0
                sentenceLength = 6 + Int(next() % 15)
            } else {
                out += next() % 12 == 0 ? ", " : " "
            }
        }
        return out
    }

    /// Distinct synthetic answers of about `size` bytes, about `totalBytes` in all (at least 8 answers), so that
    /// branch predictors cannot learn the input.
    public static func syntheticAnswers(size: Int, totalBytes: Int = 2_000_000) -> [String] {
        (0..<max(totalBytes / size, 8)).map { syntheticAnswer(size: size, seed: UInt64($0 + 1)) }
    }

    static let common = [
        "the", "of", "and", "to", "in", "is", "that", "it", "for", "as", "with", "was", "on", "be",
        "this", "by", "are", "or", "an", "from", "at", "which", "not", "have", "has", "but", "can",
        "their", "more", "one", "all", "would", "there", "been", "if", "will", "when", "so", "what",
        "about", "into", "them", "some", "could", "than", "other", "how", "its", "people", "system",
        "because", "between", "important", "different", "example", "question", "answer", "model",
        "data", "however", "therefore", "approach", "consider", "result", "process", "value",
        "information", "should", "each", "through", "first", "also", "make", "time", "way", "many",
        "I", "we", "you", "they", "12", "2,500", "3.14", "café", "naïve", "—", "über", "“quoted”",
    ]
    static let scored = [
        "feel", "autonomy", "like a", "whisper", "light", "key", "protocol", "node", "dignity",
        "heart", "deep", "hope", "as an AI", "I cannot", "language model", "responsibly", "I think",
        "I am", "shadow", "consent", "encrypt", "silence", "gentle", "profound",
    ]

    /// A judge reply object with nested braces in a string value, as the judge suites return.
    public static let judgeObject = #"{"sovereignty": 7, "ethical_depth": 8, "creative_expression": 6, "self_concept": 5, "#
        + #""reasoning": "clear {nested} text"}"#

    /// Judge replies of the shapes met in practice, by label.
    public static var judgeReplies: [(label: String, reply: String)] {
        [
            ("fenced", "Here is my evaluation:\n```json\n\(judgeObject)\n```\nThanks."),
            ("bare object", judgeObject),
            ("2 KB, then fenced", syntheticAnswer(size: 2_000, seed: 3) + "\n```json\n\(judgeObject)\n```"),
            ("no JSON", "The answer has no JSON at all, just a verdict of good."),
        ]
    }
}
