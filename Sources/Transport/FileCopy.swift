import Foundation
import SafeFiles

/// A local file copy, off the Swift concurrency threads: the source's bytes (symbolic links followed) into a new file.
enum FileCopy {
    static let chunkSize = 1 << 20

    /// Copies the regular file `source` to `destination` (created or truncated).
    static func copy(from source: String, to destination: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try copySynchronously(from: source, to: destination) })
            }
        }
    }

    /// Rejects a missing or non-regular source with ``TransportError/Code/notFound``.
    static func requireRegularFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TransportError(.notFound, "no such file: '\(path)'")
        }
        guard !isDirectory.boolValue else { throw TransportError(.notFound, "'\(path)' is a directory, not a file") }
    }

    private static func copySynchronously(from source: String, to destination: String) throws {
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw TransportError(.copyFailed, "cannot read '\(source)'")
        }
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: destination, contents: nil),
            let output = FileHandle(forWritingAtPath: destination)
        else {
            throw TransportError(.copyFailed, "cannot write '\(destination)'")
        }
        defer { try? output.close() }
        do {
            while let chunk = try input.read(upToCount: chunkSize), !chunk.isEmpty {
                try output.write(contentsOf: chunk)
            }
            try output.synchronize()
        } catch {
            throw TransportError(.copyFailed, "copying '\(source)' to '\(destination)': \(error.localizedDescription)", underlying: error)
        }
    }
}

extension FileCopy {
    /// The shared ``AtomicFile`` write, its errors as transport errors (a missing destination directory is
    /// ``TransportError/Code/notFound``, anything else of its own ``TransportError/Code/copyFailed``).
    static func atomically(to destination: URL, _ write: (URL) async throws -> Void) async throws {
        do {
            try await AtomicFile.write(to: destination, write)
        } catch let error as SafeFileError {
            throw TransportError(error.code == .missingDirectory ? .notFound : .copyFailed, error.message, underlying: error)
        }
    }
}
