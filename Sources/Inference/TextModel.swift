/// A loaded language model. Every backend implements this contract; `InferenceTesting`'s conformance suite
/// checks it.
///
/// A model may serve several generations at once (up to ``capacity``); each ``Generation`` carries its own
/// metrics. After ``close()`` the model refuses new work.
public protocol TextModel: AnyObject, Sendable {
    /// What kind of model this is, e.g. its architecture (`llama`) or `openai` for a remote server.
    var modelType: String { get }

    /// What the model is.
    var info: ModelInfo { get }

    /// How many generations the model runs at once; callers size their concurrency from it.
    var capacity: Int { get }

    /// Continues `prompt` as raw text.
    func generate(_ prompt: String, options: GenerateOptions) -> Generation

    /// Answers a conversation, applying the model's chat template.
    func chat(_ messages: [Message], options: GenerateOptions) -> Generation

    /// One forward pass per prompt: the token the model would produce next, with its most likely alternatives.
    func classify(_ prompts: [String], options: ClassifyOptions) async throws -> [ClassifyResult]

    /// Generates for every prompt, up to ``capacity`` at once; each prompt gets its tokens or its error.
    func batchGenerate(_ prompts: [String], options: GenerateOptions) async -> [BatchItemResult]

    /// Stops all work and releases the model's resources. Idempotent.
    func close() async
}

extension TextModel {
    public var capacity: Int { 1 }

    /// Runs the prompts through ``generate(_:options:)`` with at most ``capacity`` in flight.
    public func batchGenerate(_ prompts: [String], options: GenerateOptions) async -> [BatchItemResult] {
        await withTaskGroup(of: (Int, BatchItemResult).self) { group in
            var results = [BatchItemResult?](repeating: nil, count: prompts.count)
            var next = 0
            func addNext(_ group: inout TaskGroup<(Int, BatchItemResult)>) {
                let index = next
                next += 1
                let prompt = prompts[index]
                group.addTask {
                    let generation = self.generate(prompt, options: options)
                    var tokens: [Token] = []
                    do {
                        for try await token in generation { tokens.append(token) }
                        let summary = await generation.finished()
                        return (index, BatchItemResult(tokens: tokens, summary: summary, error: nil))
                    } catch {
                        let summary = await generation.finished()
                        return (index, BatchItemResult(tokens: tokens, summary: summary, error: error))
                    }
                }
            }
            while next < prompts.count && next < max(1, capacity) { addNext(&group) }
            for await (index, result) in group {
                results[index] = result
                if next < prompts.count { addNext(&group) }
            }
            return results.map { $0! }
        }
    }
}

/// Options for ``TextModel/classify(_:options:)``.
public struct ClassifyOptions: Sendable, Hashable, Codable {
    /// How many of the most likely next tokens to report with their log-probabilities (0 for none).
    public var topLogprobs: Int
    public var temperature: Double?

    public init(topLogprobs: Int = 0, temperature: Double? = 0) {
        self.topLogprobs = topLogprobs
        self.temperature = temperature
    }
}

/// The result of one forward pass.
public struct ClassifyResult: Sendable, Hashable, Codable {
    /// The sampled next token.
    public var token: Token
    /// The most likely next tokens with their natural-log probabilities, most likely first, when asked for.
    public var logprobs: [TokenLogprob]?

    public init(token: Token, logprobs: [TokenLogprob]? = nil) {
        self.token = token
        self.logprobs = logprobs
    }
}

/// A candidate token and its log-probability.
public struct TokenLogprob: Sendable, Hashable, Codable {
    public var token: Token
    public var logprob: Double

    public init(token: Token, logprob: Double) {
        self.token = token
        self.logprob = logprob
    }
}

/// One prompt's result in ``TextModel/batchGenerate(_:options:)``: its tokens, and its error if it failed.
public struct BatchItemResult: Sendable {
    public var tokens: [Token]
    public var summary: GenerationSummary?
    public var error: (any Error)?

    public init(tokens: [Token], summary: GenerationSummary? = nil, error: (any Error)? = nil) {
        self.tokens = tokens
        self.summary = summary
        self.error = error
    }

    public var text: String { tokens.map(\.text).joined() }
}
