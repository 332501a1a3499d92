import Crypto
import Foundation

/// SHA-256 fingerprints (swift-crypto) for reproducibility records: model files are streamed in 1 MiB chunks,
/// never read whole.
public enum FileDigest {
    /// The lowercase hex SHA-256 of the file at `path`.
    public static func sha256Hex(fileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ModelFormatError(.io, "cannot open '\(path)' to hash it")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        } catch {
            throw ModelFormatError(.io, "cannot read '\(path)' to hash it: \(error.localizedDescription)", underlying: error)
        }
        return hex(hasher.finalize())
    }

    /// The lowercase hex SHA-256 of `data`.
    public static func sha256Hex<D: DataProtocol>(_ data: D) -> String { hex(SHA256.hash(data: data)) }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(SHA256.Digest.byteCount * 2)
        for byte in digest { text += [digits[Int(byte >> 4)], digits[Int(byte & 0xf)]] }
        return String(decoding: text, as: UTF8.self)
    }
}
