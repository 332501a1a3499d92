import Foundation

/// Options of ``MLXLoRAAdapter/convertToGGUF(outputPath:options:)``.
public struct GGUFLoRAOptions: Sendable, Hashable {
    /// Whether `lora_b` rows of q/k projections get llama.cpp's rope permutation (see ``ModelArchitecture/permutesQueryKey``).
    public enum RopePermutation: Sendable, Hashable {
        /// Permute where the architecture's llama.cpp conversion permutes q/k weights (llama; not qwen3, gemma3).
        case automatic
        case always
        case never
    }

    /// `general.architecture` (or a `model_type` meaning one, e.g. `gemma3_text`); default: the base model's, else
    /// the adapter config's `architecture`/`model_type`, else the `model_type` of the local base model directory
    /// its `model` names (as mlx-lm writes it). Must be one of ``ModelArchitecture/supported``.
    public var architecture: String?
    /// A base model GGUF: supplies the architecture and head counts, and every LoRA pair is checked against its
    /// tensor shapes.
    public var baseModelPath: String?
    /// `.f32` (default, lossless from F16/BF16, llama.cpp's own default) or `.f16`.
    public var outputType: GGMLType
    public var ropePermutation: RopePermutation
    /// Attention heads (query, key/value) for the permutation; default: from the base model.
    public var headCount: Int?
    public var headCountKV: Int?

    public init(
        architecture: String? = nil, baseModelPath: String? = nil, outputType: GGMLType = .f32,
        ropePermutation: RopePermutation = .automatic, headCount: Int? = nil, headCountKV: Int? = nil
    ) {
        self.architecture = architecture
        self.baseModelPath = baseModelPath
        self.outputType = outputType
        self.ropePermutation = ropePermutation
        self.headCount = headCount
        self.headCountKV = headCountKV
    }
}

/// What a GGUF LoRA conversion wrote.
public struct GGUFLoRAResult: Sendable, Hashable {
    public var path: String
    public var architecture: String
    /// `adapter.lora.alpha` = MLX scale × rank (llama.cpp scales by alpha / rank).
    public var alpha: Float
    public var rank: Int
    public var tensorCount: Int
    /// GGUF base names (`blk.0.attn_q.weight`) whose `lora_b` rows were rope-permuted.
    public var permuted: [String]
    /// Whether shapes were checked against a base model.
    public var checkedAgainstBase: Bool
    public var bytesWritten: UInt64
}

