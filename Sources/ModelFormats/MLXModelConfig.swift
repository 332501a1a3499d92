import Foundation
import JSONValues

/// The `config.json` of a model in Hugging Face / MLX layout, as far as the supported ``ModelArchitecture``s use
/// it, and its counterpart in GGUF metadata (`<arch>.embedding_length` …). Read from either side, written to either.
///
/// mlx-lm's `ModelArgs` read `rope_theta` only at the top level (its default, 10000, is wrong for many models,
/// SmolLM2's 100000 among them), so every field is written explicitly.
public struct MLXModelConfig: Sendable, Hashable {
    /// Rope scaling as config.json's `rope_scaling` gives it.
    public enum RopeScaling: Sendable, Hashable {
        case linear(factor: Double)
        /// Llama 3's frequency-dependent scaling; llama.cpp stores its per-frequency factors as `rope_freqs.weight`.
        case llama3(factor: Double, lowFrequencyFactor: Double, highFrequencyFactor: Double, originalContext: Int)
    }

    public var architecture: ModelArchitecture
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var numKeyValueHeads: Int
    public var headDim: Int
    public var rmsNormEps: Double
    public var ropeTheta: Double
    public var ropeScaling: RopeScaling?
    public var maxPositionEmbeddings: Int
    public var vocabSize: Int
    public var tieWordEmbeddings: Bool
    public var attentionBias: Bool
    public var mlpBias: Bool
    /// Gemma 3: the sliding window of its local layers (every 6th layer is global, llama.cpp's fixed pattern).
    public var slidingWindow: Int?
    public var bosTokenID: Int?
    public var eosTokenID: Int?
    /// `torch_dtype`: `float32`, `float16` or `bfloat16`.
    public var torchDType: String

    /// Gemma 3's pattern and local rope base, which llama.cpp does not store but fixes (`llama_model::load_hparams`).
    static let gemmaSlidingWindowPattern = 6
    static let gemmaLocalRopeBase = 10_000.0

    /// Gemma 3's query scale 1/√s as llama.cpp fixes it (`llama_model::load_hparams`): s = hidden / heads for the
    /// 62-layer 27B model, the head size otherwise.
    var gemmaQueryPreAttentionScalar: Int {
        Self.gemmaQueryPreAttentionScalar(layers: numHiddenLayers, hidden: hiddenSize, heads: numAttentionHeads, headDim: headDim)
    }

    static func gemmaQueryPreAttentionScalar(layers: Int, hidden: Int, heads: Int, headDim: Int) -> Int {
        layers == 62 ? hidden / heads : headDim
    }

    /// The rope scaling factors llama.cpp's converter writes as `rope_freqs.weight` for Llama 3 scaling
    /// (`LlamaModel.generate_extra_tensors`), one per rotated pair; `nil` without Llama 3 scaling.
    public var llama3RopeFactors: [Float]? {
        guard case .llama3(let factor, let low, let high, let original) = ropeScaling else { return nil }
        let lowWavelength = Double(original) / low
        let highWavelength = Double(original) / high
        return stride(from: 0, to: headDim, by: 2).map { i in
            let frequency = 1 / pow(ropeTheta, Double(i) / Double(headDim))
            let wavelength = 2 * Double.pi / frequency
            if wavelength < highWavelength { return 1 }
            if wavelength > lowWavelength { return Float(factor) }
            let smooth = (Double(original) / wavelength - low) / (high - low)
            return Float(1 / ((1 - smooth) / factor + smooth))
        }
    }
}

// MARK: - From and to config.json

