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

    /// Stops all work and releases the model's resources. Idempotent.
    func close() async
}

extension TextModel {
    public var capacity: Int { 1 }
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