extension MLXLoRAAdapter {
    /// Writes the adapter as a llama.cpp GGUF LoRA (`general.type = adapter`, `adapter.type = lora`,
    /// `adapter.lora.alpha`): tensors `blk.N.<attn_q|attn_k|attn_v|attn_output|ffn_gate|ffn_up|ffn_down>.weight.lora_a`
    /// with ggml dims `[in, rank]` and `.lora_b` with `[rank, out]` — PEFT's `lora_A [rank, in]` and
    /// `lora_B [out, rank]` stored row-major, i.e. MLX's matrices transposed — as F32 (or F16).
    /// Streams: one tensor in memory at a time.
    @discardableResult
    public func convertToGGUF(outputPath: String, options: GGUFLoRAOptions = GGUFLoRAOptions()) throws -> GGUFLoRAResult {
        guard options.outputType == .f32 || options.outputType == .f16 else {
            throw ModelFormatError(.invalidArgument, "GGUF LoRA tensors are written as F32 or F16, not \(options.outputType)")
        }
        let outputDType: SafetensorsDType = options.outputType == .f32 ? .f32 : .f16
        try requireOutput(outputPath, named: "the output", notAmong: options.baseModelPath.map { [("the base model", $0)] } ?? [])
        let base = try options.baseModelPath.map { path in
            let file = try GGUFFile.read(path: path)
            do {
                try file.requireKnownTensorTypes()
            } catch let error as ModelFormatError {
                throw ModelFormatError(error.code, "base model '\(path)': \(error.message)", underlying: error)
            }
            return file
        }
        guard let requested = options.architecture ?? base?.architecture ?? config.architecture ?? config.baseModelType(),
              !requested.isEmpty
        else {
            throw ModelFormatError(
                .invalidArgument,
                "the adapter's architecture is unknown: its config names none and no local base model with a config.json; pass the architecture or a base model GGUF"
            )
        }
        let layout = try ModelArchitecture.forLoRA(named: requested)
        if let base, let actual = base.architecture, actual != layout.ggufName {
            throw ModelFormatError(.mismatch, "the adapter is for '\(requested)' (\(layout.ggufName)) but the base model is '\(actual)'")
        }
        let architecture = layout.ggufName
        let permute = options.ropePermutation == .always
            || (options.ropePermutation == .automatic && layout.permutesQueryKey)

        func heads(_ explicit: Int?, _ key: String, layer: Int) -> Int? {
            if let explicit { return explicit }
            guard let value = base?["\(architecture).\(key)"] else { return nil }
            if let array = value.arrayValue { return layer < array.count ? array[layer].intValue : nil }
            return value.intValue
        }

        struct Plan {
            var pair: MLXLoRAPair
            var name: String
            var rowOrder: [Int]?
        }
        var plans: [Plan] = []
        for pair in pairs {
            let (name, layer) = try layout.loraTensor(for: pair)
            if let base {
                guard let tensor = base.tensor(named: name) else {
                    throw ModelFormatError(.mismatch, "the base model has no tensor '\(name)' for '\(pair.modulePath)'")
                }
                guard tensor.dimensions.count == 2, tensor.dimensions[0] == UInt64(pair.inFeatures), tensor.dimensions[1] == UInt64(pair.outFeatures) else {
                    throw ModelFormatError(
                        .mismatch,
                        "'\(name)' has ggml dims \(tensor.dimensions) in the base model but the adapter maps \(pair.inFeatures) inputs to \(pair.outFeatures) outputs"
                    )
                }
            }
            var rowOrder: [Int]?
            if permute, pair.module == "q_proj" || pair.module == "k_proj" {
                let headCount = heads(options.headCount, "attention.head_count", layer: layer)
                let groups = pair.module == "q_proj" ? headCount : (heads(options.headCountKV, "attention.head_count_kv", layer: layer) ?? headCount)
                guard let groups, groups > 0 else {
                    throw ModelFormatError(
                        .invalidArgument,
                        "llama.cpp's '\(architecture)' layout permutes q/k rows for rope: pass the head counts or a base model GGUF to convert '\(pair.modulePath)'"
                    )
                }
                guard pair.outFeatures % (2 * groups) == 0 else {
                    throw ModelFormatError(.mismatch, "'\(pair.modulePath)' has \(pair.outFeatures) outputs, not a multiple of 2 × \(groups) heads")
                }
                rowOrder = Self.ropeRowOrder(rows: pair.outFeatures, heads: groups)
            }
            plans.append(Plan(pair: pair, name: name, rowOrder: rowOrder))
        }

        let alpha = Float(scale * Double(rank))
        let metadata = [
            GGUFKeyValue("general.architecture", .string(architecture)),
            GGUFKeyValue("general.type", .string("adapter")),
            GGUFKeyValue("adapter.type", .string("lora")),
            GGUFKeyValue("adapter.lora.alpha", .float32(alpha)),
        ]
        var declarations: [GGUFWriter.Tensor] = []
        for plan in plans {
            let rank = UInt64(plan.pair.rank)
            declarations.append(.init(name: plan.name + ".lora_a", dimensions: [UInt64(plan.pair.inFeatures), rank], type: options.outputType))
            declarations.append(.init(name: plan.name + ".lora_b", dimensions: [rank, UInt64(plan.pair.outFeatures)], type: options.outputType))
        }
        let writer = try GGUFWriter(path: outputPath, metadata: metadata, tensors: declarations)
        let largest = plans.map { max($0.pair.a.elementCount, $0.pair.b.elementCount) }.max() ?? 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(largest) * outputDType.size, alignment: 64)
        defer { buffer.deallocate() }
        do {
            for plan in plans {
                let pair = plan.pair
                let steps = [(pair.a, pair.inFeatures, pair.rank, [Int]?.none), (pair.b, pair.rank, pair.outFeatures, plan.rowOrder)]
                for (tensor, rows, columns, rowOrder) in steps {
                    let output = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(rows * columns * outputDType.size)])
                    try weights.withData(of: tensor) { source in
                        try TensorTranspose.transpose(
                            source, dtype: tensor.dtype, rows: rows, columns: columns, to: outputDType, into: output, rowOrder: rowOrder
                        )
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
        let size = (try? FileManager.default.attributesOfItem(atPath: outputPath)[.size] as? NSNumber)?.uint64Value ?? 0
        return GGUFLoRAResult(
            path: outputPath, architecture: architecture, alpha: alpha, rank: rank, tensorCount: declarations.count,
            permuted: plans.filter { $0.rowOrder != nil }.map(\.name), checkedAgainstBase: base != nil, bytesWritten: size
        )
    }

    /// llama.cpp's rope permutation of `rows` output rows in `heads` groups: result row `h·d + 2j + i` is
    /// source row `h·d + i·d/2 + j` (`reshape(heads, 2, d/2, …).swapaxes(1, 2)` in `LlamaModel.permute`).
    static func ropeRowOrder(rows: Int, heads: Int) -> [Int] {
        let headDim = rows / heads
        let half = headDim / 2
        var order = [Int](repeating: 0, count: rows)
        for h in 0..<heads {
            for j in 0..<half {
                for i in 0..<2 { order[h * headDim + 2 * j + i] = h * headDim + i * half + j }
            }
        }
        return order
    }
}