extension MLXModelConfig {
    /// Reads a config.json of a supported architecture.
    public init(huggingFace json: JSONValue) throws {
        guard let modelType = json["model_type"]?.stringValue else {
            throw ModelFormatError(.malformed, "config.json has no model_type")
        }
        architecture = try ModelArchitecture.huggingFace(modelType: modelType)
        if let quantization = json["quantization"] ?? json["quantization_config"], quantization != .null {
            throw ModelFormatError(
                .unsupported,
                "the model is quantized (config.json has \(json["quantization"] != nil ? "quantization" : "quantization_config")); convert an unquantized (f32, f16 or bf16) model, e.g. after mlx_lm.fuse --dequantize")
        }
        func int(_ key: String) -> Int? { json[key]?.intValue }
        func required(_ key: String) throws -> Int {
            guard let v = int(key), v > 0 else { throw ModelFormatError(.malformed, "config.json: \(key) is missing or not a positive integer") }
            return v
        }
        hiddenSize = try required("hidden_size")
        intermediateSize = try required("intermediate_size")
        numHiddenLayers = try required("num_hidden_layers")
        numAttentionHeads = try required("num_attention_heads")
        numKeyValueHeads = int("num_key_value_heads") ?? numAttentionHeads
        guard numKeyValueHeads > 0, numAttentionHeads % numKeyValueHeads == 0 else {
            throw ModelFormatError(.malformed, "config.json: num_key_value_heads \(numKeyValueHeads) does not divide num_attention_heads \(numAttentionHeads)")
        }
        headDim = int("head_dim") ?? hiddenSize / numAttentionHeads
        rmsNormEps = json["rms_norm_eps"]?.doubleValue ?? (architecture == .gemma3 ? 1e-6 : 1e-5)
        let ropeParameters = json["rope_parameters"]
        ropeTheta = json["rope_theta"]?.doubleValue ?? ropeParameters?["rope_theta"]?.doubleValue
            ?? (architecture == .gemma3 ? 1_000_000 : 10_000)
        maxPositionEmbeddings = int("max_position_embeddings") ?? 2048
        vocabSize = try required("vocab_size")
        tieWordEmbeddings = architecture.alwaysTied || (json["tie_word_embeddings"]?.boolValue ?? (architecture == .gemma3))
        attentionBias = json["attention_bias"]?.boolValue ?? false
        mlpBias = json["mlp_bias"]?.boolValue ?? false
        bosTokenID = int("bos_token_id")
        eosTokenID = int("eos_token_id") ?? json["eos_token_id"]?.arrayValue?.first?.intValue
        torchDType = json["torch_dtype"]?.stringValue ?? json["dtype"]?.stringValue ?? "float32"
        if architecture == .gemma3 {
            slidingWindow = int("sliding_window") ?? 512
            if let pattern = int("sliding_window_pattern"), pattern != Self.gemmaSlidingWindowPattern {
                throw ModelFormatError(.unsupported, "config.json: sliding_window_pattern \(pattern); llama.cpp's gemma3 fixes it at \(Self.gemmaSlidingWindowPattern)")
            }
            if let local = json["rope_local_base_freq"]?.doubleValue, local != Self.gemmaLocalRopeBase {
                throw ModelFormatError(.unsupported, "config.json: rope_local_base_freq \(local); llama.cpp's gemma3 fixes it at \(Int(Self.gemmaLocalRopeBase))")
            }
            let expected = Self.gemmaQueryPreAttentionScalar(layers: numHiddenLayers, hidden: hiddenSize, heads: numAttentionHeads, headDim: headDim)
            if let scalar = json["query_pre_attn_scalar"]?.doubleValue, scalar != Double(expected) {
                throw ModelFormatError(
                    .unsupported,
                    "config.json: query_pre_attn_scalar \(scalar); llama.cpp's gemma3 scales queries by 1/√\(expected) for this shape")
            }
        } else {
            slidingWindow = nil
        }
        let scaling = json["rope_scaling"].flatMap { $0 == .null ? nil : $0 }
            ?? ropeParameters.flatMap { $0["rope_type"]?.stringValue == "default" ? nil : $0 }
        switch scaling.flatMap({ $0["rope_type"]?.stringValue ?? $0["type"]?.stringValue }) {
        case nil, "default":
            ropeScaling = nil
        case "linear":
            guard let factor = scaling?["factor"]?.doubleValue else { throw ModelFormatError(.malformed, "config.json: linear rope_scaling has no factor") }
            ropeScaling = .linear(factor: factor)
        case "llama3" where architecture == .llama:
            guard let factor = scaling?["factor"]?.doubleValue else { throw ModelFormatError(.malformed, "config.json: llama3 rope_scaling has no factor") }
            ropeScaling = .llama3(
                factor: factor, lowFrequencyFactor: scaling?["low_freq_factor"]?.doubleValue ?? 1,
                highFrequencyFactor: scaling?["high_freq_factor"]?.doubleValue ?? 4,
                originalContext: scaling?["original_max_position_embeddings"]?.intValue ?? 8192)
        case let other?:
            throw ModelFormatError(.unsupported, "config.json: rope_scaling type '\(other)' is not supported for \(architecture) (supported: linear\(architecture == .llama ? ", llama3" : ""))")
        }
    }

