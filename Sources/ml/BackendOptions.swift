import ArgumentParser
import Foundation
import Inference

/// Which local backend runs a model (`--backend llama|mlx`) and the MLX memory controls. A model is loaded
/// through the program's ``BackendRegistry``.
struct BackendOptions: ParsableArguments {
    @Option(help: "Backend: llama (a GGUF file on llama-server), mlx (an MLX model directory on mlx_lm.server) or openai (a server: --url or $OPENAI_BASE_URL).")
    var backend: String = "llama"

    @Option(help: "With --backend mlx: bytes MLX may keep in its buffer cache (suffixes K, M, G).",
            transform: BackendOptions.parseBytes)
    var mlxCacheLimit: Int?

    @Option(help: "With --backend mlx: bytes MLX may use before it frees its cache (suffixes K, M, G).",
            transform: BackendOptions.parseBytes)
    var mlxMemoryLimit: Int?

    var loadOptions: LoadOptions {
        LoadOptions(backend: backend, cacheLimitBytes: mlxCacheLimit, memoryLimitBytes: mlxMemoryLimit)
    }

    /// A byte count: digits with an optional K, M or G (powers of 1024).
    static func parseBytes(_ text: String) throws -> Int {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(text.uppercased())
        var scale = 1
        if let last = digits.last, let unit = units[last] {
            scale = unit
            digits = digits.dropLast()
        }
        if digits.hasSuffix("B") { digits = digits.dropLast() }
        guard let value = Int(digits), value >= 0, value <= Int.max / scale else {
            throw ValidationError("'\(text)' is not a byte count (e.g. 536870912, 512M, 2G)")
        }
        return value * scale
    }
}
