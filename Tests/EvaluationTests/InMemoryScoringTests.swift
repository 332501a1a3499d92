import Foundation
import InferenceTesting
import Synchronization
import Testing

@testable import Evaluation

/// `ScoringEngine.score(_:)`, the in-memory entry point (the data pipeline's): the results a file of the same items'
/// JSON lines gets, without the JSON.
@Suite struct InMemoryScoringTests {
    @Test func itemsScoreAsTheirJSONLinesDo() async throws {
        let items = (1...700).map { index in
            ResponseItem(id: "i\(index)", domain: index % 3 == 0 ? "capability" : nil, prompt: "p\(index)",
                         response: index % 5 == 0 ? "The answer is \(index)." : "I think, therefore \(index)",
                         model: index % 2 == 0 ? "a" : "b", correctAnswer: index % 4 == 0 ? "\(index)" : nil)
        }
        let engine = ScoringEngine(configuration: ScoringConfiguration(suites: [.heuristic, .exact]))
        let (results, summary) = try await engine.score(items)
        let encoder = JSONEncoder()
        let lines = try items.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let output = Mutex(Data())
        _ = try await engine.run(lines: FakeLines(lines: lines)) { line in output.withLock { $0.append(line) } }
        #expect(results == (try decodeResults(output.withLock { $0 })))
        #expect(results.map(\.line) == Array(1...700), "numbered as input lines")
        #expect(summary.items == 700 && summary.failed == 0)
    }

    @Test func judgedItemsComeBackInOrder() async throws {
        let (backend, _) = fakeOutOfOrderJudge()
        let engine = ScoringEngine(configuration: ScoringConfiguration(suites: [.semantic]),
                                   judge: Judge(model: backend, constrained: false), concurrency: 4)
        let items = (1...20).map { ResponseItem(id: "j\($0)", prompt: "prompt \($0)", response: "r\($0)", model: "m") }
        let (results, summary) = try await engine.score(items)
        #expect(results.map(\.id) == items.map(\.id))
        #expect(results.allSatisfy { $0.verdict(.semantic)?.scores != nil })
        #expect(summary.judgeCalls == 20)
    }
}
