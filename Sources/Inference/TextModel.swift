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

    /// Stops all work and releases the model's resources. Idempotent.
    func close() async
}

extension TextModel {
    public var capacity: Int { 1 }
}
