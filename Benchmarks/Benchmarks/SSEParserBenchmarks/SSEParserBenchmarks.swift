import Benchmark
import HTTPStreaming

/// A recorded-style OpenAI stream: 100,000 token events as llama-server sends them, in 1,400-byte network chunks.
let recordedStream: [[UInt8]] = {
    var text = ""
    for index in 0..<100_000 {
        text += #"data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1732500000,"model":"smol","choices":[{"index":0,"delta":{"content":" tok\#(index % 97)"},"finish_reason":null}]}"#
        text += "\n\n"
    }
    text += "data: [DONE]\n\n"
    let bytes = Array(text.utf8)
    return stride(from: 0, to: bytes.count, by: 1400).map { Array(bytes[$0..<min($0 + 1400, bytes.count)]) }
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .peakMemoryResident], maxDuration: .seconds(5))

    Benchmark("SSE parse 100k events") { benchmark in
        for _ in benchmark.scaledIterations {
            var parser = ServerSentEventParser()
            var events = 0
            for chunk in recordedStream {
                parser.feed(chunk) { _ in events += 1 }
            }
            blackHole(events)
        }
    }
}
