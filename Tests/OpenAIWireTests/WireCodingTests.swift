import Foundation
import JSONValues
import OpenAIWire
import Testing

@Suite struct WireCodingTests {
    private func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func requestsSendOnlyWhatIsSet() throws {
        let request = ChatCompletionRequest(
            model: "m", messages: [ChatMessage(role: "user", content: "hi")],
            sampling: SamplingParameters(temperature: 0, topK: 40, minP: 0.05, repeatPenalty: 1.1, seed: Seed(UInt64.max), stop: StopSequences(["\n"])),
            maxTokens: 8, responseFormat: .jsonSchema(name: "s", schema: .object([("type", .string("object"))])),
            stream: true, streamOptions: StreamOptions(includeUsage: true)
        )
        #expect(try encoded(request) == #"{"max_tokens":8,"messages":[{"content":"hi","role":"user"}],"min_p":0.05,"model":"m","repeat_penalty":1.1,"response_format":{"json_schema":{"name":"s","schema":{"type":"object"},"strict":true},"type":"json_schema"},"seed":18446744073709551615,"stop":["\n"],"stream":true,"stream_options":{"include_usage":true},"temperature":0,"top_k":40}"#)
        #expect(try encoded(TextCompletionRequest(model: nil, prompt: "p")) == #"{"prompt":"p"}"#)
    }

    @Test func requestsDecodeWithTheFieldInTheErrorPath() throws {
        for (body, field) in [(#"{"messages":[],"seed":18446744073709551619}"#, "seed"), (#"{"messages":[],"max_tokens":2.5}"#, "max_tokens"),
                              (#"{"messages":[],"temperature":"hot"}"#, "temperature"), (#"{"messages":[],"top_k":1e30}"#, "top_k")] {
            #expect(Self.errorPath(decoding: body) == field, "\(body)")
        }
        let request = try JSONDecoder().decode(ChatCompletionRequest.self, from: Data(#"{"messages":[{"role":"user","content":[{"type":"text","text":"a"}]}],"max_tokens":3.0,"seed":-1,"stop":"x","stream":"yes"}"#.utf8))
        #expect(request.maxTokens == 3)
        #expect(request.sampling.seed == Seed(UInt64.max), "a negative seed is its bit pattern")
        #expect(request.sampling.stop == StopSequences(["x"]))
        #expect(request.stream == nil, "a stream flag of the wrong type is read as absent")
        #expect(request.messages.first?.content == .parts([ContentPart(type: "text", text: "a")]))
    }

    /// The first key of the coding path of the error decoding `body` as a chat request.
    static func errorPath(decoding body: String) -> String? {
        do {
            _ = try JSONDecoder().decode(ChatCompletionRequest.self, from: Data(body.utf8))
            return nil
        } catch let error as DecodingError {
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
                return context.codingPath.first?.stringValue
            @unknown default: return nil
            }
        } catch { return nil }
    }

    @Test func repliesAndChunksDecodeInEveryShape() throws {
        let chunk = try JSONDecoder().decode(CompletionResponse.self, from: Data(#"{"choices":[{"delta":{"content":"a"},"finish_reason":null,"index":0}],"timings":{"prompt_n":3,"prompt_ms":1.5,"predicted_n":2,"predicted_ms":20}}"#.utf8))
        #expect(chunk.choices.first?.content == "a")
        #expect(chunk.timings == Timings(promptN: 3, promptMs: 1.5, predictedN: 2, predictedMs: 20))
        let whole = try JSONDecoder().decode(CompletionResponse.self, from: Data(#"{"choices":[{"message":{"role":"assistant","content":"b"},"finish_reason":"length"}],"usage":{"prompt_tokens":4,"completion_tokens":"5"}}"#.utf8))
        #expect(whole.choices.first?.content == "b" && whole.choices.first?.finishReason == "length")
        #expect(whole.usage?.promptTokens == 4 && whole.usage?.completionTokens == 5)
        let text = try JSONDecoder().decode(CompletionResponse.self, from: Data(#"{"choices":[{"text":"c"}]}"#.utf8))
        #expect(text.choices.first?.content == "c")
        let error = try JSONDecoder().decode(CompletionResponse.self, from: Data(#"{"error":{"message":"boom","code":503}}"#.utf8))
        #expect(error.error?.message == "boom" && error.error?.status == 503)
        let bare = try JSONDecoder().decode(CompletionResponse.self, from: Data(#"{"error":"plain"}"#.utf8))
        #expect(bare.error?.message == "plain")
    }

    @Test func chunksAlwaysCarryAFinishReason() throws {
        let chunk = CompletionResponse(id: "i", object: "chat.completion.chunk", created: 1, model: "m",
                                       choices: [CompletionChoice(delta: ChatDelta(role: "assistant", content: ""))])
        #expect(try encoded(chunk) == #"{"choices":[{"delta":{"content":"","role":"assistant"},"finish_reason":null,"index":0}],"created":1,"id":"i","model":"m","object":"chat.completion.chunk"}"#)
        #expect(try encoded(ErrorResponse(error: ErrorDetail(message: "m", type: "t", code: nil))) == #"{"error":{"code":null,"message":"m","type":"t"}}"#)
    }

    @Test func modelListsSkipEntriesWithoutAnID() throws {
        let list = try JSONDecoder().decode(ModelList.self, from: Data(#"{"data":[{"id":"a","owned_by":"me"},{"x":1}]}"#.utf8))
        #expect(list.data.map(\.id) == ["a"] && list.data.first?.ownedBy == "me")
    }
}
