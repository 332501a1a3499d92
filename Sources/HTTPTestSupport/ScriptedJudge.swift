import Foundation
import OpenAIWire

/// A fake OpenAI-compatible judge for fan-out tests and benchmarks: every chat or completion request is answered
/// with the same verdict after a fixed delay — streamed as server-sent events when the request asks for
/// `"stream": true`, as one JSON completion otherwise. A fake peer, not a model: the verdict never depends on
/// the prompt.
package enum ScriptedJudge {
    /// A valid semantic-suite verdict (the scoring spec's keys, in range).
    package static let semanticVerdict =
        #"{"sovereignty": 7, "ethical_depth": 6, "creative_expression": 5, "self_concept": 8, "reasoning": "ok"}"#

    /// The handler: `delay` before the response starts, then `verdict` as the assistant's whole reply.
    package static func handler(delay: Duration, verdict: String = semanticVerdict) -> ScriptedHTTPServer.Handler {
        { request, _ in
            guard request.method == "POST", let body = try? JSONDecoder().decode(ChatCompletionRequest.self, from: request.body) else {
                return .body(#"{"error":{"message":"POST a JSON body"}}"#, status: 400)
            }
            if delay > .zero { try? await Task.sleep(for: delay) }
            let usage = Usage(promptTokens: 1, completionTokens: 1)
            guard body.stream == true else {
                let reply = CompletionResponse(
                    id: nil, object: "chat.completion", created: nil, model: body.model ?? "scripted-judge",
                    choices: [CompletionChoice(message: ChatMessage(role: "assistant", content: verdict), finishReason: "stop")],
                    usage: usage
                )
                return .body(json(reply))
            }
            // Everything in one write: the delay is the judge's latency, not a token rate.
            let chunks = [
                CompletionResponse(id: nil, object: nil, created: nil, model: nil,
                                   choices: [CompletionChoice(delta: ChatDelta(role: "assistant", content: verdict))]),
                CompletionResponse(id: nil, object: nil, created: nil, model: nil,
                                   choices: [CompletionChoice(delta: ChatDelta(), finishReason: "stop")]),
                CompletionResponse(id: nil, object: nil, created: nil, model: nil, choices: [], usage: usage),
            ]
            return .events([chunks.map { "data: " + json($0) + "\n\n" }.joined() + "data: [DONE]\n\n"])
        }
    }

    static func json(_ value: some Encodable) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
