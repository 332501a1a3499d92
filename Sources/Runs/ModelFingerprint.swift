import Foundation
import Inference
import ModelFormats
import LocalModels

/// SHA-256 of model files, cached by path, size and modification time under `$SWIFT_ML_HOME/cache`.
public enum ModelFingerprint {
    public static func sha256(path: String, environment: [String: String]) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int64 ?? (attributes[.size] as? Int).map(Int64.init),
              let modified = attributes[.modificationDate] as? Date
        else { return nil }
        let key = FileDigest.sha256Hex(Data("\(URL(fileURLWithPath: path).standardizedFileURL.path)|\(size)|\(modified.timeIntervalSince1970)".utf8))
        let cacheDirectory = (MLPaths(environment: environment).home as NSString).appendingPathComponent("cache/sha256")
        let cacheFile = (cacheDirectory as NSString).appendingPathComponent(key)
        if let cached = try? String(contentsOfFile: cacheFile, encoding: .utf8), cached.count == 64 { return cached }
        guard let digest = try? FileDigest.sha256Hex(fileAt: path) else { return nil }
        try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        try? digest.write(toFile: cacheFile, atomically: true, encoding: .utf8)
        return digest
    }
}
