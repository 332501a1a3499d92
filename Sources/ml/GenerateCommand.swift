import ArgumentParser
import Foundation
import Inference
import OpenAIBackend
import Synchronization

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate an answer to a prompt, streaming it to standard output.",
        discussion: "With no --url or --model, runs the default local model through a managed llama-server."
    )

    @OptionGroup var selection: ModelSelection

    @Option(help: "Most tokens to generate.") var maxTokens: Int = 256
    @Option(help: "Sampling temperature.") var temperature: Double = 0.7
    @Option(help: "Nucleus sampling probability.") var topP: Double?
    @Option(help: "Top-k sampling.") var topK: Int?
    @Option(help: "Stop sequence (repeatable).") var stop: [String] = []
    @Option(help: "Random seed.") var seed: UInt64?
    @Option(help: "A system message sent before the prompt.") var system: String?
    @Flag(help: "Print the whole answer at the end instead of streaming it.") var noStream = false
    @Flag(help: "Print one JSON object at the end: text, finish reason, metrics.") var json = false

    @Argument(help: "The prompt (default: read from standard input).") var prompt: String?

    func run() async throws {
        let commandStarted = ContinuousClock.now
        let promptText = try prompt ?? Self.readStandardInput()
        let model = try await selection.load()
        var messages: [Message] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(promptText))
        let options = GenerateOptions(
            maxTokens: maxTokens, temperature: temperature, topK: topK, topP: topP, stop: stop, seed: seed
        )
        let streaming = !noStream && !json
        let timing = Mutex(StreamTiming())
        do {
            let result = try await model.reply(messages, options: options) { token in
                timing.withLock { $0.record(.now) }
                if streaming { StandardOutput.write(token.text) }
            }
            await model.close()
            if json {
                print(Self.json(result, timing: timing.withLock { $0 }, commandStarted: commandStarted))
            } else if streaming {
                StandardOutput.write("\n")
            } else {
                print(result.text)
            }
        } catch let failure as GenerationFailure {
            await model.close()
            if streaming { StandardOutput.write("\n") } else if !failure.partialText.isEmpty { print(failure.partialText) }
            throw failure.underlying
        } catch {
            await model.close()
            throw error
        }
    }

    static func readStandardInput() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ValidationError("give a prompt as an argument or on standard input") }
        return text
    }

    static func json(_ result: GenerationResult, timing: StreamTiming, commandStarted: ContinuousClock.Instant) -> String {
        let reply = GenerateJSON(
            text: result.text, finishReason: result.finishReason.rawValue,
            stream: .init(
                tokens: timing.count, firstTokenSeconds: timing.first.map { ($0 - commandStarted).seconds },
                tokensPerSecond: timing.tokensPerSecond),
            metrics: result.metrics.map {
                .init(
                    promptTokens: $0.promptTokens, generatedTokens: $0.generatedTokens, totalSeconds: $0.totalDuration,
                    tokensPerSecond: $0.tokensPerSecond, prefillSeconds: $0.prefillDuration, decodeSeconds: $0.decodeDuration)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(reply)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// When streamed tokens arrived, to measure the rate a caller really sees.
struct StreamTiming: Sendable {
    var first: ContinuousClock.Instant?
    var last: ContinuousClock.Instant?
    var count = 0

    mutating func record(_ instant: ContinuousClock.Instant) {
        if first == nil { first = instant }
        last = instant
        count += 1
    }

    /// Tokens per second between the first and the last token (the decode rate as the caller sees it).
    var tokensPerSecond: Double? {
        guard let first, let last, count > 1 else { return nil }
        let seconds = (last - first).seconds
        return seconds > 0 ? Double(count - 1) / seconds : nil
    }
}

/// Unbuffered writes to standard output, so streamed tokens appear as they arrive.
enum StandardOutput {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
