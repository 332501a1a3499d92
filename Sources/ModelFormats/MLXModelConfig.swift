import JSONValues

/// The `config.json` of a llama-family model in Hugging Face / MLX layout, read from a GGUF header.
///
/// mlx-lm's `llama.ModelArgs` takes these fields; it reads `rope_theta` only at the top level (its default, 10000,
/// is wrong for many models, SmolLM2's 100000 among them), so every field is written explicitly.
public struct MLXLlamaConfig: Sendable, Hashable {
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var numKeyValueHeads: Int
    public var headDim: Int
    public var rmsNormEps: Double
    public var ropeTheta: Double
    /// `{"type": "linear", "factor": f}` when the GGUF declares linear rope scaling.
    public var ropeScalingLinearFactor: Double?
    public var maxPositionEmbeddings: Int
    public var vocabSize: Int
    public var tieWordEmbeddings: Bool
    public var attentionBias: Bool
    public var mlpBias: Bool
    public var bosTokenID: Int?
    public var eosTokenID: Int?
    /// `torch_dtype`: `float32`, `float16` or `bfloat16`.
    public var torchDType: String

    /// Reads the config of a `llama` GGUF; `dtype` is the dtype the weights are written in.
    public init(file: GGUFFile, dtype: SafetensorsDType) throws {
        guard let architecture = file.architecture else {
            throw ModelFormatError(.malformed, "the GGUF has no general.architecture")
        }
        guard architecture == "llama" else {
            throw ModelFormatError(.unsupported, "general.architecture is '\(architecture)'; gguf-to-mlx converts 'llama' models only")
        }
        func value(_ key: String) -> GGUFValue? { file["llama.\(key)"] }
        /// A per-model integer; a per-layer array is accepted when all its entries agree.
        func int(_ key: String) throws -> Int? {
            guard let entry = value(key) else { return nil }
            if let array = entry.arrayValue {
                guard let ints = array.ints, let first = ints.first, ints.allSatisfy({ $0 == first }) else {
                    throw ModelFormatError(.unsupported, "llama.\(key) differs between layers, which the llama config cannot express")
                }
                return first
            }
            guard let v = entry.intValue else { throw ModelFormatError(.malformed, "llama.\(key) is \(entry.type), not an integer") }
            return v
        }
        func required(_ key: String) throws -> Int {
            guard let v = try int(key), v > 0 else { throw ModelFormatError(.malformed, "llama.\(key) is missing or not positive") }
            return v
        }
        /// Shortest decimal of a float32 metadata value (`1e-05`, not `9.999999747378752e-06`).
        func double(_ key: String) throws -> Double? {
            guard let entry = value(key) else { return nil }
            if case .float32(let f) = entry { return Double(String(f)) }
            guard let d = entry.doubleValue else { throw ModelFormatError(.malformed, "llama.\(key) is \(entry.type), not a number") }
            return d
        }

        hiddenSize = try required("embedding_length")
        intermediateSize = try required("feed_forward_length")
        numHiddenLayers = try required("block_count")
        numAttentionHeads = try required("attention.head_count")
        numKeyValueHeads = try int("attention.head_count_kv") ?? numAttentionHeads
        guard numKeyValueHeads > 0, numAttentionHeads % numKeyValueHeads == 0 else {
            throw ModelFormatError(.malformed, "llama.attention.head_count_kv \(numKeyValueHeads) does not divide head_count \(numAttentionHeads)")
        }
        headDim = try int("attention.key_length") ?? hiddenSize / numAttentionHeads
        if let ropeDimensions = try int("rope.dimension_count"), ropeDimensions != headDim {
            throw ModelFormatError(.unsupported, "llama.rope.dimension_count \(ropeDimensions) ≠ head size \(headDim): partial rotary embeddings are not supported")
        }
        guard let eps = try double("attention.layer_norm_rms_epsilon") else {
            throw ModelFormatError(.malformed, "llama.attention.layer_norm_rms_epsilon is missing")
        }
        rmsNormEps = eps
        ropeTheta = try double("rope.freq_base") ?? 10_000
        switch value("rope.scaling.type")?.stringValue {
        case nil, "none": ropeScalingLinearFactor = nil
        case "linear":
            guard let factor = try double("rope.scaling.factor") else { throw ModelFormatError(.malformed, "llama.rope.scaling.factor is missing") }
            ropeScalingLinearFactor = factor
        case let other?:
            throw ModelFormatError(.unsupported, "llama.rope.scaling.type '\(other)' is not supported (only linear)")
        }
        if file.tensor(named: "rope_freqs.weight") != nil {
            throw ModelFormatError(.unsupported, "tensor 'rope_freqs.weight' (llama 3 rope scaling) cannot be expressed in the config yet")
        }
        maxPositionEmbeddings = try int("context_length") ?? 2048
        let declaredVocab = try int("vocab_size")
        guard let vocab = file["tokenizer.ggml.tokens"]?.arrayCount ?? declaredVocab else {
            throw ModelFormatError(.malformed, "neither tokenizer.ggml.tokens nor llama.vocab_size gives the vocabulary size")
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

    /// The config as JSON, keys in the order Hugging Face writes them.
    var json: JSONValue {
        var entries: [(key: String, value: JSONValue)] = [
            ("architectures", .array([.string("LlamaForCausalLM")])),
            ("model_type", .string("llama")),
            ("hidden_size", .int(hiddenSize)),
            ("intermediate_size", .int(intermediateSize)),
            ("num_hidden_layers", .int(numHiddenLayers)),
            ("num_attention_heads", .int(numAttentionHeads)),
            ("num_key_value_heads", .int(numKeyValueHeads)),
            ("head_dim", .int(headDim)),
            ("hidden_act", .string("silu")),
            ("rms_norm_eps", .double(rmsNormEps)),
            ("rope_theta", .double(ropeTheta)),
            ("rope_scaling", ropeScalingLinearFactor.map { .object([("type", .string("linear")), ("factor", .double($0))]) } ?? .null),
            ("max_position_embeddings", .int(maxPositionEmbeddings)),
            ("vocab_size", .int(vocabSize)),
            ("tie_word_embeddings", .bool(tieWordEmbeddings)),
            ("attention_bias", .bool(attentionBias)),
            ("mlp_bias", .bool(mlpBias)),
        ]
        if let bosTokenID { entries.append(("bos_token_id", .int(bosTokenID))) }
        if let eosTokenID { entries.append(("eos_token_id", .int(eosTokenID))) }
        entries.append(("torch_dtype", .string(torchDType)))
        return .object(entries)
    }
}
