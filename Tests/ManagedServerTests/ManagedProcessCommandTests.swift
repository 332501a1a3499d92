import Foundation
import InferenceTesting
import Testing

@testable import ManagedServer

/// The command line a server is spawned with: the parent-death wrapper and arguments passed verbatim.
@Suite struct ManagedProcessCommandTests {
    static func run(_ command: [String]) async throws -> (status: Int32, output: String) {
        try await RealComponents.run(command[0], Array(command.dropFirst()))
    }

    @Test func linuxCommandCarriesTheParentDeathSignalAndTheArgumentsVerbatim() {
        let command = ManagedServerProcess.command(executable: "/bin/llama-server", arguments: ["-m", "/a b;$(rm -rf x)"])
        #if os(Linux)
        #expect(command.prefix(4) == ["/usr/bin/setpriv", "--pdeathsig", "KILL", "--"])
        #expect(command[4...6] == ["/bin/sh", "-c", #"[ "$PPID" = "$1" ] || exit 125; shift; exec "$@""#])
        #expect(command[8] == String(getpid()))
        #expect(Array(command.suffix(3)) == ["/bin/llama-server", "-m", "/a b;$(rm -rf x)"])
        #else
        #expect(command == ["/bin/llama-server", "-m", "/a b;$(rm -rf x)"])
        #endif
    }

    @Test func wrappedCommandRunsTheExecutableWithItsArgumentsUntouched() async throws {
        let arguments = ["a b", "$(touch /tmp/swift-ml-injected)", "'\"", "*"]
        let result = try await Self.run(ManagedServerProcess.command(executable: "/bin/echo", arguments: arguments))
        #expect(result.status == 0)
        #expect(result.output == arguments.joined(separator: " ") + "\n")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/swift-ml-injected"))
    }

    #if os(Linux)
    @Test func childWhoseParentIsAlreadyGoneDoesNotStart() async throws {
        // As if our process had died before `setpriv` set the signal: the child's parent is not the pid it expects.
        var command = ManagedServerProcess.command(executable: "/bin/echo", arguments: ["started"])
        command[8] = "1"
        let result = try await Self.run(command)
        #expect(result.status == 125)
        #expect(!result.output.contains("started"))
    }
    #endif

    @Test func connectHost() {
        #expect(ManagedServerProcess.connectHost("127.0.0.1") == "127.0.0.1")
        #expect(ManagedServerProcess.connectHost("0.0.0.0") == "127.0.0.1")
        #expect(ManagedServerProcess.connectHost("::") == "[::1]")
        #expect(ManagedServerProcess.connectHost("::1") == "[::1]")
        #expect(ManagedServerProcess.connectHost("localhost") == "localhost")
    }
}
