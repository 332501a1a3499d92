import MLErrors
import Testing

/// Fake codes of a fake module: the few lines a module writes to get the shared shape.
private struct FakeCode: ErrorCode {
    var rawValue: String
    static let broken = FakeCode(rawValue: "broken")
    static let missing = FakeCode(rawValue: "missing")
}

private typealias FakeError = ModuleError<FakeCode>

/// Fake codes whose errors describe themselves by their message alone.
private struct QuietCode: ErrorCode {
    var rawValue: String
    static var showsCodeInDescription: Bool { false }
}

/// A fake error with an HTTP status.
private typealias FakeServerError = HTTPModuleError<FakeCode>

private struct Cause: Error, Equatable {
    var number: Int
}

@Suite struct CodedErrorTests {
    @Test func descriptionIsCodeColonMessage() {
        let error = FakeError(.broken, "the widget is bent")
        #expect(error.description == "broken: the widget is bent")
        #expect("\(error)" == "broken: the widget is bent")
        #expect(FakeCode.missing.description == "missing")
        #expect(FakeError.Code.missing.rawValue == "missing")
    }

    @Test func codesThatHideThemselvesLeaveTheMessageAlone() {
        #expect(ModuleError(QuietCode(rawValue: "io"), "'a.txt': cannot open").description == "'a.txt': cannot open")
    }

    @Test func equalityAndHashUseCodeAndMessageNotTheWrappedError() {
        let first = FakeError(.broken, "m", underlying: Cause(number: 1))
        let second = FakeError(.broken, "m", underlying: Cause(number: 2))
        #expect(first == second)
        #expect(Set([first, second]).count == 1)
        #expect(first != FakeError(.missing, "m"))
        #expect(first != FakeError(.broken, "other"))
    }

    @Test func theWrappedErrorIsKept() throws {
        let error: any Error = FakeError(.broken, "m", underlying: Cause(number: 7))
        let coded = try #require(error as? any CodedError)
        #expect(coded.underlying as? Cause == Cause(number: 7))
    }

    @Test func anHTTPStatusIsDescribedAndTellsErrorsApart() {
        let withStatus = FakeServerError(.broken, "m", status: 503)
        #expect(withStatus.description == "broken (HTTP 503): m")
        #expect(FakeServerError(.broken, "m").description == "broken: m")
        #expect(withStatus != FakeServerError(.broken, "m", status: 500))
        #expect(withStatus == FakeServerError(.broken, "m", status: 503, underlying: Cause(number: 1)))
        #expect(Set([withStatus, FakeServerError(.broken, "m", status: 500)]).count == 2)
    }
}
