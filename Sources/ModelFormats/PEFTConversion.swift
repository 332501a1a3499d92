import Foundation
import JSONValues
import SafeFiles

/// Options of ``MLXLoRAAdapter/convertToPEFT(outputDirectory:options:)``.
public struct PEFTConversionOptions: Sendable, Hashable {
    /// `base_model_name_or_path`; default: the MLX config's `model`.
    public var baseModelNameOrPath: String?
    /// An adapter name to put in the keys (`lora_A.<name>.weight`, PEFT's in-memory form). `nil` (the
    /// default) writes the form PEFT saves and loads, `lora_A.weight`: PEFT's loader inserts the adapter name
    /// itself and would not match keys that already carry one.
    public var adapterNameInKeys: String?

    public init(baseModelNameOrPath: String? = nil, adapterNameInKeys: String? = nil) {
        self.baseModelNameOrPath = baseModelNameOrPath
        self.adapterNameInKeys = adapterNameInKeys
    }
}

/// What a PEFT conversion wrote.
public struct PEFTConversionResult: Sendable, Hashable {
    /// `adapter_model.safetensors`.
    public var weightsPath: String
    /// `adapter_config.json`.
    public var configPath: String
    public var rank: Int
    /// `lora_alpha` = MLX scale × rank, so PEFT's `lora_alpha / r` equals MLX's scale.
    public var alpha: Double
    public var targetModules: [String]
    public var layers: [Int]
    public var tensorCount: Int
    public var bytesWritten: UInt64
}

extension MLXLoRAAdapter {
    /// Writes the adapter as a Hugging Face PEFT LoRA adapter: `adapter_model.safetensors` with keys
    /// `base_model.model.<module path>.lora_A.weight` (`[rank, in]`) and `.lora_B.weight` (`[out, rank]`) —
    /// MLX's matrices transposed, dtype kept — and `adapter_config.json`. Streams: one tensor in memory at a time.
    @discardableResult
    public func convertToPEFT(outputDirectory: String, options: PEFTConversionOptions = PEFTConversionOptions()) throws -> PEFTConversionResult {
        for name in ["adapter_model.safetensors", "adapter_config.json"] {
            try requireOutput((outputDirectory as NSString).appendingPathComponent(name), named: "the output")
        }
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw ModelFormatError(.io, "cannot create '\(outputDirectory)': \(error.localizedDescription)", underlying: error)
        }
        let weightsPath = (outputDirectory as NSString).appendingPathComponent("adapter_model.safetensors")
        let configPath = (outputDirectory as NSString).appendingPathComponent("adapter_config.json")
        let infix = options.adapterNameInKeys.map { ".\($0)" } ?? ""

        var declarations: [SafetensorsWriter.Tensor] = []
        for pair in pairs {
            let prefix = "base_model.model.\(pair.modulePath)"
            declarations.append(.init(name: "\(prefix).lora_A\(infix).weight", dtype: pair.a.dtype, shape: [UInt64(pair.rank), UInt64(pair.inFeatures)]))
            declarations.append(.init(name: "\(prefix).lora_B\(infix).weight", dtype: pair.b.dtype, shape: [UInt64(pair.outFeatures), UInt64(pair.rank)]))
        }
        let writer = try SafetensorsWriter(path: weightsPath, metadata: ["format": "pt"], tensors: declarations)
        let largest = pairs.map { max($0.a.byteCount, $0.b.byteCount) }.max() ?? 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(largest), alignment: 64)
        defer { buffer.deallocate() }
        do {
            for pair in pairs {
                for (tensor, rows, columns) in [(pair.a, pair.inFeatures, pair.rank), (pair.b, pair.rank, pair.outFeatures)] {
                    let output = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(tensor.byteCount)])
                    try weights.withData(of: tensor) { source in
                        try TensorTranspose.transpose(source, dtype: tensor.dtype, rows: rows, columns: columns, to: tensor.dtype, into: output)
                    }
                    weights.evict(tensor)
                    try writer.write(UnsafeRawBufferPointer(output))
                }
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }

        let alpha = scale * Double(rank)
        let layers = self.layers
        let config: JSONValue = .object([
            ("alpha_pattern", .object([])),
            ("auto_mapping", .null),
            ("base_model_name_or_path", (options.baseModelNameOrPath ?? config.model).map(JSONValue.string) ?? .null),
            ("bias", .string("none")),
            ("fan_in_fan_out", .bool(false)),
            ("inference_mode", .bool(true)),
            ("init_lora_weights", .bool(true)),
            ("layers_pattern", .null),
            ("layers_to_transform", layers.isEmpty ? .null : .array(layers.map { .int($0) })),
            ("lora_alpha", .double(alpha)),
            ("lora_dropout", .double(config.dropout ?? 0)),
            ("modules_to_save", .null),
            ("peft_type", .string("LORA")),
            ("r", .int(rank)),
            ("rank_pattern", .object([])),
            ("revision", .null),
            ("target_modules", .array(targetModules.map { .string($0) })),
            ("task_type", .string("CAUSAL_LM")),
            ("use_dora", .bool(false)),
            ("use_rslora", .bool(false)),
        ])
        do {
            try AtomicFile.write(Data((config.serialized(indent: 2) + "\n").utf8), toPath: configPath)
        } catch {
            throw ModelFormatError(.io, "cannot write '\(configPath)': \(error.localizedDescription)", underlying: error)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: weightsPath)[.size] as? NSNumber)?.uint64Value ?? 0
        return PEFTConversionResult(
            weightsPath: weightsPath, configPath: configPath, rank: rank, alpha: alpha, targetModules: targetModules,
            layers: layers, tensorCount: declarations.count, bytesWritten: size
        )
    }
}
