/// Maps llama.cpp's GGUF tensor names to the Hugging Face / MLX names of a ``ModelArchitecture``
/// (`blk.3.attn_q.weight` → `model.layers.3.self_attn.q_proj.weight`) and back, as `convert_hf_to_gguf.py` maps them.
public enum GGUFTensorNaming {
    /// Names outside the numbered layers.
    static let global: [String: String] = [
        "token_embd": "model.embed_tokens",
        "output_norm": "model.norm",
        "output": "lm_head",
    ]

    /// The Hugging Face name of a GGUF tensor of `architecture`, or `nil` for a name with no counterpart.
    public static func huggingFaceName(of ggufName: String, architecture: ModelArchitecture = .llama) -> String? {
        let parts = ggufName.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let suffix = parts.last, suffix == "weight" || suffix == "bias" else { return nil }
        if parts.count == 2, let base = global[parts[0]] { return "\(base).\(suffix)" }
        if parts.count == 4, parts[0] == "blk", let index = Int(parts[1]), index >= 0, String(index) == parts[1],
           let part = architecture.layerTensors[parts[2]] {
            return "model.layers.\(index).\(part).\(suffix)"
        }
        return nil
    }

    /// The GGUF name of a Hugging Face / MLX tensor of `architecture`, or `nil` for a name with no counterpart.
    public static func ggufName(of huggingFaceName: String, architecture: ModelArchitecture) -> String? {
        let parts = huggingFaceName.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let suffix = parts.last, suffix == "weight" || suffix == "bias" else { return nil }
        let base = parts.dropLast().joined(separator: ".")
        if let global = global.first(where: { $0.value == base })?.key { return "\(global).\(suffix)" }
        guard parts.count > 4, parts[0] == "model", parts[1] == "layers", let index = Int(parts[2]), index >= 0,
              String(index) == parts[2] else { return nil }
        let part = parts[3..<(parts.count - 1)].joined(separator: ".")
        guard let gguf = architecture.layerTensors.first(where: { $0.value == part })?.key else { return nil }
        return "blk.\(index).\(gguf).\(suffix)"
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
