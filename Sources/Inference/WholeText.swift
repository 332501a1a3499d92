/// Whole-text convenience over the token stream: one call, one ``GenerationResult``.
///
/// Stop sequences are enforced here for every model, including one that ignores them: the text ends before the
/// first stop sequence, even one split across tokens, and the generation is then stopped. A failure after some
/// output throws ``GenerationFailure`` carrying that output. `onToken` sees each visible token in order; if it
/// throws, generation stops and the error is rethrown inside a ``GenerationFailure``.
extension TextModel {
    /// Answers a conversation (the model's chat template applied).
    public func reply(
        _ messages: [Message],
        options: GenerateOptions = GenerateOptions(),
        onToken: (@Sendable (Token) async throws -> Void)? = nil
    ) async throws -> GenerationResult {
        try await Self.collect(chat(messages, options: options), stop: options.stop, onToken: onToken)
    }

    /// Continues `prompt` as raw text.
    public func complete(
        _ prompt: String,
        options: GenerateOptions = GenerateOptions(),
        onToken: (@Sendable (Token) async throws -> Void)? = nil
    ) async throws -> GenerationResult {
        try await Self.collect(generate(prompt, options: options), stop: options.stop, onToken: onToken)
    }

    private static func collect(
        _ generation: Generation,
        stop: [String],
        onToken: (@Sendable (Token) async throws -> Void)?
    ) async throws -> GenerationResult {
        var matcher = StopSequenceMatcher(stop)
        var text = ""
        func emit(_ token: Token) async throws {
            guard !token.text.isEmpty || token.id != nil else { return }
            text += token.text
            try await onToken?(token)
        }
        do {
            for try await token in generation {
                if let visible = matcher.feed(token) { try await emit(visible) }
                if matcher.stopped { break }
            }
            if matcher.stopped {
                generation.cancel()
                let summary = await generation.finished()
                return GenerationResult(text: text, finishReason: .stop, metrics: summary.metrics)
            }
            if let rest = matcher.flushToken() { try await emit(rest) }
            let summary = await generation.finished()
            if summary.finishReason == .cancelled { try Task.checkCancellation() }
            return GenerationResult(text: text, finishReason: summary.finishReason, metrics: summary.metrics)
        } catch {
            generation.cancel()
            await generation.finished()
            throw GenerationFailure(partialText: text, underlying: error)
        }
    }
}
