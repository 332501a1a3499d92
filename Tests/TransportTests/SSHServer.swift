import ChildProcess
import Foundation
import Testing

@testable import Transport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real OpenSSH server for the tests: `/usr/sbin/sshd -D -e` as the current user on a loopback port, with its own
/// host key, one authorised client key and every file in a temporary directory.
final class SSHServer: @unchecked Sendable {
    static let sshdPath = "/usr/sbin/sshd"

    /// Whether the OpenSSH server and client tools are installed.
    static var isInstalled: Bool {
        ExecutableLookup.isExecutableFile(sshdPath) && which("ssh") != nil && which("ssh-keygen") != nil
    }

    /// CI must run the ssh tests: there, a missing sshd is a failure, not a skip.
    static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    static let skipMessage = Comment(
        rawValue: "OpenSSH server not installed (/usr/sbin/sshd): "
            + "`apt-get install -y openssh-server openssh-client` to run the real-ssh tests"
    )

    /// Fails the test (rather than skipping) when the tools are missing: only reached when CI is set.
    static func requireInstalled() throws {
        try #require(
            isInstalled,
            "CI is set but the OpenSSH server/client is not installed: apt-get install -y openssh-server openssh-client"
        )
    }

    let directory: TemporaryDirectory
    let port: Int
    let clientKey: String
    let hostKey: String
    private var pid: pid_t?

    /// Paths inside the server's directory.
    var knownHostsPath: String { directory.path + "/known_hosts" }
    var logPath: String { directory.path + "/sshd.log" }

    /// Starts a server with a fresh host key and client key.
    init() async throws {
        directory = try TemporaryDirectory("sshd")
        clientKey = directory.path + "/client_ed25519"
        hostKey = directory.path + "/host_ed25519"
        do {
            try await Self.keygen(clientKey)
            try await Self.keygen(hostKey)
            try FileManager.default.copyItem(atPath: clientKey + ".pub", toPath: directory.path + "/authorized_keys")
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
            port = try Self.freePort()
            try await start(hostKey: hostKey)
        } catch {
            directory.remove()
            throw error
        }
    }

    deinit { stop() }

    /// A client configuration for this server (the client key, a known-hosts file in the server's directory).
    func configuration(knownHosts: String? = nil, strictHostKeyChecking: String = "accept-new") -> SSHConfiguration {
        SSHConfiguration(
            host: "127.0.0.1",
            user: NSUserName(),
            port: port,
            identityFile: clientKey,
            knownHostsFile: knownHosts ?? knownHostsPath,
            connectTimeout: 5,
            strictHostKeyChecking: strictHostKeyChecking
        )
    }

    /// Restarts the server on the same port with another host key (as a reinstalled or impostor host would).
    func restart(withHostKey key: String) async throws {
        stop()
        try await start(hostKey: key)
    }

    /// Stops the server (idempotent): SIGTERM, then SIGKILL after 5 s; returns once it has been reaped.
    func stop() {
        guard let pid else { return }
        self.pid = nil
        kill(pid, SIGTERM)
        if !Self.reap(pid, within: .seconds(5)) {
            kill(pid, SIGKILL)
            _ = Self.reap(pid, within: .seconds(5))
        }
    }

    /// Waits for `pid` to exit; `false` when it still runs after `duration`.
    private static func reap(_ pid: pid_t, within duration: Duration) -> Bool {
        let deadline = ContinuousClock.now + duration
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) { return true }
            usleep(20_000)
        }
        return false
    }

    /// Stops the server and removes its directory.
    func shutdown() {
        stop()
        directory.remove()
    }

    /// The server's log, for failure messages.
    func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    static func keygen(_ path: String) async throws {
        let keygen = try #require(which("ssh-keygen"))
        let result = try await CommandRunner.run([
            keygen, "-q", "-t", "ed25519", "-N", "", "-C", "transport-tests", "-f", path,
        ])
        try #require(result.status == 0, "ssh-keygen failed for \(path): \(result.errorExcerpt())")
    }

    private func start(hostKey: String) async throws {
        let config = directory.path + "/sshd_config"
        let lines = [
            "Port \(port)",
            "ListenAddress 127.0.0.1",
            "HostKey \(hostKey)",
            "AuthorizedKeysFile \(directory.path)/authorized_keys",
            "PidFile none",
            "StrictModes no",
            "UsePAM no",
            "PermitRootLogin yes",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "AllowTcpForwarding no",
            "X11Forwarding no",
            "PrintMotd no",
            "LogLevel VERBOSE",
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: config, atomically: true, encoding: .utf8)
        let pid = try Self.spawn(Self.sshdPath, ["-D", "-e", "-f", config], log: logPath)
        self.pid = pid
        // Ready when the port accepts a connection; an early exit is a failure with the log.
        let deadline = ContinuousClock.now + .seconds(15)
        while !Self.accepts(port: port) {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                self.pid = nil
                throw SSHServerError("sshd exited (wait status \(status)):\n\(self.log())")
            }
            guard ContinuousClock.now < deadline else {
                stop()
                throw SSHServerError("sshd did not accept connections on port \(port) within 15 s:\n\(self.log())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Starts `path` with `arguments` by `posix_spawn`, standard output and error appended to `log`, no signals
    /// blocked.
    ///
    /// Not Foundation's `Process`: its one monitor thread learns that a child ended when the child's copy of a
    /// socket closes, and sshd closes every inherited descriptor at startup — the monitor would then block in
    /// `waitpid` on the server for as long as it runs, and no other `Process` in the test run would ever finish.
    static func spawn(_ path: String, _ arguments: [String], log: String) throws -> pid_t {
        let logFD = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard logFD >= 0 else { throw SSHServerError("cannot open \(log)") }
        defer { close(logFD) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, logFD, 1)
        posix_spawn_file_actions_adddup2(&actions, logFD, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard result == 0 else { throw SSHServerError("posix_spawn \(path): \(String(cString: strerror(result)))") }
        return pid
    }

    /// `program` on `PATH`, else in /usr/bin or /usr/sbin (not on a non-root `PATH`).
    static func which(_ program: String) -> String? {
        (try? ExecutableLookup.resolve(program))
            ?? ["/usr/bin/\(program)", "/usr/sbin/\(program)"].first(where: ExecutableLookup.isExecutableFile)
    }

    /// A port the kernel just handed out for 127.0.0.1 (bound, read back, released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { throw SSHServerError("socket() failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw SSHServerError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw SSHServerError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    #if canImport(Glibc)
    private static let streamSocket = Int32(SOCK_STREAM.rawValue)
    #else
    private static let streamSocket = SOCK_STREAM
    #endif

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

struct SSHServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
