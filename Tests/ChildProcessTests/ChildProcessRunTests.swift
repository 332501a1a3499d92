import ChildProcess
import Foundation
import Testing

@Suite struct ChildProcessRunTests {
    @Test func capturesOutputErrorAndStatus() async throws {
        let result = try await ChildProcess.run(["sh", "-c", "printf out; printf err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(result.standardOutput == Data("out".utf8))
        #expect(result.errorExcerpt() == "err")
    }

    /// Both pipes far beyond their buffers at once: neither the program nor the reader may stall.
    @Test func largeOutputOnBothPipesDoesNotDeadlock() async throws {
        let result = try await ChildProcess.run([
            "sh", "-c", "head -c 3000000 /dev/zero; head -c 2000000 /dev/zero >&2; head -c 1000000 /dev/zero",
        ])
        #expect(result.status == 0)
        #expect(result.standardOutput.count == 4_000_000)
        #expect(result.standardError.count == 2_000_000)
    }

    @Test func standardInputFromFileAndOutputToFile() async throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        let input = directory.appendingPathComponent("in")
        try bytes.write(to: input)
        let output = directory.appendingPathComponent("out")
        let result = try await ChildProcess.run(["cat"], input: input, output: output)
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(try Data(contentsOf: output) == bytes)
    }

    @Test func standardInputIsEmptyByDefault() async throws {
        let result = try await ChildProcess.run(["cat"])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
    }

    @Test func mergedErrorIsInterleavedWithOutput() async throws {
        let result = try await ChildProcess.run(
            ["sh", "-c", "printf a; printf b >&2; printf c"], mergeErrorIntoOutput: true
        )
        #expect(result.outputText == "abc")
        #expect(result.standardError.isEmpty)
    }

    @Test func workingDirectoryAndEnvironmentReachTheProgram() async throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await ChildProcess.run(
            ["sh", "-c", "pwd -P; printf %s \"$CHILD_PROCESS_TEST\""],
            workingDirectory: directory, environment: ["CHILD_PROCESS_TEST": "seen", "PATH": "/usr/bin:/bin"]
        )
        let resolved = directory.resolvingSymlinksInPath().path
        #expect(result.outputText == resolved + "\nseen")
    }

    @Test func signalStatusIs128PlusSignal() async throws {
        let result = try await ChildProcess.run(["sh", "-c", "kill -KILL $$"])
        #expect(result.status == 128 + 9)
    }

    @Test func blockingRunGivesTheSameResult() throws {
        let result = try ChildProcess.runBlocking(["sh", "-c", "printf out; printf err >&2; exit 4"])
        #expect(result.status == 4)
        #expect(result.outputText == "out")
        #expect(result.errorExcerpt() == "err")
    }

    @Test func errorsNameTheProgramOrFile() async throws {
        let missing = "no-such-program-\(UUID().uuidString)"
        let notFound = await #expect(throws: ChildProcessError.self) { try await ChildProcess.run([missing]) }
        #expect(notFound == ChildProcessError(.launchFailed, "'\(missing)' was not found in PATH"))
        let empty = await #expect(throws: ChildProcessError.self) { try await ChildProcess.run([]) }
        #expect(empty?.code == .invalidArgument)
        let nul = await #expect(throws: ChildProcessError.self) { try await ChildProcess.run(["echo", "a\u{0}b"]) }
        #expect(nul?.code == .invalidArgument)
        let input = await #expect(throws: ChildProcessError.self) {
            try await ChildProcess.run(["cat"], input: URL(fileURLWithPath: "/nonexistent/in"))
        }
        #expect(input == ChildProcessError(.inputUnreadable, "cannot read '/nonexistent/in'"))
        let output = await #expect(throws: ChildProcessError.self) {
            try await ChildProcess.run(["true"], output: URL(fileURLWithPath: "/nonexistent/out"))
        }
        #expect(output?.code == .outputUnwritable)
        #expect(output?.message.hasPrefix("cannot write '/nonexistent/out': ") == true)
    }

    @Test func cancellationTerminatesTheProgram() async throws {
        let started = ContinuousClock.now
        let task = Task { try await ChildProcess.run(["sleep", "300"]) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let outcome = await task.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        // Wide, for a loaded machine (11 s seen in CI under load), and far below the program's own 300 s.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func alreadyCancelledTaskDoesNotStartTheProgram() async throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let marker = directory.path + "/started"
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await ChildProcess.run(["touch", marker])
        }
        let outcome = await task.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    /// A long-lived process started by its owner: started on the spawn thread, its status mapped like a run's.
    @Test func launchedProcessEndsWithItsMappedStatus() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ExecutableLookup.resolve("sh"))
        process.arguments = ["-c", "kill -TERM $$"]
        try await ChildProcess.launch(process)
        process.waitUntilExit()
        #expect(ChildProcess.exitStatus(of: process) == 128 + 15)

        let missing = Process()
        missing.executableURL = URL(fileURLWithPath: "/nonexistent/server")
        let error = await #expect(throws: ChildProcessError.self) { try await ChildProcess.launch(missing) }
        #expect(error?.code == .launchFailed)
    }
}

/// A fresh directory under the temporary directory; the caller removes it.
func scratchDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("child-process-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
