import Inference

/// A ``LlamaServerModel``'s server with its LoRA adapters at other scales, for every request (llama-server's
/// per-request `lora` list): the checkpoint agent judges with the adapter off on the server that answers the probes
/// with it on, so one server holds the base model once.
///
/// Why the adapter choice lives in the llama model and not in `GenerateOptions`: it names adapters a particular
/// server loaded (by load order), which means nothing to any other backend or to another server; a model value
/// that carries it keeps every caller (judge, probes, scoring) on the plain `TextModel` contract.
final class LlamaAdapterScaledModel: TextModel {
    let server: LlamaServerModel
    let scales: [Double]

    init(server: LlamaServerModel, scales: [Double]) {
        self.server = server
        self.scales = scales
    }

    var modelType: String { server.modelType }
    var info: ModelInfo { server.info }
    var capacity: Int { server.capacity }

    func generate(_ prompt: String, options: GenerateOptions) -> Generation {
        server.generate(prompt, options: options, adapterScales: scales)
    }

    func chat(_ messages: [Message], options: GenerateOptions) -> Generation {
        server.chat(messages, options: options, adapterScales: scales)
    }

    /// Does nothing: the server belongs to the model this view was made from.
    func close() async {}
}
