/// How llama.cpp lays out one model architecture, as far as a LoRA adapter trained by mlx-lm on it is concerned:
/// its GGUF name, the Hugging Face / mlx-lm `model_type`s that mean it, the linear layers an adapter may target
/// with their llama.cpp tensor names, and whether llama.cpp's converter permutes q/k rows for its rope layout.
public struct MLXLoRAArchitecture: Sendable, Hashable {
    /// `general.architecture` of the base GGUF and of the adapter (llama.cpp refuses an adapter of another one).
    public var ggufName: String
    /// `model_type` values of a Hugging Face / MLX `config.json` that convert to this architecture.
    public var modelTypes: [String]
    /// Whether `convert_hf_to_gguf.py` permutes the rows of q_proj/k_proj (`LlamaModel.permute`) for this
    /// architecture, so that a LoRA's `lora_b` for those modules must be permuted alike.
    public var permutesQueryKey: Bool
    /// mlx-lm module name (`q_proj`) → llama.cpp tensor name inside a block (`attn_q`).
    public var modules: [String: String]
    /// Why a module that is not a LoRA target of this architecture is not (for the error message).
    public var notTargets: [String: String]

    /// The seven linear layers of a llama-style block (attention and gated MLP), which all three families share.
    static let blockLinears: [String: String] = [
        "q_proj": "attn_q", "k_proj": "attn_k", "v_proj": "attn_v", "o_proj": "attn_output",
        "gate_proj": "ffn_gate", "up_proj": "ffn_up", "down_proj": "ffn_down",
    ]

    /// Llama (Llama 2/3, SmolLM2): llama.cpp permutes q/k.
    public static let llama = MLXLoRAArchitecture(
        ggufName: "llama", modelTypes: ["llama"], permutesQueryKey: true, modules: blockLinears, notTargets: [:]
    )
    /// Qwen 3: the Hugging Face q/k layout is kept; its per-head q_norm/k_norm are RMS norms, not linear layers.
    public static let qwen3 = MLXLoRAArchitecture(
        ggufName: "qwen3", modelTypes: ["qwen3"], permutesQueryKey: false, modules: blockLinears,
        notTargets: ["q_norm": "an RMS norm (attn_q_norm)", "k_norm": "an RMS norm (attn_k_norm)"]
    )
    /// Qwen 2 / 2.5: as Qwen 3 without the q/k norms (its q/k/v biases are not adapted).
    public static let qwen2 = MLXLoRAArchitecture(
        ggufName: "qwen2", modelTypes: ["qwen2"], permutesQueryKey: false, modules: blockLinears, notTargets: [:]
    )
    /// Gemma 3 (text): no q/k permutation; q_norm/k_norm are norms (llama.cpp stores Gemma norms as 1 + w);
    /// the output projection is tied to the token embeddings, so there is no output tensor to adapt.
    public static let gemma3 = MLXLoRAArchitecture(
        ggufName: "gemma3", modelTypes: ["gemma3_text", "gemma3"], permutesQueryKey: false, modules: blockLinears,
        notTargets: [
            "q_norm": "an RMS norm (attn_q_norm)", "k_norm": "an RMS norm (attn_k_norm)",
            "lm_head": "tied to the token embeddings (Gemma has no separate output tensor)",
        ]
    )

    /// Every architecture `convertToGGUF` writes adapters for.
    public static let supported: [MLXLoRAArchitecture] = [.llama, .qwen3, .qwen2, .gemma3]

    /// The supported architecture for a GGUF name or a `model_type`; an unsupported one throws
    /// ``ModelFormatError/Code/unsupported`` naming it and the supported ones.
    public static func named(_ name: String) throws -> MLXLoRAArchitecture {
        if let found = supported.first(where: { $0.ggufName == name || $0.modelTypes.contains(name) }) { return found }
        throw ModelFormatError(
            .unsupported,
            "architecture '\(name)' is not supported for GGUF LoRA adapters; supported: \(supported.map(\.ggufName).joined(separator: ", "))"
        )
    }

    /// The llama.cpp tensor (`blk.N.attn_q.weight`) a pair adapts and its block N, or
    /// ``ModelFormatError/Code/unsupported`` saying why there is none.
    func tensor(for pair: MLXLoRAPair) throws -> (name: String, layer: Int) {
        guard let module = modules[pair.module] else {
            let why = notTargets[pair.module].map { "is \($0), not a LoRA target of \(ggufName)" }
                ?? "is not one of the linear layers of a \(ggufName) block that llama.cpp adapts"
            throw ModelFormatError(
                .unsupported,
                "'\(pair.modulePath)' \(why); supported modules: \(modules.keys.sorted().joined(separator: ", "))"
            )
        }
        guard let layer = pair.layer else {
            throw ModelFormatError(.unsupported, "'\(pair.modulePath)' is not inside a numbered layer (model.layers.N)")
        }
        return ("blk.\(layer).\(module).weight", layer)
    }
}
