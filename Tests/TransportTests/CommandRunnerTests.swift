import ChildProcess
import Foundation
import Testing

@testable import Transport

/// The transports' view of ``ChildProcess``'s errors: the codes and messages they have always reported. (Running,
/// draining and cancellation are tested with ChildProcess, in ChildProcessTests.)
@Suite struct CommandRunnerTests {
    @Test func missingProgramIsLaunchFailed() async {
        let error = await #expect(throws: TransportError.self) {
            try await CommandRunner.run(["no-such-program-\(UUID().uuidString)"])
        }
        #expect(error?.code == .launchFailed)
        #expect((error?.underlying as? ChildProcessError)?.code == .launchFailed)
        let byPath = await #expect(throws: TransportError.self) { try await CommandRunner.run(["/nonexistent/x"]) }
        #expect(byPath?.code == .launchFailed)
    }

    @Test func rejectsEmptyCommandAndNulBytes() async {
        let empty = await #expect(throws: TransportError.self) { try await CommandRunner.run([]) }
        #expect(empty?.code == .invalidArgument)
        let nul = await #expect(throws: TransportError.self) { try await CommandRunner.run(["echo", "a\u{0}b"]) }
        #expect(nul?.code == .invalidArgument)
    }

    @Test func unreadableInputIsNotFoundAndUnwritableOutputIsCopyFailed() async {
        let input = await #expect(throws: TransportError.self) {
            try await CommandRunner.run(["cat"], input: URL(fileURLWithPath: "/nonexistent/in"))
        }
        #expect(input == TransportError(.notFound, "cannot read '/nonexistent/in'"))
        let output = await #expect(throws: TransportError.self) {
            try await CommandRunner.run(["true"], output: URL(fileURLWithPath: "/nonexistent/out"))
        }
        #expect(output?.code == .copyFailed)
    }

    @Test func nonZeroStatusIsAResultNotAnError() async throws {
        let result = try await CommandRunner.run(["sh", "-c", "printf err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(result.errorExcerpt() == "err")
    }
}

@Suite struct TransportErrorTests {
    @Test func descriptionIsCodeAndMessageAndTheCauseIsKept() throws {
        let cause = CocoaError(.fileReadNoPermission)
        let error = TransportError(.copyFailed, "cannot read 'a'", underlying: cause)
        #expect(error.description == "copyFailed: cannot read 'a'")
        #expect((error.underlying as? CocoaError)?.code == .fileReadNoPermission)
        #expect(error == TransportError(.copyFailed, "cannot read 'a'"))
    }
}
