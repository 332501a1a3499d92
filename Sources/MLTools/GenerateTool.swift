import Inference
import JSONValues

extension MLTool {
    /// `ml_generate`: one answer from a local or remote model, loaded once per server and shared across calls.
    public static func generate(_ environment: ToolEnvironment) -> MLTool {
        MLTool(
            name: "ml_generate", title: "Generate an answer",
            description: """
                Asks a language model for one answer: a prompt (sent as the user's message, with an optional system \
                message) or a whole conversation as messages. The model is the default local model unless `model` \
                names a GGUF file (backend llama), an MLX directory (backend mlx), or a model of the configured \
                OpenAI-compatible server (backend openai). Models load once and stay loaded for later calls. Returns \
                the text, why it stopped (stop, length) and token counts. Progress notifications count the tokens.
                """,
            inputSchema: ToolSchema.object([
                ("prompt", ToolSchema.string("The user's message (give this or messages).")),
                ("system", ToolSchema.string("A system message before the prompt.")),
                ("messages", .object([
                    "type": .string("array"), "description": .string("A conversation: {role: system|user|assistant, content}."),
                    "items": ToolSchema.object([("role", ToolSchema.string("Who speaks.", enumeration: ["system", "user", "assistant"])),
                                                ("content", ToolSchema.string("What they say."))], required: ["role", "content"]),
                ])),
                ("model", ToolSchema.string("A GGUF file or MLX directory inside the root, or the openai server's model name; default: the default model.")),
                ("backend", ToolSchema.string("Which backend runs it.", enumeration: ["llama", "mlx", "openai"])),
                ("temperature", ToolSchema.number("Sampling temperature (default 0.1).", minimum: 0, maximum: 2)),
                ("max_tokens", ToolSchema.integer("Most tokens to generate (default 512).", minimum: 1, maximum: 8192)),
                ("stop", ToolSchema.strings("Stop sequences: the answer ends before the first.")),
            ]),
            readOnly: true
        ) { arguments, progress in
            guard let models = environment.models else {
                throw ToolError(.failed, "this server has no model loader")
            }
            let messages = try Self.messages(arguments)
            let request = try ModelRequest(arguments, roots: environment.roots)
            var options = GenerateOptions(maxTokens: 512, temperature: 0.1)
            if let temperature = try arguments.double("temperature", in: 0...2) { options.temperature = temperature }
            if let tokens = try arguments.int("max_tokens", in: 1...8192) { options.maxTokens = tokens }
            options.stop = try arguments.strings("stop")
            let settings = options
            return try await models.withModel(request) { loaded in
                let counter = EventCounter()
                let steps = OrderedProgress(total: settings.maxTokens.map(Double.init), progress)
                let result: GenerationResult
                do {
                    result = try await loaded.reply(messages, options: settings) { _ in
                        let count = counter.next()
                        if count % 16 == 0 { steps.report(Double(count)) }
                    }
                } catch let failure as GenerationFailure {
                    await steps.finish()
                    throw ToolError(.failed, "generation failed after \(failure.partialText.count) characters: \(failure.underlying)",
                                    underlying: failure)
                }
                await steps.finish()
                let metrics = result.metrics
                return ToolOutput(structured: .object([
                    "text": .string(result.text), "finish_reason": .string(result.finishReason.rawValue),
                    "model": .string(loaded.info.id),
                    "prompt_tokens": metrics.map { .number(Double($0.promptTokens)) } ?? .null,
                    "generated_tokens": metrics.map { .number(Double($0.generatedTokens)) } ?? .null,
                ]), text: result.text)
            }
        }
    }

    /// The conversation: `messages`, or `system` + `prompt`.
    static func messages(_ arguments: ToolArguments) throws -> [Message] {
        if case .array(let items)? = arguments.values["messages"] {
            guard try arguments.string("prompt") == nil else {
                throw ToolError(.invalidArgument, "give prompt or messages, not both")
            }
            let messages = try items.enumerated().map { index, item -> Message in
                guard case .object(let fields) = item, case .string(let role)? = fields["role"], case .string(let content)? = fields["content"],
                      ["system", "user", "assistant"].contains(role)
                else { throw ToolError(.invalidArgument, "messages[\(index)] must be {role: system|user|assistant, content: string}") }
                return Message(role: Message.Role(rawValue: role), content: content)
            }
            guard !messages.isEmpty else { throw ToolError(.invalidArgument, "'messages' is empty") }
            return messages
        }
        guard arguments.values["messages"] == nil || arguments.values["messages"] == .null else {
            throw ToolError(.invalidArgument, "'messages' must be a list of {role, content}")
        }
        let prompt = try arguments.requiredString("prompt")
        return (try arguments.string("system").map { [Message(role: .system, content: $0)] } ?? []) + [.user(prompt)]
    }
}
