import Foundation
@testable import ModelFormats

/// Writes small mlx-lm style adapters: `adapters.safetensors` with `<path>.lora_a` `[in, rank]` and
/// `<path>.lora_b` `[rank, out]`, and `adapter_config.json`.
struct MLXAdapterFixture {
    struct Module {
        var path: String
        var inFeatures: Int
        var outFeatures: Int
    }

    /// Row-major MLX values by tensor name.
    var values: [String: [Float]] = [:]
    let directory: String
    let rank: Int

    /// A distinct small integer per element: exact in F32, F16 and BF16.
    static func value(_ seed: Int, _ index: Int) -> Float { Float((seed * 31 + index * 7) % 255) - 127 }

    init(
        directory: String, modules: [Module], rank: Int = 4, dtype: SafetensorsDType = .f32,
        config: String? = #"{"lora_parameters": {"rank": 4, "scale": 2.5, "dropout": 0.05, "keys": ["self_attn.q_proj"]}, "num_layers": 2, "model": "org/base-model"}"#,
        extraTensors: [(SafetensorsWriter.Tensor, [UInt8])] = []
    ) throws {
        self.directory = directory
        self.rank = rank
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var tensors: [(SafetensorsWriter.Tensor, [UInt8])] = []
        for (index, module) in modules.enumerated() {
            let a = (0..<(module.inFeatures * rank)).map { Self.value(2 * index, $0) }
            let b = (0..<(rank * module.outFeatures)).map { Self.value(2 * index + 1, $0) }
            values[module.path + ".lora_a"] = a
            values[module.path + ".lora_b"] = b
            tensors.append((.init(name: module.path + ".lora_a", dtype: dtype, shape: [UInt64(module.inFeatures), UInt64(rank)]), encode(a, as: dtype)))
            tensors.append((.init(name: module.path + ".lora_b", dtype: dtype, shape: [UInt64(rank), UInt64(module.outFeatures)]), encode(b, as: dtype)))
        }
        try SafetensorsWriter.write(path: (directory as NSString).appendingPathComponent("adapters.safetensors"), tensors: tensors + extraTensors)
        if let config {
            try Data(config.utf8).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("adapter_config.json")))
        }
    }

    /// MLX element `[row, column]` of tensor `name` (row-major, `columns` wide).
    func mlx(_ name: String, _ row: Int, _ column: Int, columns: Int) -> Float { values[name]![row * columns + column] }

    /// The standard test adapter: q_proj (8 → 8), k_proj (8 → 4) and v_proj (8 → 4) in layers 0 and 1.
    static let attention: [Module] = [0, 1].flatMap { layer in
        [
            Module(path: "model.layers.\(layer).self_attn.q_proj", inFeatures: 8, outFeatures: 8),
            Module(path: "model.layers.\(layer).self_attn.k_proj", inFeatures: 8, outFeatures: 4),
            Module(path: "model.layers.\(layer).self_attn.v_proj", inFeatures: 8, outFeatures: 4),
        ]
    }
}
