import Foundation

/// This machine as a transport: commands run as child processes (argument arrays, no shell), copies are file copies,
/// listings walk the directory tree with `FileManager`. Relative paths are relative to the current directory.
package struct LocalTransport: RemoteTransport {
    package init() {}

    package var description: String { "local" }

    package func run(_ arguments: [String]) async throws -> String {
        let result = try await CommandRunner.run(arguments)
        guard result.status == 0 else {
            throw TransportError.commandFailed(ShellQuoting.commandLine(arguments), result)
        }
        return String(decoding: result.standardOutput, as: UTF8.self)
    }

    package func download(remotePath: String, to localURL: URL) async throws {
        try await copy(from: remotePath, to: localURL)
    }

    package func upload(_ localURL: URL, to remotePath: String) async throws {
        try await copy(from: localURL.path, to: URL(fileURLWithPath: remotePath))
    }

    package func listFiles(under base: String, suffix: String, maxDepth: Int) async throws -> [String] {
        let base = try FileListing.normalizedBase(base, maxDepth: maxDepth)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TransportError(.notFound, "no such directory: '\(base)'")
        }
        var files: [String] = []
        try collect(in: base, depth: 1, maxDepth: maxDepth, suffix: suffix, into: &files)
        return files.sorted()
    }

    /// Files in `directory` (at `depth`) and, below `maxDepth`, in its subdirectories; symbolic links are not followed.
    private func collect(
        in directory: String,
        depth: Int,
        maxDepth: Int,
        suffix: String,
        into files: inout [String]
    )
        throws
    {
        guard depth <= maxDepth else { return }
        let fileManager = FileManager.default
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: directory)
        } catch {
            throw TransportError(.commandFailed, "cannot list '\(directory)': \(error.localizedDescription)", underlying: error)
        }
        for name in names {
            let path = FileListing.join(directory, name)
            guard let type = try? fileManager.attributesOfItem(atPath: path)[.type] as? FileAttributeType else {
                continue
            }
            if type == .typeDirectory {
                try collect(in: path, depth: depth + 1, maxDepth: maxDepth, suffix: suffix, into: &files)
            } else if type == .typeRegular, FileListing.name(name, endsWith: suffix) {
                files.append(path)
            }
        }
    }

    private func copy(from source: String, to destination: URL) async throws {
        try FileCopy.requireRegularFile(source)
        try await FileCopy.atomically(to: destination) { temporary in
            try await FileCopy.copy(from: source, to: temporary.path)
        }
    }
}
