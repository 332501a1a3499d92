import Foundation
import Inference
import ModelFormats
import LocalModels

/// Local model files: finding them and describing them (`ml models`). Loading goes through ``Backends``.
enum LocalModel {
    static let discovery = ModelDiscovery(ggufArchitecture: GGUFFile.architecture(path:))

    /// One line per model: name, format, size, architecture, quantisation, context length, path.
    static func describe(_ model: DiscoveredModel) -> String {
        let size = ByteCountFormatter.string(fromByteCount: model.sizeBytes, countStyle: .file)
        var details = [model.modelType ?? "-"]
        if model.format == .gguf, let info = try? GGUFFile.read(path: model.path).modelInfo(id: model.name) {
            details.append(info.quantization ?? "-")
            details.append(info.contextLength.map { "ctx \($0)" } ?? "-")
        }
        return "\(model.name)  \(model.format.rawValue)  \(size)  \(details.joined(separator: "  "))  \(model.path)"
    }
}
