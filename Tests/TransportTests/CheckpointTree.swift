import Foundation

@testable import Transport

/// A base directory laid out like a training machine's adapters: runs, nested runs, final adapters, decoys.
struct CheckpointTree {
    let directory: TemporaryDirectory
    let hostile: HostileNames

    var base: String { directory.path }

    /// The dirnames and iterations discovery must report, in its order (without the hostile runs).
    static let expected: [(dirname: String, iteration: Int, digits: String)] = [
        ("adapters-1b/gemma-3-1b-x", 50, "000050"),
        ("adapters-27b-foo", 1000, "0001000"),
        ("smollm2-135m-lek", 100, "0000100"),
        ("smollm2-135m-lek", 200, "0000200"),
        ("smollm2-135m-lek", 1200, "0001200"),
        ("smollm2-360m/run/sub", 100, "000100"),
    ]

    init(hostile: HostileNames = HostileNames()) throws {
        directory = try TemporaryDirectory("checkpoints")
        self.hostile = hostile
        for file in [
            "smollm2-135m-lek/0000200_adapters.safetensors",
            "smollm2-135m-lek/0000100_adapters.safetensors",
            "smollm2-135m-lek/0001200_adapters.safetensors",
            "smollm2-135m-lek/adapters.safetensors",  // the final adapter: no iteration, not a checkpoint
            "smollm2-135m-lek/adapter_config.json",
            "smollm2-135m-lek/0000300_adapters.safetensors.tmp",  // wrong suffix
            "adapters-1b/gemma-3-1b-x/000050_adapters.safetensors",
            "adapters-27b-foo/0001000_adapters.safetensors",
            "smollm2-360m/run/sub/000100_adapters.safetensors",  // nested, depth 4
            "smollm2-360m/run/sub/deeper/000900_adapters.safetensors",  // depth 5: beyond maxDepth 4
            "loose.safetensors",
        ] {
            try directory.write(file)
        }
        // A directory named like an adapter file is not a file.
        try FileManager.default.createDirectory(
            atPath: base + "/smollm2-135m-lek/0000400_adapters.safetensors",
            withIntermediateDirectories: true
        )
        for name in hostile.names {
            try directory.write(name + "/0000010_adapters.safetensors")
        }
    }

    func remove() { directory.remove() }
}
