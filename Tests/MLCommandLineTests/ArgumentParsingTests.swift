import ArgumentParser
import SafeFiles
import Testing
@testable import ml

/// The command-line layer's own contract: which arguments parse, the defaults a user gets, and the messages and
/// exit statuses of arguments that are refused — without running anything.
@Suite struct ArgumentParsingTests {
    @Test func everySubcommandIsReachableByItsName() throws {
        let names = MLCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
        #expect(names == ["generate", "chat", "serve", "models", "convert", "inspect", "backends", "score", "probe",
                          "compare", "agent", "ingest", "data", "worker", "report", "mcp", "status", "version"])
        for name in ["version", "models", "backends"] {
            let command = try MLCommand.parseAsRoot([name])
            #expect(type(of: command).configuration.commandName == name)
        }
    }

    @Test func probeDefaultsAreTheDocumentedOnes() throws {
        let probe = try #require(try MLCommand.parseAsRoot(["probe"]) as? ProbeCommand)
        #expect(probe.concurrency == 8)
        #expect(probe.maxTokens == 512)
        #expect(probe.temperature == 0)
        #expect(probe.samples == 1)
        #expect(!probe.score && !probe.content)
    }

    @Test func scoreDefaultsAndItsOutputLayout() throws {
        let score = try #require(try MLCommand.parseAsRoot(["score", "--input", "runs/answers.jsonl"]) as? ScoreCommand)
        #expect(score.suites == "heuristic,exact")
        #expect(score.concurrency == 4)
        // The score file, the per-item results and the journal sit side by side, named after the input.
        let outputs = score.fileOutputs.compactMap { output -> String? in
            if case .file(_, let path) = output { return path }
            return nil
        }
        #expect(outputs == ["runs/answers.scores.json", "runs/answers.scores.json.items.jsonl",
                            "runs/answers.scores.json.journal"])
    }

    @Test(arguments: [
        (["probe", "--samples", "0"], "--samples must be at least 1"),
        (["score", "--input", "a.jsonl", "--concurrency", "0"], "--concurrency must be at least 1"),
    ])
    func refusedArgumentsSayWhyAndExitWithTheUsageStatus(arguments: [String], message: String) {
        do {
            _ = try MLCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed")
        } catch {
            #expect(MLCommand.message(for: error) == message)
            #expect(MLCommand.exitCode(for: error) == .validationFailure)
        }
    }

    @Test func anUnknownSuiteIsRefusedNamingIt() {
        #expect(throws: (any Error).self) { try MLCommand.parseAsRoot(["score", "--input", "a.jsonl", "--suites", "heuristic,vibes"]) }
        do {
            _ = try MLCommand.parseAsRoot(["score", "--input", "a.jsonl", "--suites", "heuristic,vibes"])
        } catch {
            #expect(MLCommand.message(for: error).contains("vibes"))
            #expect(MLCommand.exitCode(for: error) != .success)
        }
    }

    @Test func anUnknownSubcommandOrFlagIsAUsageError() {
        for arguments in [["frobnicate"], ["probe", "--no-such-flag"]] {
            do {
                _ = try MLCommand.parseAsRoot(arguments)
                Issue.record("\(arguments) parsed")
            } catch {
                #expect(MLCommand.exitCode(for: error) == .validationFailure, "\(arguments)")
            }
        }
    }
}
