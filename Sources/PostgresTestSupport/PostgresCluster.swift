import ChildProcess
import Foundation
import Workspace

#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL cluster for tests: `initdb` into a temporary directory, `postgres` on a free loopback port
/// with trust authentication, except for members of ``passwordGroup`` (SCRAM passwords, see
/// ``createPasswordRole(_:password:)``), fsync off. PostgreSQL refuses to run as root, so when the tests run
/// as root the directory is handed to `nobody` and both programs run under `setpriv` as that user (argument
/// arrays, no shell). The server dies with the test process (parent-death signal) and ``shared()``'s cluster is
/// stopped and its directory removed at exit. Each test takes a database of its own (``createDatabase()``).
package final class PostgresCluster: Sendable {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    package let directory: URL
    package let port: Int
    package let role = "swiftml"
    /// Roles in this group log in over TCP with their password (SCRAM); every other role is trusted.
    package static let passwordGroup = "swiftml_password_login"
    let binDirectory: String
    let process: Process
    let runAs: (uid: UInt32, gid: UInt32)?

    /// The cluster every test in this process shares, started on first use.
    package static func shared() async throws -> PostgresCluster {
        try await SharedCluster.instance.get()
    }

    /// The server's binaries: `$POSTGRES_BIN`, else Debian's `/usr/lib/postgresql/15/bin` (any version found there).
    package static func findBinDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        var candidates: [String] = []
        if let bin = environment["POSTGRES_BIN"] { candidates.append(bin) }
        candidates.append("/usr/lib/postgresql/15/bin")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin" }
        return candidates.first { ExecutableLookup.isExecutableFile("\($0)/postgres") }
    }

    /// Starts a new cluster (use ``shared()`` in tests; the caller of this stops it with ``stop()``).
    package static func start() async throws -> PostgresCluster {
        guard let bin = findBinDirectory() else {
            throw Failure(description: """
                PostgreSQL server binaries not found (/usr/lib/postgresql/15/bin or $POSTGRES_BIN): the workspace's \
                PostgreSQL tests need them. Run scripts/setup (Debian package postgresql).
                """)
        }
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("swiftml-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var runAs: (uid: UInt32, gid: UInt32)?
        if getuid() == 0 {
            guard let user = getpwnam("nobody") else {
                throw Failure(description: "running as root and there is no user 'nobody' to run PostgreSQL as")
            }
            runAs = (user.pointee.pw_uid, user.pointee.pw_gid)
            guard chown(directory.path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                throw Failure(description: "cannot hand \(directory.path) to nobody: errno \(errno)")
            }
        }
        let data = directory.appendingPathComponent("data").path
        let log = directory.appendingPathComponent("postgres.log").path
        do {
            try await run(wrap(runAs, ["\(bin)/initdb", "-D", data, "-U", "swiftml", "--auth=trust", "-E", "UTF8",
                                 "--locale=C", "--no-sync"]), log: log)
            try requirePasswords(inHBA: data + "/pg_hba.conf")
            let port = try freePort()
            let arguments = wrap(runAs, pdeathsig: true, [
                "\(bin)/postgres", "-D", data, "-h", "127.0.0.1", "-p", "\(port)", "-k", directory.path,
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=200", "-c", "shared_buffers=32MB",
            ])
            let process = try await launch(arguments, log: log)
            let cluster = PostgresCluster(directory: directory, port: port, binDirectory: bin, process: process, runAs: runAs)
            try await cluster.waitUntilReady(log: log)
            try await cluster.execute("CREATE ROLE \(passwordGroup) NOLOGIN")
            return cluster
        } catch {
            let tail = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
            try? FileManager.default.removeItem(at: directory)
            throw Failure(description: "PostgreSQL did not start: \(error)\n\(tail)")
        }
    }

    init(directory: URL, port: Int, binDirectory: String, process: Process, runAs: (uid: UInt32, gid: UInt32)?) {
        self.directory = directory
        self.port = port
        self.binDirectory = binDirectory
        self.process = process
        self.runAs = runAs
    }

    /// A new, empty database, as a workspace URL.
    package func createDatabase(_ prefix: String = "ws") async throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())"
        try await Self.run(["\(binDirectory)/createdb", "-h", "127.0.0.1", "-p", "\(port)", "-U", role, name],
                     log: directory.appendingPathComponent("createdb.log").path)
        return url(database: name)
    }

    /// The workspace URL of `database` on this cluster.
    package func url(database: String) -> String {
        "postgres://\(role)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Creates a login role with a password, in ``passwordGroup``: the server checks its password.
    package func createPasswordRole(_ name: String, password: String) async throws {
        let literal = "'" + password.replacingOccurrences(of: "'", with: "''") + "'"
        try await execute("CREATE ROLE \(name) LOGIN PASSWORD \(literal) IN ROLE \(Self.passwordGroup)")
    }

    /// Runs one statement as the cluster's superuser role in the `postgres` database (through the workspace's
    /// own client, so no password ever appears on a command line).
    package func execute(_ sql: String) async throws {
        let store = try PostgresWorkspace(url: url(database: "postgres"))
        do {
            try await store.write { try await $0.execute(sql) }
            await store.close()
        } catch {
            await store.close()
            throw error
        }
    }

    /// Puts a SCRAM rule for ``passwordGroup``'s members before initdb's trust rules (the first matching line
    /// wins). Written in place, so the file keeps its owner when the server runs as `nobody`.
    static func requirePasswords(inHBA path: String) throws {
        let rules = try String(contentsOfFile: path, encoding: .utf8)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.write(contentsOf: Data("host all +\(passwordGroup) 127.0.0.1/32 scram-sha-256\n\(rules)".utf8))
    }

    /// Fast shutdown (SIGINT), then SIGKILL; removes the directory.
    package func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGINT)
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private func waitUntilReady(log: String) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw Failure(description: "postgres exited with \(process.terminationStatus)") }
            if (try? await Self.run(["\(binDirectory)/pg_isready", "-q", "-h", "127.0.0.1", "-p", "\(port)"], log: nil)) != nil {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "postgres not ready within 60 s")
    }

    /// `arguments` run as `runAs` (through `setpriv`), optionally killed when this process dies.
    static func wrap(_ runAs: (uid: UInt32, gid: UInt32)?, pdeathsig: Bool = false, _ arguments: [String]) -> [String] {
        var prefix: [String] = []
        if runAs != nil || pdeathsig { prefix = ["/usr/bin/setpriv"] }
        if let runAs { prefix += ["--reuid=\(runAs.uid)", "--regid=\(runAs.gid)", "--clear-groups"] }
        if pdeathsig { prefix += ["--pdeathsig", "KILL"] }
        return prefix.isEmpty ? arguments : prefix + ["--"] + arguments
    }

    /// Runs a command to completion; its output goes to `log` (appended); throws on a non-zero status. Async: a test
    /// waiting for `createdb` holds none of the concurrency pool's threads.
    static func run(_ arguments: [String], log: String?) async throws {
        let result = try await ChildProcess.run(arguments, mergeErrorIntoOutput: true)
        if let log {
            let handle = try openLog(log)
            defer { try? handle.close() }
            try handle.write(contentsOf: result.standardOutput)
        }
        guard result.status == 0 else {
            throw Failure(description: "\(arguments.joined(separator: " ")) exited with \(result.status)")
        }
    }

    /// Starts the server from the program's spawn thread, so its parent-death signal fires only when the
    /// program ends.
    static func launch(_ arguments: [String], log: String) async throws -> Process {
        let output = try openLog(log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try await ChildProcess.launch(process)
        return process
    }

    static func openLog(_ path: String) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o666])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        return handle
    }

    /// A loopback TCP port no one listens on now.
    package static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The process-wide cluster, started once (concurrent first callers share one start), stopped and removed when
/// the test process exits.
actor SharedCluster {
    static let instance = SharedCluster()
    private var starting: Task<PostgresCluster, any Error>?
    nonisolated(unsafe) static var stopAtExit: PostgresCluster?

    func get() async throws -> PostgresCluster {
        if let starting { return try await starting.value }
        let task = Task { () async throws -> PostgresCluster in
            let cluster = try await PostgresCluster.start()
            Self.stopAtExit = cluster
            atexit { SharedCluster.stopAtExit?.stop() }
            return cluster
        }
        starting = task
        return try await task.value
    }
}
