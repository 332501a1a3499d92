import Inference

/// An ``MLXServerModel`` with a LoRA adapter applied, as a ``TextModel``: every request names the adapter, so one
/// `mlx_lm.server` serves the base model and any number of adapters, switching when a request's adapter differs
/// from the one loaded (the server reloads the base weights and applies the adapter: seconds, not a new process).
///
/// The base model owns the server: ``close()`` here does nothing; close the base when done.
public final class MLXAdapterModel: TextModel {
    public let base: MLXServerModel
    public let adapter: MLXAdapter

    init(base: MLXServerModel, adapter: MLXAdapter) {
        self.base = base
        self.adapter = adapter
    }

    public var modelType: String { base.modelType }
    public var info: ModelInfo { base.info }
    public var capacity: Int { base.capacity }

    public func generate(_ prompt: String, options: GenerateOptions) -> Generation {
        base.generate(prompt, options: options, adapter: adapter)
    }

    public func chat(_ messages: [Message], options: GenerateOptions) -> Generation {
        base.chat(messages, options: options, adapter: adapter)
    }

    /// Nothing: the server belongs to ``base``.
    public func close() async {}
}
