// Test helper: starts a managed llama-server, prints "PID PORT", then sleeps until killed.
// The orphan test kills this process with SIGKILL and checks that the server dies with it.
import Foundation
import Inference
import LlamaServer

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: llama-orphan-probe MODEL.gguf\n".utf8))
    exit(2)
}
let model = try await LlamaServerModel(modelPath: arguments[1], settings: LlamaServerSettings(parallelSlots: 1))
guard let process = model.process else { exit(1) }
FileHandle.standardOutput.write(Data("\(process.pid) \(process.port)\n".utf8))
while true { try await Task.sleep(for: .seconds(3600)) }
