import Foundation
import SafeFiles

/// One adapted linear layer of an MLX LoRA adapter: its `lora_a` (`[in, rank]`) and `lora_b` (`[rank, out]`).
public struct MLXLoRAPair: Sendable, Hashable {
    /// The module's path in the model, e.g. `model.layers.0.self_attn.q_proj`.
    public var modulePath: String
    /// The last path component, e.g. `q_proj`.
    public var module: String
    /// The transformer block index (the number after `layers.`), if any.
    public var layer: Int?
    public var a: SafetensorsTensorInfo
    public var b: SafetensorsTensorInfo

    public var inFeatures: Int { Int(a.shape[0]) }
    public var outFeatures: Int { Int(b.shape[1]) }
    public var rank: Int { Int(a.shape[1]) }
}

/// An mlx-lm LoRA adapter: `adapters.safetensors` (keys `<module path>.lora_a` / `.lora_b`, MLX layout
/// `y = W x + scale · (x A) B`, so A is `[in, rank]` and B `[rank, out]`) plus `adapter_config.json`.
///
/// Opening validates the whole adapter: every module has both matrices, 2-D F32/F16/BF16, with one rank that
/// matches the config's `rank` when given. Tensor data is memory-mapped, not loaded.
public final class MLXLoRAAdapter: Sendable {
    public let config: MLXLoRAConfig
    public let weights: SafetensorsReader
    /// Adapted modules ordered by layer, then module path.
    public let pairs: [MLXLoRAPair]
    /// The rank of every pair.
    public let rank: Int
    /// The files read: the weights and, if given, the config (outputs must never be one of them).
    public let weightsPath: String
    public let configPath: String?

    /// `config.scale`, or mlx-lm's default 20.
    public var scale: Double { config.effectiveScale }

    /// Opens `directory/adapters.safetensors` and `directory/adapter_config.json`.
    public convenience init(directory: String) throws {
        let config = (directory as NSString).appendingPathComponent("adapter_config.json")
        guard FileManager.default.fileExists(atPath: config) else {
            throw ModelFormatError(.io, "'\(directory)' has no adapter_config.json (an mlx-lm adapter directory has adapters.safetensors and adapter_config.json)")
        }
        try self.init(weightsPath: (directory as NSString).appendingPathComponent("adapters.safetensors"), configPath: config)
    }

    /// Opens an adapter's weights and, if given, its config (without one, mlx-lm's defaults apply).
    public init(weightsPath: String, configPath: String?) throws {
        let config = try configPath.map { try MLXLoRAConfig.read(path: $0) } ?? MLXLoRAConfig()
        if let type = config.fineTuneType, type != "lora" {
            throw ModelFormatError(.unsupported, "fine_tune_type '\(type)' is not supported; only LoRA adapters convert")
        }
        let weights = try SafetensorsReader(path: weightsPath)
        let pairs = try Self.pairs(of: weights.file, path: weightsPath)
        guard let rank = pairs.first?.rank else {
            throw ModelFormatError(.invalidArgument, "'\(weightsPath)' holds no LoRA tensors (names ending in .lora_a / .lora_b)")
        }
        if let mismatch = pairs.first(where: { $0.rank != rank }) {
            throw ModelFormatError(.mismatch, "'\(mismatch.modulePath)' has rank \(mismatch.rank) but '\(pairs[0].modulePath)' has rank \(rank)")
        }
        if let configured = config.rank, configured != rank {
            throw ModelFormatError(.mismatch, "adapter_config.json says rank \(configured) but the tensors have rank \(rank)")
        }
        self.config = config
        self.weights = weights
        self.pairs = pairs
        self.rank = rank
        self.weightsPath = weightsPath
        self.configPath = configPath
    }

    /// Throws ``ModelFormatError/Code/invalidArgument`` when `output` is the adapter's weights or config, or one of
    /// `others` (name, path): same path, symlink or hard link. Checked before anything is written.
    func requireOutput(_ output: String, named name: String, notAmong others: [(name: String, path: String)] = []) throws {
        var inputs: [(name: String, path: String)] = [("the adapter weights", weightsPath)]
        if let configPath { inputs.append(("the adapter config", configPath)) }
        do {
            try FileIdentity.requireDistinct(output: output, name, from: inputs + others)
        } catch let error as SafeFileError {
            throw ModelFormatError(.invalidArgument, error.message, underlying: error)
        }
    }

    private static func pairs(of file: SafetensorsFile, path: String) throws -> [MLXLoRAPair] {
        var halves: [String: (a: SafetensorsTensorInfo?, b: SafetensorsTensorInfo?)] = [:]
        for tensor in file.tensors {
            let isA = tensor.name.hasSuffix(".lora_a")
            guard isA || tensor.name.hasSuffix(".lora_b") else {
                throw ModelFormatError(
                    .unsupported,
                    "tensor '\(tensor.name)' of '\(path)' is not a LoRA matrix (.lora_a/.lora_b); DoRA and full fine-tunes are not supported"
                )
            }
            guard tensor.dtype.isConvertibleFloat else {
                throw ModelFormatError(.unsupported, "tensor '\(tensor.name)' is \(tensor.dtype); F32, F16 and BF16 are supported")
            }
            guard tensor.shape.count == 2, tensor.shape.allSatisfy({ $0 > 0 && $0 <= 1 << 31 }) else {
                throw ModelFormatError(.malformed, "tensor '\(tensor.name)' has shape \(tensor.shape); a LoRA matrix is 2-D")
            }
            let module = String(tensor.name.dropLast(".lora_a".count))
            if isA { halves[module, default: (nil, nil)].a = tensor } else { halves[module, default: (nil, nil)].b = tensor }
        }
        var pairs: [MLXLoRAPair] = []
        for (modulePath, half) in halves {
            guard let a = half.a, let b = half.b else {
                throw ModelFormatError(.malformed, "'\(modulePath)' has \(half.a == nil ? "lora_b but no lora_a" : "lora_a but no lora_b")")
            }
            guard a.shape[1] == b.shape[0] else {
                throw ModelFormatError(
                    .mismatch,
                    "'\(modulePath)': lora_a \(a.shape) and lora_b \(b.shape) do not chain (MLX layout: lora_a [in, rank], lora_b [rank, out])"
                )
            }
            let components = modulePath.split(separator: ".")
            let layer = zip(components, components.dropFirst()).first { $0.0 == "layers" && Int($0.1) != nil }.flatMap { Int($0.1) }
            pairs.append(MLXLoRAPair(modulePath: modulePath, module: String(components.last ?? ""), layer: layer, a: a, b: b))
        }
        return pairs.sorted { ($0.layer ?? -1, $0.modulePath) < ($1.layer ?? -1, $1.modulePath) }
    }

    /// Names of the adapted modules (`q_proj`, `v_proj`, ...), sorted.
    public var targetModules: [String] { Array(Set(pairs.map(\.module))).sorted() }

    /// Indices of the adapted layers, sorted.
    public var layers: [Int] { Array(Set(pairs.compactMap(\.layer))).sorted() }
}
