/// What differs between the model families converted between MLX / Hugging Face and GGUF layouts: names, tensor
/// maps and weight conventions, as llama.cpp's `convert_hf_to_gguf.py` and mlx-lm's model classes define them.
/// Both ``MLXToGGUFConversion`` and ``GGUFToMLXConversion`` read these facts from here.
public struct ModelArchitecture: Sendable, Hashable, CustomStringConvertible {
    /// llama.cpp's `general.architecture` and metadata key prefix (`llama`, `qwen3`, `gemma3`).
    public let ggufName: String
    /// `model_type` in config.json, the mlx-lm module (`llama`, `qwen3`, `gemma3_text`).
    public let modelType: String
    /// Other `model_type`s of the same layout that are read as this one (Gemma 3's text config inside a
    /// multimodal checkpoint is `gemma3_text` too; `mistral` is llama's layout).
    let modelTypeAliases: Set<String>
    /// The Hugging Face class written in `architectures`.
    public let huggingFaceClass: String
    /// Whether llama.cpp's converter permutes q/k projection rows for its rope layout (`LlamaModel.permute`).
    public let permutesQueryKey: Bool
    /// What llama.cpp adds to every RMS norm weight: Gemma stores `w` and applies `1 + w`, llama.cpp stores
    /// `w + 1` and applies it as is (`Gemma3Model.modify_tensors`).
    public let normWeightOffset: Float
    /// Whether the output projection is always the embedding (Gemma: no `lm_head`, no `output.weight`).
    public let alwaysTied: Bool
    /// `hidden_act` / `hidden_activation` written to config.json.
    let activation: (key: String, value: String)
    /// A layer's GGUF part names (`blk.N.<part>`) → Hugging Face names relative to `model.layers.N`.
    public let layerTensors: [String: String]

    public var description: String { ggufName }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.ggufName == rhs.ggufName }
    public func hash(into hasher: inout Hasher) { hasher.combine(ggufName) }

    private static let llamaLayer: [String: String] = [
        "attn_norm": "input_layernorm",
        "attn_q": "self_attn.q_proj",
        "attn_k": "self_attn.k_proj",
        "attn_v": "self_attn.v_proj",
        "attn_output": "self_attn.o_proj",
        "ffn_norm": "post_attention_layernorm",
        "ffn_gate": "mlp.gate_proj",
        "ffn_up": "mlp.up_proj",
        "ffn_down": "mlp.down_proj",
    ]

    /// Llama 1–3 (and SmolLM2): rope permutation of q/k, optional `rope_freqs` for Llama 3 rope scaling.
    public static let llama = ModelArchitecture(
        ggufName: "llama", modelType: "llama", modelTypeAliases: ["mistral"], huggingFaceClass: "LlamaForCausalLM",
        permutesQueryKey: true, normWeightOffset: 0, alwaysTied: false, activation: ("hidden_act", "silu"),
        layerTensors: llamaLayer)

    /// Qwen 3: llama's layout plus per-head q/k RMS norms; no permutation (NEOX rope).
    public static let qwen3 = ModelArchitecture(
        ggufName: "qwen3", modelType: "qwen3", modelTypeAliases: [], huggingFaceClass: "Qwen3ForCausalLM",
        permutesQueryKey: false, normWeightOffset: 0, alwaysTied: false, activation: ("hidden_act", "silu"),
        layerTensors: llamaLayer.merging(["attn_q_norm": "self_attn.q_norm", "attn_k_norm": "self_attn.k_norm"]) { $1 })

    /// Gemma 3 (text): four norms per layer, q/k norms, norms stored as `w + 1`, tied embeddings, no permutation.
    /// Note llama.cpp's `ffn_norm` is Gemma's pre-feed-forward norm, not llama's post-attention one.
    public static let gemma3 = ModelArchitecture(
        ggufName: "gemma3", modelType: "gemma3_text", modelTypeAliases: [], huggingFaceClass: "Gemma3ForCausalLM",
        permutesQueryKey: false, normWeightOffset: 1, alwaysTied: true,
        activation: ("hidden_activation", "gelu_pytorch_tanh"),
        layerTensors: [
            "attn_norm": "input_layernorm",
            "attn_q": "self_attn.q_proj",
            "attn_k": "self_attn.k_proj",
            "attn_v": "self_attn.v_proj",
            "attn_output": "self_attn.o_proj",
            "attn_q_norm": "self_attn.q_norm",
            "attn_k_norm": "self_attn.k_norm",
            "post_attention_norm": "post_attention_layernorm",
            "ffn_norm": "pre_feedforward_layernorm",
            "post_ffw_norm": "post_feedforward_layernorm",
            "ffn_gate": "mlp.gate_proj",
            "ffn_up": "mlp.up_proj",
            "ffn_down": "mlp.down_proj",
        ])

    public static let supported: [ModelArchitecture] = [.llama, .qwen3, .gemma3]

    /// The architecture of a GGUF's `general.architecture`, or an error naming it and what is supported.
    public static func gguf(_ name: String) throws -> ModelArchitecture {
        guard let architecture = supported.first(where: { $0.ggufName == name }) else {
            throw ModelFormatError(
                .unsupported,
                "architecture '\(name)' is not supported; supported: \(supported.map(\.ggufName).joined(separator: ", "))")
        }
        return architecture
    }

    /// The architecture of a config.json `model_type`, or an error naming it and what is supported.
    public static func huggingFace(modelType: String) throws -> ModelArchitecture {
        guard let architecture = supported.first(where: { $0.modelType == modelType || $0.modelTypeAliases.contains(modelType) }) else {
            throw ModelFormatError(
                .unsupported,
                "model_type '\(modelType)' is not supported; supported: \(supported.map(\.modelType).joined(separator: ", "))")
        }
        return architecture
    }

    /// Whether a Hugging Face tensor name is an RMS norm weight (the ones Gemma offsets).
    static func isNormWeight(_ huggingFaceName: String) -> Bool {
        huggingFaceName.hasSuffix("norm.weight")
    }
}
