import Foundation
import Inference

/// A model found on disk.
public struct DiscoveredModel: Sendable, Hashable, Codable {
    public enum Format: String, Sendable, Hashable, Codable {
        /// A single `.gguf` file.
        case gguf
        /// A directory with `config.json` and `*.safetensors` weights.
        case safetensors
    }

    public var path: String
    public var format: Format
    /// Total size of the file or of the directory's weight files, in bytes.
    public var sizeBytes: Int64
    /// The model type the files declare (`config.json`'s `model_type`, a GGUF's `general.architecture`).
    public var modelType: String?

    public init(path: String, format: Format, sizeBytes: Int64, modelType: String?) {
        self.path = path
        self.format = format
        self.sizeBytes = sizeBytes
        self.modelType = modelType
    }

    /// The file or directory name, as users know the model.
    public var name: String { (path as NSString).lastPathComponent }
}

/// Scans a directory tree for models.
public struct ModelDiscovery: Sendable {
    /// Reads a GGUF file's architecture. The contract has no GGUF reader of its own; higher layers pass one in.
    public var ggufArchitecture: (@Sendable (String) -> String?)?
    /// How deep to descend below the scanned directory.
    public var maxDepth: Int

    public init(maxDepth: Int = 4, ggufArchitecture: (@Sendable (String) -> String?)? = nil) {
        self.maxDepth = maxDepth
        self.ggufArchitecture = ggufArchitecture
    }

    /// The models under `directory`, sorted by path. Throws when `directory` cannot be read.
    public func scan(directory: String) throws -> [DiscoveredModel] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InferenceError(.modelNotFound, "model directory '\(directory)' does not exist")
        }
        var found: [DiscoveredModel] = []
        try walk(URL(fileURLWithPath: directory), depth: 0, into: &found)
        return found.sorted { $0.path < $1.path }
    }

    private func walk(_ directory: URL, depth: Int, into found: inout [DiscoveredModel]) throws {
        let fm = FileManager.default
        let entries = try fm.contentsOfDirectory(
            at: directory,
            includingPropertiesForKeys: [.isDirectoryKey, .fileSizeKey],
            options: [.skipsHiddenFiles]
        )
        let names = Set(entries.map(\.lastPathComponent))
        let weights = entries.filter { $0.pathExtension == "safetensors" }
        if names.contains("config.json") && !weights.isEmpty {
            let size = weights.reduce(Int64(0)) { $0 + Self.size(of: $1) }
            found.append(
                DiscoveredModel(
                    path: directory.path,
                    format: .safetensors,
                    sizeBytes: size,
                    modelType: Self.configModelType(directory.appendingPathComponent("config.json"))
                )
            )
        }
        for entry in entries {
            let isDirectory = (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
            if isDirectory {
                if depth < maxDepth { try? walk(entry, depth: depth + 1, into: &found) }
            } else if entry.pathExtension.lowercased() == "gguf" {
                found.append(
                    DiscoveredModel(
                        path: entry.path,
                        format: .gguf,
                        sizeBytes: Self.size(of: entry),
                        modelType: ggufArchitecture?(entry.path)
                    )
                )
            }
        }
    }

    private static func size(of url: URL) -> Int64 {
        Int64((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
    }

    /// The `model_type` of a `config.json`; nil when the file is unreadable, not a JSON object, or has no string there.
    private static func configModelType(_ url: URL) -> String? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return (try? JSONDecoder().decode(ModelConfig.self, from: data))?.modelType
    }

    /// The one field of a model's `config.json` that discovery reads (a non-string `model_type` counts as none).
    private struct ModelConfig: Decodable {
        var modelType: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            modelType = try? container.decodeIfPresent(String.self, forKey: .modelType)
        }

        enum CodingKeys: String, CodingKey { case modelType = "model_type" }
    }
}
