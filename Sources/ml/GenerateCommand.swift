import ArgumentParser
import Foundation
import Inference
import ML

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
        let promptText = try prompt ?? Self.readStandardInput()
        let model = try await selection.load()
        var messages: [Message] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(promptText))
        let opts = GenOpts(
            temperature: temperature, maxTokens: maxTokens, topK: topK, topP: topP, stop: stop, seed: seed
        )
        let adapter = InferenceAdapter(model: model)
        let streaming = !noStream && !json
        do {
            let result = try await adapter.chatStream(messages, opts: opts) { token in
                if streaming { StandardOutput.write(token.text) }
            }
            await model.close()
            if json {
                print(Self.json(result))
            } else if streaming {
                StandardOutput.write("\n")
            } else {
                print(result.text)
            }
        } catch let failure as GenerationFailure {
            await model.close()
            if streaming { StandardOutput.write("\n") } else if !failure.partialText.isEmpty { print(failure.partialText) }
            printError("error: \(failure.underlying)")
            throw ExitCode.failure
        } catch {
            await model.close()
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    static func readStandardInput() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ValidationError("give a prompt as an argument or on standard input") }
        return text
    }

    static func json(_ result: GenerationResult) -> String {
        var object: [String: Any] = ["text": result.text, "finish_reason": result.finishReason.rawValue]
        if let metrics = result.metrics {
            var m: [String: Any] = [
                "prompt_tokens": metrics.promptTokens,
                "generated_tokens": metrics.generatedTokens,
                "total_seconds": metrics.totalDuration,
                "tokens_per_second": metrics.tokensPerSecond,
            ]
            if let prefill = metrics.prefillDuration { m["prefill_seconds"] = prefill }
            if let decode = metrics.decodeDuration { m["decode_seconds"] = decode }
            object["metrics"] = m
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Unbuffered writes to standard output, so streamed tokens appear as they arrive.
enum StandardOutput {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
