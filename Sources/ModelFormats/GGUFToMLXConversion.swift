import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options of ``GGUFToMLXConversion/convert(inputPath:outputDirectory:options:)``.
public struct GGUFToMLXOptions: Sendable, Hashable {
    /// The dtype of the written weights: `.f32` (default: exact for every dequantized value, and the fastest
    /// on MLX's CPU backend), `.f16` or `.bf16`.
    public var dtype: SafetensorsDType

    public init(dtype: SafetensorsDType = .f32) { self.dtype = dtype }
}

/// What a GGUF → MLX conversion wrote.
public struct GGUFToMLXResult: Sendable, Hashable {
    public var outputDirectory: String
    public var config: MLXModelConfig
    public var tensorCount: Int
    public var parameterCount: UInt64
    /// Tensors per source ggml type (`["Q4_1": 210, "F32": 61, "Q8_0": 1]`).
    public var sourceTypes: [String: Int]
    /// Hugging Face names of the q/k projections whose rows were put back in Hugging Face's rope order.
    public var unpermuted: [String]
    public var safetensorsBytes: UInt64
}

/// Converts a GGUF of a supported ``ModelArchitecture`` (llama, qwen3, gemma3) into a Hugging Face / MLX model
/// directory: `config.json`, `model.safetensors` (dequantized weights under Hugging Face names, q/k rows back in
/// Hugging Face's rope order where llama.cpp permuted them, Gemma's norms back to `w` from llama.cpp's `w + 1`,
/// Llama 3's `rope_freqs.weight` back to its `rope_scaling`), `tokenizer.json`, `tokenizer_config.json` (with the
/// chat template) and `special_tokens_map.json`.
///
/// Streams one tensor at a time. The directory is built under a temporary name beside `outputDirectory` and
/// renamed into place only when complete, so a failed or interrupted run leaves nothing at `outputDirectory`;
/// an existing `outputDirectory` is never overwritten.
public enum GGUFToMLXConversion {
    public static let weightsFileName = "model.safetensors"

