/// Which layers of a family an mlx-lm LoRA adapter may adapt for llama.cpp, read from the family's
/// ``ModelArchitecture``: every linear layer of a block (its `layerTensors` that are not norms) under its llama.cpp
/// name; norms (Qwen 3's and Gemma 3's q/k norms among them) are not LoRA targets, and neither is the output
/// projection of a family that always ties it to the embeddings (Gemma).
extension ModelArchitecture {
    /// The supported architecture for a GGUF name (`gemma3`) or a `model_type` (`gemma3_text`); any other throws
    /// ``ModelFormatError/Code/unsupported`` naming it and the supported ones.
    public static func forLoRA(named name: String) throws -> ModelArchitecture {
        if let found = supported.first(where: { $0.ggufName == name || $0.modelType == name || $0.modelTypeAliases.contains(name) }) {
            return found
        }
        throw ModelFormatError(
            .unsupported,
            "architecture '\(name)' is not supported for GGUF LoRA adapters; supported: \(supported.map(\.ggufName).joined(separator: ", "))"
        )
    }

    /// Hugging Face module paths relative to `model.layers.N` (`self_attn.q_proj`) → llama.cpp part names
    /// (`attn_q`) of the linear layers a LoRA adapter may target.
    public var loraTargets: [String: String] {
        Dictionary(uniqueKeysWithValues: layerTensors.filter { !$0.value.hasSuffix("norm") }.map { ($0.value, $0.key) })
    }

    /// The llama.cpp tensor (`blk.N.attn_q.weight`) a pair adapts and its block N, or
    /// ``ModelFormatError/Code/unsupported`` saying why there is none.
    func loraTensor(for pair: MLXLoRAPair) throws -> (name: String, layer: Int) {
        let components = pair.modulePath.split(separator: ".").map(String.init)
        let layerIndex = zip(components.indices, components.dropFirst()).first { components[$0.0] == "layers" && Int($0.1) != nil }?.0
        let relative = layerIndex.map { components[($0 + 2)...].joined(separator: ".") } ?? pair.modulePath
        let supported = "supported modules: \(loraTargets.keys.sorted().joined(separator: ", "))"
        if let layer = pair.layer, layerIndex != nil, let part = loraTargets[relative] {
            return ("blk.\(layer).\(part).weight", layer)
        }
        let why: String
        if let part = layerTensors.first(where: { $0.value == relative })?.key {
            why = "is an RMS norm (\(part)), not a linear layer: not a LoRA target of \(ggufName)"
        } else if relative == "lm_head" && alwaysTied {
            why = "is tied to the token embeddings in \(ggufName) (no separate output tensor to adapt)"
        } else if layerIndex == nil {
            why = "is not inside a numbered layer (model.layers.N)"
        } else {
            why = "is not one of the linear layers of a \(ggufName) block that llama.cpp adapts"
        }
        throw ModelFormatError(.unsupported, "'\(pair.modulePath)' \(why); \(supported)")
    }
}
