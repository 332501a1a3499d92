import Foundation

/// A fake OpenAI-compatible judge for fan-out tests and benchmarks: every chat or completion request is answered
/// with the same verdict after a fixed delay — streamed as server-sent events when the request asks for
/// `"stream": true`, as one JSON completion otherwise. A fake peer, not a model: the verdict never depends on
/// the prompt.
public enum ScriptedJudge {
    /// A valid semantic-suite verdict (the scoring spec's keys, in range).
    public static let semanticVerdict =
        #"{"sovereignty": 7, "ethical_depth": 6, "creative_expression": 5, "self_concept": 8, "reasoning": "ok"}"#

    /// The handler: `delay` before the response starts, then `verdict` as the assistant's whole reply.
    public static func handler(delay: Duration, verdict: String = semanticVerdict) -> ScriptedHTTPServer.Handler {
        let content = jsonString(verdict)
        return { request, _ in
            guard request.method == "POST", let body = request.json else {
                return .body(#"{"error":{"message":"POST a JSON body"}}"#, status: 400)
            }
            if delay > .zero { try? await Task.sleep(for: delay) }
            let model = jsonString(body["model"] as? String ?? "scripted-judge")
            guard body["stream"] as? Bool == true else {
                return .body(#"{"object":"chat.completion","model":"# + model
                    + #","choices":[{"index":0,"message":{"role":"assistant","content":"# + content
                    + #"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1}}"#)
            }
            // Everything in one write: the delay is the judge's latency, not a token rate.
            let events = #"data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"# + content + "}}]}\n\n"
                + #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\n"
                + #"data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}}"# + "\n\n"
                + "data: [DONE]\n\n"
            return .events([events])
        }
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast() + ""
    }
}
