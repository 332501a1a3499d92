import Foundation
import HTTPStreaming
import Inference
import JSONValues
import ManagedServer
import OpenAIWire

/// A local model directory in MLX / Hugging Face layout served by a managed ``MLXProcess`` (`mlx_lm.server`), as
/// a ``TextModel``.
///
/// `generate` streams a raw-prompt completion (`/v1/completions`), `chat` a chat completion rendered by the model's
/// own chat template on the server (`/v1/chat/completions`), both through ``StreamingHTTPClient`` over server-sent
/// events; tokens carry no ids (the server's stream has none). The server's quirks are handled here (see
/// ``MLXRequest`` and ``MLXStreamDecoder``). If the server dies during a generation, the stream throws at once;
/// the next request starts a fresh server (``MLXServerSettings/restartAfterCrash``).
public final class MLXServerModel: TextModel {
    private struct Instance: ManagedServerInstance {
        let process: MLXProcess
        let client: StreamingHTTPClient

        var server: ManagedServerProcess { process.server }
        func shutdownConnections() async { await client.shutdown() }
    }

    public let modelPath: String
    public let settings: MLXServerSettings
    public let info: ModelInfo
    private let slot: ManagedServerSlot<Instance>

    /// Checks the directory and MLX, starts the server and waits until it is ready.
    public init(modelPath: String, settings: MLXServerSettings = MLXServerSettings()) async throws {
        try MLXProcess.checkModelDirectory(modelPath)
        self.modelPath = modelPath
        self.settings = settings
        let info = Self.modelInfo(directory: modelPath)
        self.info = info
        self.slot = ManagedServerSlot(name: "mlx_lm.server", modelID: info.id, supervision: settings.supervision) {
            let process = try await MLXProcess.start(model: modelPath, settings: settings)
            let client = StreamingHTTPClient(
                baseURL: process.baseURL, configuration: .managedServer(parallelSlots: settings.parallelSlots))
            return Instance(process: process, client: client)
        }
        _ = try await slot.instance()
    }

    /// What `config.json` says about the model.
    static func modelInfo(directory: String) -> ModelInfo {
        let id = (directory as NSString).lastPathComponent
        let url = URL(fileURLWithPath: directory).appendingPathComponent("config.json")
        guard let data = try? Data(contentsOf: url), let config = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return ModelInfo(id: id)
        }
        var info = ModelInfo(id: id)
        info.architecture = config["model_type"]?.stringValue
        info.contextLength = config["max_position_embeddings"]?.intValue
        info.layers = config["num_hidden_layers"]?.intValue
        info.hiddenSize = config["hidden_size"]?.intValue
        info.vocabSize = config["vocab_size"]?.intValue
        if let bits = config["quantization"]?["bits"]?.intValue {
            info.quantization = "\(bits)-bit"
        } else {
            info.quantization = config["torch_dtype"]?.stringValue
        }
        return info
    }

    public var modelType: String { info.architecture ?? "mlx" }

    public var capacity: Int { settings.parallelSlots }

    /// The running server, if any (for logs, pid, port and the applied memory limits).
    public var process: MLXProcess? { slot.current?.process }

    /// How many times a crashed server was replaced.
    public var restarts: Int { slot.restarts }

    public func generate(_ prompt: String, options: GenerateOptions) -> Generation {
        generate(prompt, options: options, adapter: nil)
    }

    public func chat(_ messages: [Message], options: GenerateOptions) -> Generation {
        chat(messages, options: options, adapter: nil)
    }

    /// This model with a LoRA adapter applied by the same server, switched per request (no second server): see
    /// ``MLXAdapterModel``. Checks the adapter directory first.
    public func withAdapter(directory: String) throws -> MLXAdapterModel {
        MLXAdapterModel(base: self, adapter: try MLXAdapter(modelPath: modelPath, directory: directory))
    }

    func generate(_ prompt: String, options: GenerateOptions, adapter: MLXAdapter?) -> Generation {
        stream("/v1/completions", body: MLXRequest.completion(prompt: prompt, options: options, adapter: adapter),
               stops: options.stop)
    }

    func chat(_ messages: [Message], options: GenerateOptions, adapter: MLXAdapter?) -> Generation {
        stream("/v1/chat/completions", body: MLXRequest.chat(messages: messages, options: options, adapter: adapter),
               stops: options.stop)
    }

    public func close() async { await slot.close() }

    // MARK: - Internals

    /// Streams one request straight into the generation's sink (see ``ManagedServerSlot/run(_:)`` for a server
    /// that dies meanwhile).
    private func stream(_ path: String, body: some Encodable & Sendable, stops: [String]) -> Generation {
        slot.run { instance, sink in
            try await instance.client.streamEvents(
                path: path,
                body: body,
                decoder: { MLXStreamDecoder(stops: stops) },
                into: sink
            )
        }
    }
}
