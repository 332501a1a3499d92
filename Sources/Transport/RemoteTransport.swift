import Foundation

/// Where checkpoints live and how to reach them: commands by argument array, file copies and file listings.
///
/// Implementations: ``LocalTransport`` (this machine) and ``SSHTransport`` (a host reached with the system `ssh`).
package protocol RemoteTransport: Sendable {
    /// Runs a command given as an argument array (arguments[0] is the program) on the transport's side; returns its
    /// standard output; throws TransportError (.commandFailed with exit status and stderr excerpt) on non-zero exit.
    func run(_ arguments: [String]) async throws -> String
    /// Copies a remote file to a local path (atomic: write to a temp name in the destination directory, then rename).
    func download(remotePath: String, to localURL: URL) async throws
    /// Copies a local file to a remote path.
    func upload(_ localURL: URL, to remotePath: String) async throws
    /// Every regular file under `base`, recursively up to `maxDepth` directory levels, whose name ends with `suffix`.
    /// Missing base → TransportError(.notFound).
    ///
    /// Depth counts like `find -maxdepth`: files directly in `base` are at depth 1. Paths are `base` (trailing
    /// slashes removed) + `/` + the path below it, so they are absolute when `base` is (the usual case). Symbolic
    /// links are not followed. Sorted.
    func listFiles(under base: String, suffix: String, maxDepth: Int) async throws -> [String]
    /// Human-readable description for logs, e.g. "ssh user@host:22" or "local".
    var description: String { get }
}
