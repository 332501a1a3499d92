import Foundation
import Testing

@testable import Transport

@Suite struct CommandRunnerTests {
    @Test func capturesOutputErrorAndStatus() async throws {
        let result = try await CommandRunner.run(["sh", "-c", "printf out; printf err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(result.standardOutput == Data("out".utf8))
        #expect(result.errorExcerpt() == "err")
    }

    /// Both pipes far beyond their buffers at once: neither the program nor the reader may stall.
    @Test func largeOutputOnBothPipesDoesNotDeadlock() async throws {
        let result = try await CommandRunner.run([
            "sh", "-c", "head -c 3000000 /dev/zero; head -c 2000000 /dev/zero >&2; head -c 1000000 /dev/zero",
        ])
        #expect(result.status == 0)
        #expect(result.standardOutput.count == 4_000_000)
        #expect(result.standardError.count == 2_000_000)
    }

    @Test func standardInputFromFileAndOutputToFile() async throws {
        let directory = try TemporaryDirectory("runner")
        defer { directory.remove() }
        let bytes = testBytes(count: 300_000)
        let input = try directory.write("in", bytes)
        let output = directory.url.appendingPathComponent("out")
        let result = try await CommandRunner.run(["cat"], input: URL(fileURLWithPath: input), output: output)
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(try Data(contentsOf: output) == bytes)
    }

    @Test func standardInputIsEmptyByDefault() async throws {
        let result = try await CommandRunner.run(["cat"])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
    }

    @Test func signalStatusIs128PlusSignal() async throws {
        let result = try await CommandRunner.run(["sh", "-c", "kill -KILL $$"])
        #expect(result.status == 128 + 9)
    }

    @Test func missingProgramIsLaunchFailed() async {
        let error = await #expect(throws: TransportError.self) {
            try await CommandRunner.run(["no-such-program-\(UUID().uuidString)"])
        }
        #expect(error?.code == .launchFailed)
        let byPath = await #expect(throws: TransportError.self) { try await CommandRunner.run(["/nonexistent/x"]) }
        #expect(byPath?.code == .launchFailed)
    }

    @Test func rejectsEmptyCommandAndNulBytes() async {
        let empty = await #expect(throws: TransportError.self) { try await CommandRunner.run([]) }
        #expect(empty?.code == .invalidArgument)
        let nul = await #expect(throws: TransportError.self) { try await CommandRunner.run(["echo", "a\u{0}b"]) }
        #expect(nul?.code == .invalidArgument)
    }

    @Test func cancellationTerminatesTheProgram() async throws {
        let started = ContinuousClock.now
        let task = Task { try await CommandRunner.run(["sleep", "30"]) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let outcome = await task.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func alreadyCancelledTaskDoesNotStartTheProgram() async throws {
        let directory = try TemporaryDirectory("runner")
        defer { directory.remove() }
        let marker = directory.path + "/started"
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await CommandRunner.run(["touch", marker])
        }
        let outcome = await task.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(!FileManager.default.fileExists(atPath: marker))
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