    /// `progress` hears of each tensor written: how many are done, of how many, and the last one's name.
    @discardableResult
    public static func convert(
        inputPath: String, outputDirectory: String, options: GGUFToMLXOptions = GGUFToMLXOptions(),
        progress: ((_ done: Int, _ total: Int, _ name: String) -> Void)? = nil
    ) throws -> GGUFToMLXResult {
        let output = (outputDirectory as NSString).standardizingPath
        guard !output.isEmpty else { throw ModelFormatError(.invalidArgument, "the output directory is empty") }
        var info = stat()
        if lstat(output, &info) == 0 {
            throw ModelFormatError(.invalidArgument, "'\(output)' already exists; remove it or choose another output directory")
        }
        let reader = try GGUFReader(path: inputPath)
        let file = reader.file
        var config = try MLXModelConfig(file: file, dtype: options.dtype)
        if let ropeFreqs = file.tensor(named: "rope_freqs.weight") {
            guard ropeFreqs.type == .f32, ropeFreqs.dimensions.count == 1 else {
                throw ModelFormatError(.unsupported, "tensor 'rope_freqs.weight' is \(ropeFreqs.type) \(ropeFreqs.dimensions), not an F32 vector")
            }
            let factors = try reader.withData(of: ropeFreqs) { bytes in
                (0..<Int(ropeFreqs.elementCount)).map { Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            try config.adoptLlama3RopeFactors(factors)
        }
        let tokenizer = try GGUFTokenizerExport(file: file, maxLength: config.maxPositionEmbeddings)
        let plans = try plan(file: file, config: config)

        let temporary = output + ".partial-\(UUID().uuidString.prefix(8))"
        do {
            // The parent is made as needed; the directory itself must be new (it is renamed into place).
            try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        } catch {
            throw ModelFormatError(.io, "cannot create '\(temporary)': \(error.localizedDescription)", underlying: error)
        }
        do {
            let bytes = try writeWeights(reader: reader, plans: plans, dtype: options.dtype,
                                         path: (temporary as NSString).appendingPathComponent(weightsFileName), progress: progress)
            try write(config.json.serialized(indent: 2) + "\n", to: temporary, name: "config.json")
            try write(tokenizer.tokenizerJSON, to: temporary, name: "tokenizer.json")
            try write(tokenizer.tokenizerConfigJSON, to: temporary, name: "tokenizer_config.json")
            try write(tokenizer.specialTokensMapJSON, to: temporary, name: "special_tokens_map.json")
            guard rename(temporary, output) == 0 else {
                throw ModelFormatError(.io, "cannot rename '\(temporary)' to '\(output)': \(String(cString: strerror(errno)))")
            }
            var sourceTypes: [String: Int] = [:]
            for plan in plans { sourceTypes[plan.tensor.type.name, default: 0] += 1 }
            return GGUFToMLXResult(
                outputDirectory: output, config: config, tensorCount: plans.count,
                parameterCount: plans.reduce(0) { $0 + $1.tensor.elementCount }, sourceTypes: sourceTypes,
                unpermuted: plans.filter { $0.rowOrder != nil }.map(\.name), safetensorsBytes: bytes
            )
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// One output tensor: its source, Hugging Face name, the source row of each output row for q/k, and what
    /// to add to every value (minus llama.cpp's norm offset).
    struct Plan {
        var tensor: GGUFTensorInfo
        var name: String
        var rowOrder: [Int]?
        var offset: Float = 0
    }

    static func plan(file: GGUFFile, config: MLXModelConfig) throws -> [Plan] {
        var plans: [Plan] = []
        let architecture = config.architecture
        for tensor in file.tensors where tensor.name != "rope_freqs.weight" {  // read into the config's rope_scaling
            guard let name = GGUFTensorNaming.huggingFaceName(of: tensor.name, architecture: architecture) else {
                throw ModelFormatError(.unsupported, "tensor '\(tensor.name)' has no \(architecture) counterpart in Hugging Face layout")
            }
            guard GGMLDequantization.isSupported(tensor.type) else {
                throw ModelFormatError(
                    .unsupported,
                    "tensor '\(tensor.name)' is \(tensor.type); supported: \(GGMLDequantization.supportedTypes.map(\.name).joined(separator: ", "))"
                )
            }
            guard (1...2).contains(tensor.dimensions.count), tensor.elementCount > 0 else {
                throw ModelFormatError(.malformed, "tensor '\(tensor.name)' has dims \(tensor.dimensions); weights are vectors or matrices")
            }
            var rowOrder: [Int]?
            if architecture.permutesQueryKey, let projection = GGUFTensorNaming.ropeProjection(of: tensor.name) {
                // llama.cpp's converter permuted these rows for its rope layout; mlx-lm expects Hugging Face's.
                let heads = projection.isQuery ? config.numAttentionHeads : config.numKeyValueHeads
                let rows = Int(tensor.shape[0])
                guard rows == heads * config.headDim, config.headDim % 2 == 0 else {
                    throw ModelFormatError(
                        .mismatch,
                        "tensor '\(tensor.name)' has \(rows) rows, not \(heads) heads × \(config.headDim) (layer \(projection.layer))"
                    )
                }
                rowOrder = GGUFTensorNaming.inverseRopeRowOrder(rows: rows, heads: heads)
            }
            let offset = ModelArchitecture.isNormWeight(name) ? -architecture.normWeightOffset : 0
            plans.append(Plan(tensor: tensor, name: name, rowOrder: rowOrder, offset: offset))
        }
        guard plans.contains(where: { $0.name == "model.embed_tokens.weight" }) else {
            throw ModelFormatError(.malformed, "the GGUF has no 'token_embd.weight'")
        }
        return plans
    }

    /// Dequantizes, reorders and converts each tensor, streaming them into a safetensors file; returns its size.
    static func writeWeights(reader: GGUFReader, plans: [Plan], dtype: SafetensorsDType, path: String,
                             progress: ((Int, Int, String) -> Void)? = nil) throws -> UInt64 {
        let declarations = plans.map { SafetensorsWriter.Tensor(name: $0.name, dtype: dtype, shape: $0.tensor.shape) }
        let writer = try SafetensorsWriter(path: path, metadata: ["format": "mlx"], tensors: declarations)
        let largest = Int(plans.map(\.tensor.elementCount).max() ?? 0)
        let floats = UnsafeMutableBufferPointer<Float>.allocate(capacity: largest)
        defer { floats.deallocate() }
        let encoded = UnsafeMutableRawBufferPointer.allocate(byteCount: largest * dtype.size, alignment: 64)
        defer { encoded.deallocate() }
        do {
            for (index, plan) in plans.enumerated() {
                let tensor = plan.tensor
                let count = Int(tensor.elementCount)
                let values = UnsafeMutableBufferPointer(rebasing: floats[0..<count])
                reader.prefetch(tensor)
                try reader.withData(of: tensor) { try GGMLDequantization.dequantize($0, type: tensor.type, into: values) }
                reader.evict(tensor)
                if plan.offset != 0 { for i in values.indices { values[i] += plan.offset } }
                let rows = Int(tensor.shape[0])
                let columns = count / rows
                let out = UnsafeMutableRawBufferPointer(rebasing: encoded[0..<(count * dtype.size)])
                for row in 0..<rows {
                    let source = (plan.rowOrder?[row] ?? row) * columns
                    encode(UnsafeBufferPointer(rebasing: values[source..<(source + columns)]), dtype: dtype, into: out, at: row * columns)
                }
                try writer.write(UnsafeRawBufferPointer(out))
                progress?(index + 1, plans.count, plan.name)
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// Writes `values` as little-endian `dtype` elements starting at element `index` of `output`.
    private static func encode(_ values: UnsafeBufferPointer<Float>, dtype: SafetensorsDType, into output: UnsafeMutableRawBufferPointer, at index: Int) {
        switch dtype {
        case .f32:
            let dst = output.bindMemory(to: UInt32.self)
            for (i, v) in values.enumerated() { dst[index + i] = v.bitPattern.littleEndian }
        case .f16:
            let dst = output.bindMemory(to: UInt16.self)
            for (i, v) in values.enumerated() { dst[index + i] = FloatBits.floatToHalf(v).littleEndian }
        default:
            let dst = output.bindMemory(to: UInt16.self)
            for (i, v) in values.enumerated() { dst[index + i] = FloatBits.floatToBFloat16(v).littleEndian }
        }
    }

    private static func write(_ text: String, to directory: String, name: String) throws {
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw ModelFormatError(.io, "cannot write '\(path)'")
        }
    }
}
