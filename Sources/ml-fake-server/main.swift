// A FAKE model behind the real `ml serve` server, for load tests and benchmarks of the server alone:
// the ScriptedModel answers every request with the same 16 tokens at once. Prints the port, serves until killed.
import Foundation
import InferenceTesting
import Serving

let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 0 : 0
let model = ScriptedModel(tokens: (0..<16).map { " word\($0)" }, capacity: 64, recordsRequests: false)
let server = OpenAIServer(
    model: model,
    modelID: "fake",
    configuration: ServerConfiguration(port: port, maxConcurrent: 256)
)
try await server.run { bound in
    FileHandle.standardOutput.write(Data("\(bound)\n".utf8))
}