    /// The config as JSON, as mlx-lm's model class for the architecture reads it.
    var json: JSONValue {
        var entries: [(key: String, value: JSONValue)] = [
            ("architectures", .array([.string(architecture.huggingFaceClass)])),
            ("model_type", .string(architecture.modelType)),
            ("hidden_size", .int(hiddenSize)),
            ("intermediate_size", .int(intermediateSize)),
            ("num_hidden_layers", .int(numHiddenLayers)),
            ("num_attention_heads", .int(numAttentionHeads)),
            ("num_key_value_heads", .int(numKeyValueHeads)),
            ("head_dim", .int(headDim)),
            (architecture.activation.key, .string(architecture.activation.value)),
            ("rms_norm_eps", .double(rmsNormEps)),
            ("rope_theta", .double(ropeTheta)),
            ("max_position_embeddings", .int(maxPositionEmbeddings)),
            ("vocab_size", .int(vocabSize)),
            ("tie_word_embeddings", .bool(tieWordEmbeddings)),
            ("attention_bias", .bool(attentionBias)),
        ]
        switch ropeScaling {
        case nil: entries.append(("rope_scaling", .null))
        case .linear(let factor)?:
            entries.append(("rope_scaling", .object([("type", .string("linear")), ("rope_type", .string("linear")), ("factor", .double(factor))])))
        case .llama3(let factor, let low, let high, let original)?:
            entries.append(("rope_scaling", .object([
                ("rope_type", .string("llama3")), ("factor", .double(factor)), ("low_freq_factor", .double(low)),
                ("high_freq_factor", .double(high)), ("original_max_position_embeddings", .int(original)),
            ])))
        }
        if architecture == .llama { entries.append(("mlp_bias", .bool(mlpBias))) }
        if architecture == .gemma3 {
            entries += [
                ("sliding_window", .int(slidingWindow ?? 512)),
                ("sliding_window_pattern", .int(Self.gemmaSlidingWindowPattern)),
                ("rope_local_base_freq", .double(Self.gemmaLocalRopeBase)),
                ("query_pre_attn_scalar", .int(gemmaQueryPreAttentionScalar)),
            ]
        }
        if let bosTokenID { entries.append(("bos_token_id", .int(bosTokenID))) }
        if let eosTokenID { entries.append(("eos_token_id", .int(eosTokenID))) }
        entries.append(("torch_dtype", .string(torchDType)))
        return .object(entries)
    }
}

// MARK: - From and to GGUF metadata

extension MLXModelConfig {
    /// Reads the config of a GGUF of a supported architecture; `dtype` is the dtype the weights are written in.
    public init(file: GGUFFile, dtype: SafetensorsDType) throws {
        guard let name = file.architecture else {
            throw ModelFormatError(.malformed, "the GGUF has no general.architecture")
        }
        architecture = try ModelArchitecture.gguf(name)
        let prefix = architecture.ggufName
        func value(_ key: String) -> GGUFValue? { file["\(prefix).\(key)"] }
        /// A per-model integer; a per-layer array is accepted when all its entries agree.
        func int(_ key: String) throws -> Int? {
            guard let entry = value(key) else { return nil }
            if let array = entry.arrayValue {
                guard let ints = array.ints, let first = ints.first, ints.allSatisfy({ $0 == first }) else {
                    throw ModelFormatError(.unsupported, "\(prefix).\(key) differs between layers, which the config cannot express")
                }
                return first
            }
            guard let v = entry.intValue else { throw ModelFormatError(.malformed, "\(prefix).\(key) is \(entry.type), not an integer") }
            return v
        }
        func required(_ key: String) throws -> Int {
            guard let v = try int(key), v > 0 else { throw ModelFormatError(.malformed, "\(prefix).\(key) is missing or not positive") }
            return v
        }
        /// Shortest decimal of a float32 metadata value (`1e-05`, not `9.999999747378752e-06`).
        func double(_ key: String) throws -> Double? {
            guard let entry = value(key) else { return nil }
            if case .float32(let f) = entry { return Double(String(f)) }
            guard let d = entry.doubleValue else { throw ModelFormatError(.malformed, "\(prefix).\(key) is \(entry.type), not a number") }
            return d
        }

        hiddenSize = try required("embedding_length")
        intermediateSize = try required("feed_forward_length")
        numHiddenLayers = try required("block_count")
        numAttentionHeads = try required("attention.head_count")
        numKeyValueHeads = try int("attention.head_count_kv") ?? numAttentionHeads
        guard numKeyValueHeads > 0, numAttentionHeads % numKeyValueHeads == 0 else {
            throw ModelFormatError(.malformed, "\(prefix).attention.head_count_kv \(numKeyValueHeads) does not divide head_count \(numAttentionHeads)")
        }
        headDim = try int("attention.key_length") ?? hiddenSize / numAttentionHeads
        if let valueLength = try int("attention.value_length"), valueLength != headDim {
            throw ModelFormatError(.unsupported, "\(prefix).attention.value_length \(valueLength) ≠ key_length \(headDim)")
        }
        if let ropeDimensions = try int("rope.dimension_count"), ropeDimensions != headDim {
            throw ModelFormatError(.unsupported, "\(prefix).rope.dimension_count \(ropeDimensions) ≠ head size \(headDim): partial rotary embeddings are not supported")
        }
        guard let eps = try double("attention.layer_norm_rms_epsilon") else {
            throw ModelFormatError(.malformed, "\(prefix).attention.layer_norm_rms_epsilon is missing")
        }
        rmsNormEps = eps
        ropeTheta = try double("rope.freq_base") ?? (architecture == .gemma3 ? 1_000_000 : 10_000)
        switch value("rope.scaling.type")?.stringValue {
        case nil, "none": ropeScaling = nil
        case "linear":
            guard let factor = try double("rope.scaling.factor") else { throw ModelFormatError(.malformed, "\(prefix).rope.scaling.factor is missing") }
            ropeScaling = .linear(factor: factor)
        case let other?:
            throw ModelFormatError(.unsupported, "\(prefix).rope.scaling.type '\(other)' is not supported (only linear)")
        }
        maxPositionEmbeddings = try int("context_length") ?? 2048
        slidingWindow = architecture == .gemma3 ? try int("attention.sliding_window") : nil
        let declaredVocab = try int("vocab_size")
        guard let vocab = file["tokenizer.ggml.tokens"]?.arrayCount ?? declaredVocab else {
            throw ModelFormatError(.malformed, "neither tokenizer.ggml.tokens nor \(prefix).vocab_size gives the vocabulary size")
        }
        vocabSize = vocab
        tieWordEmbeddings = file.tensor(named: "output.weight") == nil
        attentionBias = file.tensor(named: "blk.0.attn_q.bias") != nil
        mlpBias = file.tensor(named: "blk.0.ffn_up.bias") != nil
        bosTokenID = file["tokenizer.ggml.bos_token_id"]?.intValue
        eosTokenID = file["tokenizer.ggml.eos_token_id"]?.intValue
        switch dtype {
        case .f32: torchDType = "float32"
        case .f16: torchDType = "float16"
        case .bf16: torchDType = "bfloat16"
        default: throw ModelFormatError(.invalidArgument, "weights are written as F32, F16 or BF16, not \(dtype)")
        }
    }

