import Foundation
import Testing

@testable import Transport

/// SSHTransport against a real OpenSSH server on loopback. Runs whenever `/usr/sbin/sshd` exists; with `CI` set a
/// missing server fails these tests instead of skipping them.
@Suite(.serialized, .enabled(if: SSHServer.isInstalled || SSHServer.isRequired, SSHServer.skipMessage))
struct SSHTransportTests {
    @Test func runsCommandsWithEveryArgumentIntact() async throws {
        try SSHServer.requireInstalled()
        let server = try await SSHServer()
        defer { server.shutdown() }
        let transport = try SSHTransport(configuration: server.configuration())
        #expect(try await transport.run(["echo", "hello"]) == "hello\n", "\(server.log())")
        let hostile = HostileNames()
        for name in hostile.names {
            #expect(try await transport.run(["printf", "%s", name]) == name)
        }
        let words = try await transport.run(["sh", "-c", #"printf '%s\0' "$@""#, "sh"] + hostile.names)
        #expect(
            words.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init) == hostile.names
        )
        #expect(
            hostile.sentinelsFound(in: HostileNames.likelyWorkingDirectories).isEmpty,
            "a hostile word was executed"
        )
    }

    @Test func commandFailureIsCommandFailedWithStatusAndStderr() async throws {
        try SSHServer.requireInstalled()
        let server = try await SSHServer()
        defer { server.shutdown() }
        let transport = try SSHTransport(configuration: server.configuration())
        let error = await #expect(throws: TransportError.self) {
            try await transport.run(["sh", "-c", "echo 'remote trouble' >&2; exit 7"])
        }
        #expect(error?.code == .commandFailed)
        #expect(error?.exitStatus == 7)
        #expect(error?.message.contains("remote trouble") == true, "\(String(describing: error))")
        let missing = await #expect(throws: TransportError.self) { try await transport.run(["no-such-command-xyz"]) }
        #expect(missing?.code == .commandFailed)
        #expect(missing?.exitStatus == 127)
    }

    @Test func discoversCheckpointsWithHostileNamesWithoutRunningThem() async throws {
        try SSHServer.requireInstalled()
        let server = try await SSHServer()
        defer { server.shutdown() }
        let tree = try CheckpointTree()
        defer { tree.remove() }
        let transport = try SSHTransport(configuration: server.configuration())
        try await DiscoveryChecks.verify(transport, tree: tree)
        // The same listing as the local transport, byte for byte.
        let local = try await LocalTransport().listFiles(under: tree.base, suffix: "", maxDepth: 9)
        #expect(try await transport.listFiles(under: tree.base, suffix: "", maxDepth: 9) == local)
        let missing = await #expect(throws: TransportError.self) {
            try await transport.listFiles(under: tree.base + "/absent", suffix: "", maxDepth: 1)
        }
        #expect(missing?.code == .notFound)
    }

    @Test func downloadAndUploadAreByteEqual() async throws {
        try SSHServer.requireInstalled()
        let server = try await SSHServer()
        defer { server.shutdown() }
        let transport = try SSHTransport(configuration: server.configuration())
        let remote = try TemporaryDirectory("ssh-remote")
        defer { remote.remove() }
        let local = try TemporaryDirectory("ssh-local")
        defer { local.remove() }
        let hostile = HostileNames()
        let bytes = testBytes(count: 3_000_000)
        let sourceName =
            "dir with 'single' and \"double\" quotes/$(touch X-\(hostile.tag)) `touch B-\(hostile.tag)`.bin"
        let source = try remote.write(sourceName, bytes)

        let downloaded = local.url.appendingPathComponent("down 'loaded'.bin")
        try await transport.download(remotePath: source, to: downloaded)
        #expect(try Data(contentsOf: downloaded) == bytes)

        let target = remote.path + "/dir with 'single' and \"double\" quotes/run; touch PWNED-\(hostile.tag)\nup.bin"
        try await transport.upload(downloaded, to: target)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == bytes)
        // Replacing an existing file; an empty file.
        let empty = try local.write("empty", Data())
        try await transport.upload(URL(fileURLWithPath: empty), to: target)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)).isEmpty)
        try await transport.download(remotePath: target, to: downloaded)
        #expect(try Data(contentsOf: downloaded).isEmpty)

        #expect(!remote.allEntries().contains { $0.contains(".part") }, "\(remote.allEntries())")
        #expect(!local.allEntries().contains { $0.contains(".part") }, "\(local.allEntries())")
        let searched = HostileNames.likelyWorkingDirectories + [remote.path, local.path]
        #expect(hostile.sentinelsFound(in: searched).isEmpty, "a hostile path was executed")
    }

    @Test func copyErrors() async throws {
        try SSHServer.requireInstalled()
        let server = try await SSHServer()
        defer { server.shutdown() }
        let transport = try SSHTransport(configuration: server.configuration())
        let local = try TemporaryDirectory("ssh-local")
        defer { local.remove() }
        let destination = local.url.appendingPathComponent("x")
        let missing = await #expect(throws: TransportError.self) {
            try await transport.download(remotePath: local.path + "/absent", to: destination)
        }
        #expect(missing?.code == .notFound)
        let file = try local.write("file")
        let noDirectory = await #expect(throws: TransportError.self) {
            try await transport.upload(URL(fileURLWithPath: file), to: local.path + "/absent/dir/file")
        }
        #expect(noDirectory?.code == .copyFailed)
        #expect(local.allEntries() == ["file"], "a failed copy left files behind")
    }

    @Test func acceptsANewHostKeyAndRejectsAChangedOne() async throws {
        try SSHServer.requireInstalled()
        let server = try await SSHServer()
        defer { server.shutdown() }
        let transport = try SSHTransport(configuration: server.configuration())

        // First contact: accept-new records the key.
        #expect(!FileManager.default.fileExists(atPath: server.knownHostsPath))
        #expect(try await transport.run(["true"]) == "", "\(server.log())")
        let recorded = try String(contentsOfFile: server.knownHostsPath, encoding: .utf8)
        #expect(!recorded.isEmpty)

        // The same host on the same port with another key: rejected, and the recorded key is kept.
        let otherKey = server.directory.path + "/other_host_ed25519"
        try await SSHServer.keygen(otherKey)
        try await server.restart(withHostKey: otherKey)
        let changed = await #expect(throws: TransportError.self) { try await transport.run(["true"]) }
        #expect(changed?.code == .commandFailed)
        #expect(changed?.exitStatus == 255)
        #expect(changed?.message.contains("Host key verification failed") == true, "\(String(describing: changed))")
        #expect(try String(contentsOfFile: server.knownHostsPath, encoding: .utf8) == recorded)

        // A known-hosts file seeded with a wrong key for [127.0.0.1]:PORT: rejected too.
        let seeded = server.directory.path + "/seeded known_hosts"
        let wrongKey = try String(contentsOfFile: server.hostKey + ".pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        try "[127.0.0.1]:\(server.port) \(wrongKey)\n".write(toFile: seeded, atomically: true, encoding: .utf8)
        let seededTransport = try SSHTransport(configuration: server.configuration(knownHosts: seeded))
        let wrong = await #expect(throws: TransportError.self) { try await seededTransport.run(["true"]) }
        #expect(wrong?.code == .commandFailed)
        #expect(wrong?.exitStatus == 255)

        // A fresh known-hosts file (path with a space) accepts the new key.
        let fresh = try SSHTransport(
            configuration: server.configuration(knownHosts: server.directory.path + "/fresh known_hosts")
        )
        #expect(try await fresh.run(["echo", "ok"]) == "ok\n")

        // StrictHostKeyChecking=yes refuses an unknown host outright.
        let strict = try SSHTransport(
            configuration: server.configuration(
                knownHosts: server.directory.path + "/strict_known_hosts",
                strictHostKeyChecking: "yes"
            )
        )
        let unknown = await #expect(throws: TransportError.self) { try await strict.run(["true"]) }
        #expect(unknown?.exitStatus == 255)
    }

    @Test func unreachableHostIsCommandFailed() async throws {
        try SSHServer.requireInstalled()
        let directory = try TemporaryDirectory("ssh-unreachable")
        defer { directory.remove() }
        let port = try SSHServer.freePort()
        let transport = try SSHTransport(
            configuration: SSHConfiguration(
                host: "127.0.0.1",
                port: port,
                knownHostsFile: directory.path + "/known_hosts",
                connectTimeout: 3
            )
        )
        let error = await #expect(throws: TransportError.self) { try await transport.run(["true"]) }
        #expect(error?.code == .commandFailed)
        #expect(error?.exitStatus == 255)
        #expect(error?.message.contains("ssh 127.0.0.1:\(port)") == true)
    }
}
