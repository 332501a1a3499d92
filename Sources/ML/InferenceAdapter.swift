import Inference

/// Presents any ``TextModel`` as a ``Backend`` and a ``StreamingBackend``.
///
/// Options convert field by field (``GenOpts/generateOptions``). Stop sequences are enforced here as well, so
/// they hold even for models that ignore them: output ends before the first stop sequence, including one split
/// across tokens, and the model is then stopped. A failure after partial output throws ``GenerationFailure``
/// carrying that output.
public struct InferenceAdapter: StreamingBackend {
    public let model: any TextModel
    public let name: String
    public var supportsResponseFormat: Bool

    public init(model: any TextModel, name: String? = nil, supportsResponseFormat: Bool = false) {
        self.model = model
        self.name = name ?? model.modelType
        self.supportsResponseFormat = supportsResponseFormat
    }

    public var isAvailable: Bool { true }

    public func generate(_ prompt: String, opts: GenOpts) async throws -> GenerationResult {
        try await run(model.generate(prompt, options: opts.generateOptions), stop: opts.stop, onToken: nil)
    }

    public func chat(_ messages: [Message], opts: GenOpts) async throws -> GenerationResult {
        try await run(model.chat(messages, options: opts.generateOptions), stop: opts.stop, onToken: nil)
    }

    public func generateStream(
        _ prompt: String,
        opts: GenOpts,
        onToken: @escaping @Sendable (Token) async throws -> Void
    ) async throws -> GenerationResult {
        try await run(model.generate(prompt, options: opts.generateOptions), stop: opts.stop, onToken: onToken)
    }

    public func chatStream(
        _ messages: [Message],
        opts: GenOpts,
        onToken: @escaping @Sendable (Token) async throws -> Void
    ) async throws -> GenerationResult {
        try await run(model.chat(messages, options: opts.generateOptions), stop: opts.stop, onToken: onToken)
    }

    private func run(
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
