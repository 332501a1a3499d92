import Foundation
import HTTPTestSupport

// Test and benchmark helper: a fake OpenAI-compatible judge on loopback (``ScriptedJudge``) that answers every
// request after a fixed delay, so `ml score --judge-url` fan-out can be driven end to end through a real socket.
//
//     ml-judge-server [--port 0] [--delay-ms 50] [--verdict JSON]
//
// `--verdict` replaces the reply (default: a valid semantic-suite verdict), e.g. a capability verdict for the agent.
//
// Prints its port on the first line of standard output. `GET /stats` answers
// `{"requests": N, "peak_in_flight": P, "in_flight": I}` (the /stats requests themselves included); runs until killed.

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}

/// The server, once started: `/stats` reads it.
final class ServerBox: @unchecked Sendable {
    private let lock = NSLock()
    private var server: ScriptedHTTPServer?
    var value: ScriptedHTTPServer? {
        get { lock.withLock { server } }
        set { lock.withLock { server = newValue } }
    }
}

let port = option("--port").flatMap(Int.init) ?? 0
let delayMS = option("--delay-ms").flatMap(Double.init) ?? 50
let box = ServerBox()
let judge = ScriptedJudge.handler(delay: .microseconds(Int64(delayMS * 1000)),
                                  verdict: option("--verdict") ?? ScriptedJudge.semanticVerdict)
let server = try await ScriptedHTTPServer(port: port) { request, index in
    guard request.method == "GET", request.uri == "/stats" else { return await judge(request, index) }
    let stats: [String: Int] = ["requests": box.value?.requests.count ?? 0, "peak_in_flight": box.value?.peakInFlight ?? 0,
                                "in_flight": box.value?.inFlight ?? 0]
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return .body(String(decoding: try! encoder.encode(stats), as: UTF8.self))
}
box.value = server
FileHandle.standardOutput.write(Data("\(server.port)\n".utf8))
while true { try await Task.sleep(for: .seconds(3600)) }
