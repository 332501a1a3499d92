import AsyncHTTPClient
import Foundation
import Inference
import InferenceTesting
import Testing

@testable import LlamaServer
import HTTPTestSupport
import ManagedServer

#if canImport(Glibc)
import Glibc
import Synchronization
#endif

/// The managed process itself, with the real llama-server and model (see also `LlamaProcessStartTests`).
extension RealServerTests {
    @Suite struct LlamaProcessTests {
        static func get(_ url: String) async throws -> (status: UInt, body: String) {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Connection", value: "close")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (response.status.code, String(buffer: body))
        }

        /// llama-server processes whose command line contains `marker`.
        static func serverPids(containing marker: String) -> [Int32] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { pid in
                let command =
                    (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))).map {
                        String(decoding: $0, as: UTF8.self)
                    } ?? ""
                return command.contains("llama-server") && command.contains(marker)
            }
        }

        @Test func startsServesLogsAndStopsLeavingNothingBehind() async throws {
            let (_, model) = try RealComponents.requireServerAndModel()
            let directory = try RealComponents.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let logFile = directory.appendingPathComponent("server.log").path
            let server = try await LlamaProcess.start(
                model: model,
                settings: LlamaServerSettings(
                    contextLength: 512,
                    threads: 2,
                    parallelSlots: 1,
                    logCapacity: 50,
                    logFile: logFile
                )
            )
            #expect(server.isRunning && server.exitStatus == nil)
            #expect(server.phase == .ready(pid: server.pid))
            #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
            #expect(try !PortProbe.isFree(server.port, host: "127.0.0.1"))

            let health = try await Self.get(server.baseURL + "/health")
            #expect(health.status == 200, "\(health.body)")
            let models = try await Self.get(server.baseURL + "/v1/models")
            #expect(models.status == 200)
            #expect(models.body.contains("SmolLM2-135M-Instruct.Q4_1.gguf"), "\(models.body)")
            // The arguments reached the server.
            let props = try await Self.get(server.baseURL + "/props")
            #expect(
                props.body.contains(#""n_ctx":512"#) || props.body.contains(#""n_ctx": 512"#),
                "\(props.body.prefix(500))"
            )

            // Start-up lines are captured in memory and in the log file.
            let logs = server.recentLogs()
            #expect(logs.count <= 50)
            #expect(logs.contains { $0.contains("load_model") || $0.contains("model loaded") }, "\(logs)")
            #expect(server.recentLogs(3).count == 3)

            let started = ContinuousClock.now
            await server.stop()
            #expect(ContinuousClock.now - started < .seconds(3), "SIGTERM should be enough")
            #expect(kill(server.pid, 0) == -1 && errno == ESRCH, "the process is gone and reaped")
            #expect(!server.isRunning)
            #expect(server.exitStatus != nil)
            #expect(server.phase == .exited(status: server.exitStatus!, expected: true))
            #expect(try PortProbe.isFree(server.port, host: "127.0.0.1"), "port \(server.port) is free again")
            let file = try String(contentsOfFile: logFile, encoding: .utf8)
            #expect(file.contains("load_model"), "\(file.prefix(1000))")

            // Idempotent.
            let again = ContinuousClock.now
            await server.stop()
            #expect(ContinuousClock.now - again < .milliseconds(100))
        }

        @Test func killNineIsObservedWithinOneSecond() async throws {
            let (_, model) = try RealComponents.requireServerAndModel()
            let server = try await LlamaProcess.start(model: model, settings: LlamaServerSettings(parallelSlots: 1))
            let watcher = Task { await server.waitForExit() }
            try await Task.sleep(for: .milliseconds(50))
            let killed = ContinuousClock.now
            kill(server.pid, SIGKILL)
            let status = await watcher.value
            let elapsed = ContinuousClock.now - killed
            #expect(elapsed < .seconds(1), "death noticed after \(elapsed)")
            #expect(status == 128 + SIGKILL)
            #expect(server.exitStatus == 128 + SIGKILL)
            #expect(!server.isRunning)
            #expect(server.phase == .exited(status: 128 + SIGKILL, expected: false))
            #expect(await server.hasExited(within: .zero))
            await server.stop()  // after a crash: returns at once
        }

        @Test func explicitPortHeldByAnotherListenerIsNamedBeforeSpawning() async throws {
            let (_, model) = try RealComponents.requireServerAndModel()
            let listener = try TCPListener()
            defer { listener.close() }
            let started = ContinuousClock.now
            await #expect {
                _ = try await LlamaProcess.start(model: model, settings: LlamaServerSettings(port: listener.port))
            } throws: { error in
                let error = error as? InferenceError
                return error?.code == .serverError && error!.message.contains("port \(listener.port)")
                    && error!.message.contains("in use")
            }
            #expect(ContinuousClock.now - started < .milliseconds(500), "no server was started")
        }

        @Test func lostPortRaceIsRetriedOnAFreshPort() async throws {
            let (_, model) = try RealComponents.requireServerAndModel()
            let listener = try TCPListener()
            defer { listener.close() }
            let choices = Mutex([listener.port])
            // The first "free" port is taken by the time the server binds it, as when another process wins the race.
            let server = try await LlamaProcess.start(model: model, settings: LlamaServerSettings(parallelSlots: 1)) {
                try choices.withLock { $0.isEmpty ? try PortProbe.freePort(host: "127.0.0.1") : $0.removeFirst() }
            }
            defer { Task { await server.stop() } }
            #expect(server.port != listener.port)
            #expect(server.isRunning)
            #expect(try await Self.get(server.baseURL + "/health").status == 200)
            await server.stop()
        }

        @Test func losingThePortRaceEveryTimeIsAClearError() async throws {
            let (_, model) = try RealComponents.requireServerAndModel()
            let listener = try TCPListener()
            defer { listener.close() }
            let attempts = Mutex(0)
            await #expect {
                _ = try await LlamaProcess.start(model: model, settings: LlamaServerSettings(parallelSlots: 1)) {
                    attempts.withLock { $0 += 1 }
                    return listener.port
                }
            } throws: { error in
                let message = (error as? InferenceError)?.message ?? ""
                return message.contains("could not bind port \(listener.port)") && message.contains("exit status")
            }
            #expect(attempts.withLock({ $0 }) == LlamaProcess.portAttempts)
        }

        @Test func corruptModelReportsTheServersOwnReason() async throws {
            _ = try RealComponents.requireServerAndModel()
            let directory = try RealComponents.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let corrupt = directory.appendingPathComponent("x.gguf")
            try Data((0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }).write(to: corrupt)
            await #expect {
                _ = try await LlamaProcess.start(model: corrupt.path)
            } throws: { error in
                let message = (error as? InferenceError)?.message ?? ""
                return message.contains("exited with status 1") && message.contains("failed to load model")
            }
        }

        @Test func directoryAsModelIsRejectedBeforeSpawning() async throws {
            _ = try RealComponents.requireServerAndModel()
            await #expect {
                _ = try await LlamaProcess.start(model: FileManager.default.temporaryDirectory.path)
            } throws: { ($0 as? InferenceError)?.code == .modelNotFound }
        }

        @Test func missingExecutableIsAClearError() async throws {
            let (_, model) = try RealComponents.requireServerAndModel()
            await #expect {
                _ = try await LlamaProcess.start(
                    model: model,
                    settings: LlamaServerSettings(executable: "/nonexistent/llama-server")
                )
            } throws: { error in
                let error = error as? InferenceError
                return error?.code == .backendNotAvailable && error!.message.contains("/nonexistent/llama-server")
            }
        }

        @Test func cancelledStartLeavesNoProcess() async throws {
            let (_, model) = try RealComponents.requireServerAndModel()
            let marker = "cancel-test-\(UUID().uuidString)"
            let start = Task {
                try await LlamaProcess.start(
                    model: model,
                    settings: LlamaServerSettings(parallelSlots: 1, extraArguments: ["--alias", marker])
                )
            }
            // Cancel while it is loading (spawned, not yet healthy).
            let deadline = ContinuousClock.now + .seconds(10)
            while Self.serverPids(containing: marker).isEmpty && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            start.cancel()
            let result = await start.result
            if case .success(let server) = result { await server.stop() }
            try await Task.sleep(for: .milliseconds(100))
            let leftovers = Self.serverPids(containing: marker).filter(RealComponents.isAlive)
            #expect(leftovers.isEmpty, "llama-server processes left behind: \(leftovers)")
        }
    }
}
