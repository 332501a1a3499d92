import Foundation
import JSONValues

/// The parts of an mlx-lm `adapter_config.json` that matter for conversion, e.g.
/// `{"lora_parameters": {"rank": 8, "scale": 20.0, "dropout": 0.0, "keys": [...]}, "num_layers": 16, "model": "..."}`.
public struct MLXLoRAConfig: Sendable, Hashable {
    /// mlx-lm's defaults when `lora_parameters` omits them.
    public static let defaultRank = 8
    public static let defaultScale = 20.0

    public var rank: Int?
    /// MLX multiplies the adapter's output by this: `y = W x + scale · (x A) B`.
    public var scale: Double?
    public var dropout: Double?
    /// Module keys the adapter was trained on (`self_attn.q_proj`, ...).
    public var keys: [String]?
    /// Number of (final) layers adapted.
    public var numLayers: Int?
    /// The base model's path or hub id (`model`).
    public var model: String?
    /// `lora`, `dora` or `full` (`fine_tune_type`; absent in older files, meaning `lora`).
    public var fineTuneType: String?
    /// A GGUF architecture name, from `architecture` or else `model_type` (mlx-lm itself writes neither).
    public var architecture: String?

    public init(
        rank: Int? = nil, scale: Double? = nil, dropout: Double? = nil, keys: [String]? = nil, numLayers: Int? = nil,
        model: String? = nil, fineTuneType: String? = nil, architecture: String? = nil
    ) {
        self.rank = rank
        self.scale = scale
        self.dropout = dropout
        self.keys = keys
        self.numLayers = numLayers
        self.model = model
        self.fineTuneType = fineTuneType
        self.architecture = architecture
    }

    /// `rank`, or mlx-lm's default 8.
    public var effectiveRank: Int { rank ?? Self.defaultRank }
    /// `scale`, or mlx-lm's default 20.
    public var effectiveScale: Double { scale ?? Self.defaultScale }

    /// Reads the config at `path` (at most 16 MB of JSON).
    public static func read(path: String) throws -> MLXLoRAConfig {
        let file = try MappedFile(path: path)
        guard file.size <= 16 << 20 else {
            throw ModelFormatError(.limitExceeded, "'\(path)' is \(file.size) bytes; adapter configs are at most 16 MB")
        }
        return try parse(file.bytes, what: "'\(path)'")
    }

    /// Parses an `adapter_config.json`.
    public static func parse(_ bytes: UnsafeRawBufferPointer, what: String = "adapter_config.json") throws -> MLXLoRAConfig {
        let json = try JSONParser.parse(bytes, what: what)
        guard json.objectValue != nil else { throw ModelFormatError(.malformed, "\(what) is not a JSON object") }
        let parameters = json["lora_parameters"]
        func number(_ key: String) throws -> Double? {
            guard let value = parameters?[key] ?? json[key], !isNull(value) else { return nil }
            guard let d = value.doubleValue, d.isFinite else {
                throw ModelFormatError(.malformed, "\(what): '\(key)' is not a number")
            }
            return d
        }
        var config = MLXLoRAConfig()
        if let rank = try number("rank") {
            guard rank == rank.rounded(), rank >= 1, rank <= 1_048_576 else {
                throw ModelFormatError(.malformed, "\(what): rank \(rank) is not a positive integer")
            }
            config.rank = Int(rank)
        }
        config.scale = try number("scale")
        config.dropout = try number("dropout")
        config.keys = (parameters?["keys"]?.arrayValue).map { $0.compactMap(\.stringValue) }
        config.numLayers = (json["num_layers"] ?? json["lora_layers"])?.intValue
        config.model = json["model"]?.stringValue
        config.fineTuneType = json["fine_tune_type"]?.stringValue
        config.architecture = json["architecture"]?.stringValue ?? json["model_type"]?.stringValue
        return config
    }

    /// The `model_type` of the base model the adapter was trained on, when `model` names a local model directory
    /// (mlx-lm writes the `--model` it was given): its `config.json`'s `model_type`, else `nil`.
    public func baseModelType() -> String? {
        guard let model, !model.isEmpty else { return nil }
        let path = (model as NSString).appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: path), let file = try? MappedFile(path: path), file.size <= 16 << 20,
              let json = try? JSONParser.parse(file.bytes, what: "'\(path)'")
        else { return nil }
        return json["model_type"]?.stringValue
    }

    private static func isNull(_ value: JSONValue) -> Bool {
        if case .null = value { return true }
        return false
    }
}
