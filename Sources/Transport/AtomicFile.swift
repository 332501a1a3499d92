import Foundation

/// Writing a local file so that it appears whole or not at all: a temporary name in the destination's directory,
/// then `rename(2)` over the destination.
enum AtomicFile {
    /// Runs `write` with a fresh temporary URL beside `destination`, then renames that file into place. The
    /// temporary file is removed when anything fails. A missing destination directory is
    /// ``TransportError/Code/notFound``.
    static func write(to destination: URL, _ write: (URL) async throws -> Void) async throws {
        let directory = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw TransportError(.notFound, "destination directory '\(directory.path)' does not exist")
        }
        let temporary = directory.appendingPathComponent(".transport-\(UUID().uuidString).part")
        do {
            try await write(temporary)
            guard rename(temporary.path, destination.path) == 0 else {
                throw TransportError(
                    .copyFailed,
                    "cannot rename into '\(destination.path)': \(String(cString: strerror(errno)))"
                )
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
    }
}
