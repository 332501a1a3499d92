import Foundation
import JSONValues

/// Options of ``MLXToGGUFConversion/convert(inputDirectory:outputPath:options:progress:)``.
public struct MLXToGGUFOptions: Sendable, Hashable {
    /// The type of the matrices: `.f32` (default, exact) or `.f16`. Vectors (norms, `rope_freqs`) stay F32, as
    /// llama.cpp's converter keeps them.
    public var type: GGMLType

    public init(type: GGMLType = .f32) { self.type = type }
}

/// What an MLX → GGUF conversion wrote.
public struct MLXToGGUFResult: Sendable, Hashable {
    public var path: String
    public var architecture: ModelArchitecture
    public var tensorCount: Int
    public var parameterCount: UInt64
    /// GGUF names of the q/k projections whose rows were permuted for llama.cpp's rope layout.
    public var permuted: [String]
    /// GGUF names of the norm weights llama.cpp stores offset (Gemma's `w + 1`).
    public var offsetNorms: [String]
    /// The tokenizer as written: `gpt2/llama-bpe`, `gpt2/qwen2`, `llama (SentencePiece)`.
    public var tokenizer: String
    public var bytes: UInt64
}

/// Converts an MLX / Hugging Face model directory of a supported ``ModelArchitecture`` (config.json, one or more
/// `*.safetensors` of F32, F16 or BF16 weights, tokenizer files) into a GGUF that llama.cpp loads, as its
/// `convert_hf_to_gguf.py` would: llama.cpp's tensor names and hyperparameter keys, q/k rows permuted for the
/// architectures whose converter permutes them, Gemma's norms stored as `w + 1`, no `output.weight` when the
/// embeddings are tied, Llama 3 rope scaling as `rope_freqs.weight`, and the tokenizer with its chat template.
///
/// Streams one tensor at a time; the file appears at `outputPath` only when complete.
public enum MLXToGGUFConversion {
    @discardableResult
    public static func convert(
        inputDirectory: String, outputPath: String, options: MLXToGGUFOptions = MLXToGGUFOptions(),
        progress: ((_ done: Int, _ total: Int, _ name: String) -> Void)? = nil
    ) throws -> MLXToGGUFResult {
        guard options.type == .f32 || options.type == .f16 else {
            throw ModelFormatError(.invalidArgument, "GGUF weights are written as F32 or F16, not \(options.type)")
        }
        let directory = (inputDirectory as NSString).standardizingPath
        guard let configJSON = try GGUFTokenizerImport.readJSON((directory as NSString).appendingPathComponent("config.json"), required: true) else {
            throw ModelFormatError(.io, "cannot read config.json in '\(directory)'")
        }
        let config = try MLXModelConfig(huggingFace: configJSON)
        let architecture = config.architecture
        let readers = try weightFiles(in: directory).map { try SafetensorsReader(path: $0) }
        let plans = try plan(readers: readers, config: config, type: options.type)
        let tokenizer = try GGUFTokenizerImport(directory: directory, vocabSize: config.vocabSize)

        var metadata: [GGUFKeyValue] = [
            GGUFKeyValue("general.architecture", .string(architecture.ggufName)),
            GGUFKeyValue("general.type", .string("model")),
            GGUFKeyValue("general.name", .string((directory as NSString).lastPathComponent)),
            GGUFKeyValue("general.file_type", .uint32(options.type == .f16 ? 1 : 0)),
        ]
        metadata += config.ggufMetadata
        metadata += tokenizer.metadata
        let ropeFactors = config.llama3RopeFactors
        var declarations = plans.map { GGUFWriter.Tensor(name: $0.name, dimensions: $0.source.shape.reversed(), type: $0.type) }
        if let ropeFactors { declarations.insert(.init(name: "rope_freqs.weight", dimensions: [UInt64(ropeFactors.count)], type: .f32), at: 0) }

        let writer = try GGUFWriter(path: outputPath, metadata: metadata, tensors: declarations)
        do {
            if let ropeFactors {
                try ropeFactors.withUnsafeBufferPointer { try writer.write(UnsafeRawBufferPointer($0)) }
            }
            let largest = Int(plans.map(\.source.elementCount).max() ?? 0)
            let floats = UnsafeMutableBufferPointer<Float>.allocate(capacity: largest)
            defer { floats.deallocate() }
            let encoded = UnsafeMutableRawBufferPointer.allocate(byteCount: largest * 4, alignment: 64)
            defer { encoded.deallocate() }
            for (index, plan) in plans.enumerated() {
                let reader = readers[plan.reader]
                let count = Int(plan.source.elementCount)
                let values = UnsafeMutableBufferPointer(rebasing: floats[0..<count])
                reader.prefetch(plan.source)
                try reader.withData(of: plan.source) { try decode($0, dtype: plan.source.dtype, into: values) }
                reader.evict(plan.source)
                if plan.offset != 0 { for i in values.indices { values[i] += plan.offset } }
                let rows = plan.source.shape.count == 2 ? Int(plan.source.shape[0]) : 1
                let columns = count / rows
                let size = plan.type == .f16 ? 2 : 4
                let out = UnsafeMutableRawBufferPointer(rebasing: encoded[0..<(count * size)])
                for row in 0..<rows {
                    let source = (plan.rowOrder?[row] ?? row) * columns
                    for column in 0..<columns {
                        let value = values[source + column]
                        if size == 2 {
                            out.storeBytes(of: FloatBits.floatToHalf(value).littleEndian, toByteOffset: (row * columns + column) * 2, as: UInt16.self)
                        } else {
                            out.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: (row * columns + column) * 4, as: UInt32.self)
                        }
                    }
                }
                try writer.write(UnsafeRawBufferPointer(out))
                progress?(index + 1, plans.count, plan.name)
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: outputPath)[.size] as? NSNumber)?.uint64Value ?? 0
        return MLXToGGUFResult(
            path: outputPath, architecture: architecture, tensorCount: declarations.count,
            parameterCount: plans.reduce(0) { $0 + $1.source.elementCount } + UInt64(ropeFactors?.count ?? 0),
            permuted: plans.filter { $0.rowOrder != nil }.map(\.name), offsetNorms: plans.filter { $0.offset != 0 }.map(\.name),
            tokenizer: tokenizer.summary, bytes: bytes)
    }

    /// One output tensor: where it comes from, its GGUF name and type, and how its values change on the way.
    struct Plan {
        var reader: Int
        var source: SafetensorsTensorInfo
        var name: String
        var type: GGMLType
        /// For permuted q/k projections: output row `r` is source row `rowOrder[r]`.
        var rowOrder: [Int]?
        /// Added to every value (Gemma's norms).
        var offset: Float
    }

    /// The model's safetensors files: `model.safetensors` or the shards beside it, sorted by name.
    static func weightFiles(in directory: String) throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ModelFormatError(.io, "cannot list '\(directory)': \(error.localizedDescription)", underlying: error)
        }
        let weights = names.filter { $0.hasSuffix(".safetensors") && !$0.contains("adapter") }.sorted()
        guard !weights.isEmpty else { throw ModelFormatError(.invalidArgument, "'\(directory)' has no *.safetensors weights") }
        return weights.map { (directory as NSString).appendingPathComponent($0) }
    }

    static func plan(readers: [SafetensorsReader], config: MLXModelConfig, type: GGMLType) throws -> [Plan] {
        let architecture = config.architecture
        var plans: [Plan] = []
        var seen = Set<String>()
        for (index, reader) in readers.enumerated() {
            for tensor in reader.file.tensors {
                let name = tensor.name
                if name.hasSuffix(".scales") || name.hasSuffix(".biases") || ![.f32, .f16, .bf16].contains(tensor.dtype) {
                    throw ModelFormatError(
                        .unsupported,
                        "tensor '\(name)' (\(tensor.dtype)) is quantized; convert an unquantized (f32, f16 or bf16) model, e.g. after mlx_lm.fuse --dequantize")
                }
                if name.hasSuffix("rotary_emb.inv_freq") { continue }
                if name == "lm_head.weight", config.tieWordEmbeddings { continue }  // as mlx-lm's sanitize drops it
                guard let gguf = GGUFTensorNaming.ggufName(of: name, architecture: architecture) else {
                    throw ModelFormatError(.unsupported, "tensor '\(name)' has no llama.cpp counterpart in the \(architecture) layout")
                }
                guard seen.insert(gguf).inserted else { throw ModelFormatError(.malformed, "tensor '\(name)' appears twice") }
                guard (1...2).contains(tensor.shape.count), tensor.elementCount > 0 else {
                    throw ModelFormatError(.malformed, "tensor '\(name)' has shape \(tensor.shape); weights are vectors or matrices")
                }
                var rowOrder: [Int]?
                if architecture.permutesQueryKey, let projection = GGUFTensorNaming.ropeProjection(of: gguf) {
                    let heads = projection.isQuery ? config.numAttentionHeads : config.numKeyValueHeads
                    let rows = Int(tensor.shape[0])
                    guard rows == heads * config.headDim, config.headDim % 2 == 0 else {
                        throw ModelFormatError(.mismatch, "tensor '\(name)' has \(rows) rows, not \(heads) heads × \(config.headDim)")
                    }
                    rowOrder = MLXLoRAAdapter.ropeRowOrder(rows: rows, heads: heads)
                }
                let offset = ModelArchitecture.isNormWeight(name) ? architecture.normWeightOffset : 0
                plans.append(Plan(reader: index, source: tensor, name: gguf, type: tensor.shape.count == 1 ? .f32 : type,
                                  rowOrder: rowOrder, offset: offset))
            }
        }
        guard let embedding = plans.first(where: { $0.name == "token_embd.weight" }) else {
            throw ModelFormatError(.malformed, "the model has no 'model.embed_tokens.weight'")
        }
        guard embedding.source.shape == [UInt64(config.vocabSize), UInt64(config.hiddenSize)] else {
            throw ModelFormatError(.mismatch, "model.embed_tokens.weight is \(embedding.source.shape), not [vocab_size \(config.vocabSize), hidden_size \(config.hiddenSize)]")
        }
        if !config.tieWordEmbeddings, !plans.contains(where: { $0.name == "output.weight" }) {
            throw ModelFormatError(.malformed, "tie_word_embeddings is false but the model has no 'lm_head.weight'")
        }
        // llama.cpp's loader expects the tensors in its order only by name; keep a stable, readable order.
        return plans.sorted { order($0.name) < order($1.name) }
    }

    /// Global tensors first, then layers by number, each layer's tensors by name.
    private static func order(_ name: String) -> (Int, String) {
        let parts = name.split(separator: ".")
        if parts.first == "blk", parts.count > 1, let layer = Int(parts[1]) { return (layer + 1, name) }
        return (name == "output_norm.weight" || name == "output.weight" ? Int.max : 0, name)
    }

    /// Decodes F32, F16 or BF16 little-endian elements into `values`.
    private static func decode(_ bytes: UnsafeRawBufferPointer, dtype: SafetensorsDType, into values: UnsafeMutableBufferPointer<Float>) throws {
        guard bytes.count == values.count * dtype.size else {
            throw ModelFormatError(.malformed, "tensor data of \(bytes.count) bytes does not hold \(values.count) \(dtype) values")
        }
        switch dtype {
        case .f32:
            for i in values.indices { values[i] = F32.decode(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
        case .f16:
            for i in values.indices { values[i] = F16.decode(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) }
        case .bf16:
            for i in values.indices { values[i] = BF16.decode(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) }
        default:
            throw ModelFormatError(.unsupported, "\(dtype) weights are not converted; F32, F16 and BF16 are")
        }
    }
}
