import Foundation
import HTTPTestSupport
import JSONValues

/// A fake OpenAI-compatible server (a scripted peer, not a real one): deterministic tokens derived from the
/// prompt, honouring `max_tokens` and `stop`, streamed one token per event with a small delay.
enum FakeOpenAIServer {
    static func tokens(for prompt: String) -> [String] {
        let seed = prompt.unicodeScalars.reduce(0) { ($0 &* 31 &+ Int($1.value)) & 0xFFFF }
        return (0..<200).map { "w\((seed + $0 * 7) % 13) " }
    }

    static func start(tokenDelay: Duration = .milliseconds(1)) async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer { request, _ in
            guard let body = request.json else { return .body(#"{"error":{"message":"bad json"}}"#, status: 400) }
            let prompt: String
            if let messages = body["messages"]?.arrayValue {
                prompt = messages.compactMap { $0["content"]?.stringValue }.joined(separator: "\n")
            } else {
                prompt = body["prompt"]?.stringValue ?? ""
            }
            let maxTokens = body["max_tokens"]?.intValue ?? 200
            let stops = body["stop"]?.arrayValue?.compactMap(\.stringValue) ?? []
            var text = ""
            var pieces: [String] = []
            var finish = "stop"
            for (index, token) in tokens(for: prompt).enumerated() {
                if index >= maxTokens {
                    finish = "length"
                    break
                }
                let candidate = text + token
                if let stop = stops.compactMap({ candidate.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
                    let visible = String(candidate[..<stop.lowerBound].dropFirst(text.count))
                    if !visible.isEmpty { pieces.append(visible) }
                    break
                }
                text = candidate
                pieces.append(token)
            }
            var chunks = [#"data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"# + "\n\n"]
            chunks += pieces.map(OpenAIStreamEvents.chunk)
            chunks.append(#"data: {"choices":[{"index":0,"delta":{},"finish_reason":""# + finish + "\"}]}\n\n")
            chunks.append(#"data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":"# + "\(pieces.count)}}\n\n")
            chunks.append(OpenAIStreamEvents.done)
            return .events(chunks, delay: tokenDelay)
        }
    }
}
