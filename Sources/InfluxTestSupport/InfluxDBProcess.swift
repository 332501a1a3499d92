import ChildProcess
import Foundation

import Recording

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real `influxd` (InfluxDB 1.x) for tests: its own temp directory (meta, data, wal), loopback ports, quiet
/// logging, one database. Restartable on the same directory and ports. Use ``with(database:_:)``.
package final class InfluxDBProcess: @unchecked Sendable {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// The server's own scratch directory (config, meta, data, wal, log).
    let directory: URL
    let executable: String
    package let database: String
    let rpcPort: Int
    let httpPort: Int
    private var process: Process?

    package var url: String { "http://127.0.0.1:\(httpPort)" }
    var configPath: String { path("influxdb.conf") }
    var logPath: String { path("influxd.log") }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    private func removeDirectory() { try? FileManager.default.removeItem(at: directory) }

    /// Starts an influxd with a fresh database, runs `body`, and stops it and removes its files whatever happens.
    package static func with<T>(
        database: String = "swiftml_test",
        _ body: (InfluxDBProcess) async throws -> T
    ) async throws -> T {
        let server = try InfluxDBProcess(database: database)
        do {
            try await server.start()
            _ = try await server.withClient { try await $0.execute("CREATE DATABASE \"\(database)\"") }
            let result = try await body(server)
            await server.stop()
            server.removeDirectory()
            return result
        } catch {
            await server.stop()
            server.removeDirectory()
            throw error
        }
    }

    init(database: String) throws {
        guard let executable = Self.findExecutable() else {
            throw Failure(
                description: """
                    influxd (InfluxDB 1.x) is required by the real-InfluxDB tests but was not found at /usr/bin/influxd, \
                    $INFLUXD or on PATH. Install InfluxDB 1.x (the project's setup installs 1.6.7).
                    """
            )
        }
        self.executable = executable
        self.database = database
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("influxd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.rpcPort = try Self.freePort()
        var http = try Self.freePort()
        while http == rpcPort { http = try Self.freePort() }
        self.httpPort = http
        try writeConfiguration()
    }

    /// A v1 configuration pointing at this server's database.
    package func configuration(batchSize: Int = 5000) -> InfluxConfiguration {
        InfluxConfiguration(url: url, apiVersion: .v1, database: database, timeout: .seconds(10), batchSize: batchSize)
    }

    package func withClient<T>(_ body: (InfluxClient) async throws -> T) async throws -> T {
        try await withInfluxClient(configuration: configuration(), body)
    }

    /// Launches influxd (again, on the same directory and ports) and waits for `GET /ping` → 204.
    package func start(timeout: Duration = .seconds(30)) async throws {
        guard process == nil else { return }
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["run", "-config", configPath]
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try await ChildProcess.launch(process)
        self.process = process
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                self.process = nil
                throw Failure(
                    description: "influxd exited with status \(process.terminationStatus) while starting:\n\(logTail())"
                )
            }
            if try await pingStatus() == 204 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        await stop()
        throw Failure(description: "influxd did not answer GET /ping with 204 within \(timeout):\n\(logTail())")
    }

    /// SIGTERM, wait up to `grace`, then SIGKILL.
    package func stop(grace: Duration = .seconds(10)) async {
        guard let process else { return }
        self.process = nil
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + grace
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        }
    }

    /// The status of `GET /ping` (InfluxDB 1.x answers 204 once it serves requests); `nil` when nothing answers.
    private func pingStatus() async throws -> Int? {
        var configuration = configuration()
        configuration.timeout = .seconds(2)
        return try await withInfluxClient(configuration: configuration) { await $0.pingStatus() }
    }

    package func logTail() -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no log)"
        return String(text.suffix(2000))
    }

    private func writeConfiguration() throws {
        let config = """
            reporting-disabled = true
            bind-address = "127.0.0.1:\(rpcPort)"

            [meta]
              dir = "\(path("meta"))"
              logging-enabled = false

            [data]
              dir = "\(path("data"))"
              wal-dir = "\(path("wal"))"
              query-log-enabled = false
              trace-logging-enabled = false

            [coordinator]
              log-queries-after = "0s"

            [retention]
              enabled = false

            [monitor]
              store-enabled = false

            [http]
              enabled = true
              bind-address = "127.0.0.1:\(httpPort)"
              auth-enabled = false
              log-enabled = false
              write-tracing = false

            [logging]
              level = "error"
              suppress-logo = true

            [continuous_queries]
              enabled = false

            [subscriber]
              enabled = false
            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    private static func findExecutable() -> String? {
        let explicit = ProcessInfo.processInfo.environment["INFLUXD"].flatMap { $0.isEmpty ? nil : $0 }
        let candidates = [explicit, "/usr/bin/influxd", "influxd"].compactMap { $0 }
        return candidates.lazy.compactMap { try? ExecutableLookup.resolve($0) }.first
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
    private static func freePort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "bind() failed: \(String(cString: strerror(errno)))") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            throw Failure(description: "getsockname() failed: \(String(cString: strerror(errno)))")
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
