/// Maps llama.cpp's GGUF tensor names to the Hugging Face / MLX names of the llama family
/// (`blk.3.attn_q.weight` → `model.layers.3.self_attn.q_proj.weight`), as `convert_hf_to_gguf.py` maps them
/// the other way.
public enum GGUFTensorNaming {
    /// Names outside the numbered layers.
    static let global: [String: String] = [
        "token_embd": "model.embed_tokens",
        "output_norm": "model.norm",
        "output": "lm_head",
    ]

    /// Names of a layer's parts (`blk.N.<part>`), relative to `model.layers.N`.
    static let layer: [String: String] = [
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

    /// The Hugging Face name of a llama GGUF tensor, or `nil` for a name with no llama counterpart.
    public static func huggingFaceName(of ggufName: String) -> String? {
        let parts = ggufName.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let suffix = parts.last, suffix == "weight" || suffix == "bias" else { return nil }
        if parts.count == 2, let base = global[parts[0]] { return "\(base).\(suffix)" }
        if parts.count == 4, parts[0] == "blk", let index = Int(parts[1]), index >= 0, String(index) == parts[1],
           let part = layer[parts[2]] {
            return "model.layers.\(index).\(part).\(suffix)"
        }
        return nil
    }

    /// For `blk.N.attn_q.*` and `blk.N.attn_k.*`: the layer and whether it is the query (else the key) projection.
    static func ropeProjection(of ggufName: String) -> (layer: Int, isQuery: Bool)? {
        let parts = ggufName.split(separator: ".")
        guard parts.count == 4, parts[0] == "blk", let layer = Int(parts[1]), parts[2] == "attn_q" || parts[2] == "attn_k" else { return nil }
        return (layer, parts[2] == "attn_q")
    }

    /// The inverse of llama.cpp's rope permutation (``MLXLoRAAdapter/ropeRowOrder(rows:heads:)``): Hugging Face row
    /// `r` is GGUF row `order[r]`.
    static func inverseRopeRowOrder(rows: Int, heads: Int) -> [Int] {
        let forward = MLXLoRAAdapter.ropeRowOrder(rows: rows, heads: heads)
        var inverse = [Int](repeating: 0, count: rows)
        for (ggufRow, hfRow) in forward.enumerated() { inverse[hfRow] = ggufRow }
        return inverse
    }
}
