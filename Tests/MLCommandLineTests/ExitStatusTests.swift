import ChildProcess
import Foundation
import Testing

/// The built `ml` program, run as a user runs it: the messages and exit statuses of inputs it must refuse before it
/// loads any model or touches any file. One at a time: each starts a program, and the suite runs beside all others.
@Suite(.serialized) struct ExitStatusTests {
    /// The `ml` executable built beside this test bundle.
    static func ml() throws -> String {
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        for _ in 0..<6 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("ml").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw MLNotBuilt()
    }

    struct MLNotBuilt: Error, CustomStringConvertible {
        var description: String { "the ml executable is not built next to the tests (swift build --build-tests builds it)" }
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await ChildProcess.run([try ml()] + arguments, mergeErrorIntoOutput: true)
        return (result.status, result.outputText)
    }

    @Test func versionPrintsAndSucceeds() async throws {
        let (status, output) = try await Self.run(["--version"])
        #expect(status == 0)
        #expect(!output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func helpPrintsTheUsageAndSucceeds() async throws {
        for arguments in [["--help"], ["status", "--help"], ["help", "status"]] {
            let (status, output) = try await Self.run(arguments)
            #expect(status == 0, "\(arguments)")
            #expect(output.contains("USAGE: ml") && !output.contains("error:"), "\(arguments): \(output)")
        }
    }

    @Test func aMissingInputIsNamedAndExitsOne() async throws {
        let missing = "/nonexistent-\(UUID().uuidString)/answers.jsonl"
        let (status, output) = try await Self.run(["score", "--input", missing])
        #expect(status == 1)
        #expect(output.contains("error: --input '\(missing)' cannot be read"), "\(output)")
    }

    @Test func anOutputThatIsTheInputIsRefusedAndTheInputKept() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ml-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("answers.jsonl").path
        let line = #"{"id":"1","prompt":"p","response":"r","model":"m"}"# + "\n"
        try Data(line.utf8).write(to: URL(fileURLWithPath: input))
        let (status, output) = try await Self.run(["score", "--input", input, "--output", input])
        #expect(status == 1)
        #expect(output.contains("error:"), "\(output)")
        #expect(try String(contentsOfFile: input, encoding: .utf8) == line)
    }

    @Test func aLibraryErrorIsPrintedOnceAsErrorAndExitsOne() async throws {
        // A command throws the library's error; the root prints it as `error: …` (not the argument parser's
        // `Error: …`) and exits 1.
        let garbage = FileManager.default.temporaryDirectory.appendingPathComponent("ml-cli-\(UUID().uuidString).gguf")
        try Data((0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: garbage)
        defer { try? FileManager.default.removeItem(at: garbage) }
        let (status, output) = try await Self.run(["inspect", garbage.path])
        #expect(status == 1)
        #expect(output.hasPrefix("error: ") && !output.contains("Error: "), "\(output)")
        #expect(output.components(separatedBy: "error: ").count == 2, "printed once: \(output)")
        let workspace = "/nonexistent-\(UUID().uuidString)/workspace.sqlite"
        let data = try await Self.run(["data", "status", "--workspace", workspace])
        #expect(data.status == 1)
        #expect(data.output.hasPrefix("error: ") && data.output.contains(workspace), "\(data.output)")
    }

    @Test func aValidationFailureExitsSixtyFourWithUsage() async throws {
        let (status, output) = try await Self.run(["probe", "--samples", "0"])
        #expect(status == 64)
        #expect(output.contains("--samples must be at least 1"), "\(output)")
        #expect(output.contains("Usage: ml probe"), "\(output)")
    }
}