    /// Recognises Llama 3 scaling from llama.cpp's `rope_freqs.weight` factors: the tensor holds only the
    /// per-frequency factors, so Meta's parameters (low 1, high 4, original context 8192; factor = the largest) are
    /// assumed and accepted only when they reproduce every factor.
    mutating func adoptLlama3RopeFactors(_ factors: [Float]) throws {
        guard architecture == .llama, ropeScaling == nil, let largest = factors.max() else {
            throw ModelFormatError(.unsupported, "tensor 'rope_freqs.weight' is only understood for llama without other rope scaling")
        }
        var candidate = self
        candidate.ropeScaling = .llama3(factor: Double(largest), lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContext: 8192)
        guard let expected = candidate.llama3RopeFactors, expected.count == factors.count,
              zip(expected, factors).allSatisfy({ abs($0 - $1) <= 1e-5 * max(1, abs($0)) }) else {
            throw ModelFormatError(
                .unsupported,
                "tensor 'rope_freqs.weight' does not match Llama 3 rope scaling with low_freq_factor 1, high_freq_factor 4 and original context 8192, the only parameters it can be read as")
        }
        ropeScaling = candidate.ropeScaling
    }

    /// The `<arch>.*` hyperparameters as llama.cpp's converter writes them for the architecture.
    var ggufMetadata: [GGUFKeyValue] {
        let prefix = architecture.ggufName
        func u32(_ key: String, _ value: Int) -> GGUFKeyValue { GGUFKeyValue("\(prefix).\(key)", .uint32(UInt32(value))) }
        func f32(_ key: String, _ value: Double) -> GGUFKeyValue { GGUFKeyValue("\(prefix).\(key)", .float32(Float(value))) }
        var entries = [
            u32("context_length", maxPositionEmbeddings),
            u32("embedding_length", hiddenSize),
            u32("block_count", numHiddenLayers),
            u32("feed_forward_length", intermediateSize),
            u32("attention.head_count", numAttentionHeads),
            u32("attention.head_count_kv", numKeyValueHeads),
            f32("rope.freq_base", ropeTheta),
            f32("attention.layer_norm_rms_epsilon", rmsNormEps),
            u32("attention.key_length", headDim),
            u32("attention.value_length", headDim),
            u32("rope.dimension_count", headDim),
            u32("vocab_size", vocabSize),
        ]
        if case .linear(let factor)? = ropeScaling {
            entries.append(GGUFKeyValue("\(prefix).rope.scaling.type", .string("linear")))
            entries.append(f32("rope.scaling.factor", factor))
        }
        if let slidingWindow { entries.append(u32("attention.sliding_window", slidingWindow)) }
        return entries
    }
}
