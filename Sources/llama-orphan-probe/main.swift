// Test helper: starts a managed llama-server on MODEL, prints "PID PORT" (the server's), then sleeps until killed.
// The orphan test kills this process with SIGKILL and checks that the server dies with it.
import Foundation
import Inference
import LlamaServer

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: llama-orphan-probe MODEL.gguf\n".utf8))
    exit(2)
}
do {
    let server = try await LlamaProcess.start(model: arguments[1], settings: LlamaServerSettings(parallelSlots: 1))
    FileHandle.standardOutput.write(Data("\(server.pid) \(server.port)\n".utf8))
    // Using `server` in the loop keeps it alive (a dropped LlamaProcess terminates its server).
    while server.isRunning { try await Task.sleep(for: .seconds(1)) }
    exit(3)
} catch {
    FileHandle.standardError.write(Data("llama-orphan-probe: \(error)\n".utf8))
    exit(1)
}
