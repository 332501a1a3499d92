import Foundation

/// A host reached with the system `ssh` (OpenSSH client), non-interactively.
///
/// Every call is one `ssh` process started with an argument array:
/// `ssh -T -x -a -o BatchMode=yes -o ConnectTimeout=N -o StrictHostKeyChecking=… -o ClearAllForwardings=yes
/// [-o UserKnownHostsFile="…"] [-p PORT] [-i IDENTITY -o IdentitiesOnly=yes] [-l USER] -- HOST COMMAND`.
///
/// ## Quoting
/// `ssh` joins the remote command's words into one string that the remote login shell parses, so COMMAND is built
/// here as a command line in which *every* word is POSIX-single-quoted (``ShellQuoting/quote(_:)``): the remote
/// shell splits it back into exactly our words and expands nothing. The remote login shell must be a POSIX shell
/// (sh, bash, dash, ksh, zsh). Where a step needs shell logic, the logic is a fixed script run as
/// `sh -c SCRIPT sh ARG…`, with all data in the quoted positional arguments, never spliced into the script.
///
/// ## Copies without scp
/// `scp`'s remote path is parsed by the remote shell (legacy protocol) or by sftp (OpenSSH ≥ 9 default), with
/// different quoting rules, so files travel through `ssh` itself:
/// - download: `sh -c '[ -f "$1" ] || exit 66; exec cat -- "$1"' sh PATH`, its standard output written straight to a
///   temporary file beside the destination, renamed into place only when `ssh` exits 0;
/// - upload: the local file is `ssh`'s standard input; the remote script writes it to `PATH.part.PID`, checks the
///   byte count (a dropped connection must not leave a truncated file) and renames it onto PATH.
///
/// Listing is `find PATH -maxdepth N -type f -name PATTERN -print0`, split on NUL (names with newlines survive).
/// Exit status 66 from these scripts means the file or directory is missing (``TransportError/Code/notFound``);
/// 255 is `ssh` itself failing (connection, authentication, host key).
package struct SSHTransport: RemoteTransport {
    package let configuration: SSHConfiguration

    /// Checks the configuration: a host or user that is empty, starts with `-` or holds whitespace or control
    /// characters is ``TransportError/Code/invalidArgument``; unusable option values are
    /// ``TransportError/Code/invalidConfiguration``.
    package init(configuration: SSHConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// "ssh [user@]host[:port]", an IPv6 address in brackets when a port follows.
    package var description: String {
        let host = configuration.host
        let shownHost = configuration.port != nil && host.contains(":") ? "[\(host)]" : host
        return "ssh " + (configuration.user.map { "\($0)@" } ?? "") + shownHost
            + (configuration.port.map { ":\($0)" } ?? "")
    }

    package func run(_ arguments: [String]) async throws -> String {
        guard !arguments.isEmpty else { throw TransportError(.invalidArgument, "empty command") }
        let command = ShellQuoting.commandLine(arguments)
        let result = try await CommandRunner.run(sshArguments(remoteCommand: arguments))
        guard result.status == 0 else { throw failure(command, result) }
        return String(decoding: result.standardOutput, as: UTF8.self)
    }

    package func download(remotePath: String, to localURL: URL) async throws {
        let what = "download of \(remotePath.debugDescription)"
        try await FileCopy.atomically(to: localURL) { temporary in
            let result = try await CommandRunner.run(
                sshArguments(remoteCommand: ["sh", "-c", Self.downloadScript, "sh", remotePath]),
                output: temporary
            )
            guard result.status == 0 else { throw failure(what, result, code: .copyFailed) }
        }
    }

    package func upload(_ localURL: URL, to remotePath: String) async throws {
        let what = "upload to \(remotePath.debugDescription)"
        try FileCopy.requireRegularFile(localURL.path)
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: localURL.path)
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            throw TransportError(.copyFailed, "cannot read '\(localURL.path)': \(error.localizedDescription)", underlying: error)
        }
        let result = try await CommandRunner.run(
            sshArguments(remoteCommand: ["sh", "-c", Self.uploadScript, "sh", remotePath, String(size)]),
            input: localURL
        )
        guard result.status == 0 else { throw failure(what, result, code: .copyFailed) }
    }

    package func listFiles(under base: String, suffix: String, maxDepth: Int) async throws -> [String] {
        let base = try FileListing.normalizedBase(base, maxDepth: maxDepth)
        // `find` reads a path starting with `-`, `!` or `(` as an expression: relative paths go in as `./PATH`.
        let findBase = base.hasPrefix("/") ? base : "./" + base
        let pattern = FileListing.findPattern(suffix: suffix)
        let result = try await CommandRunner.run(
            sshArguments(remoteCommand: ["sh", "-c", Self.listScript, "sh", findBase, String(maxDepth), pattern])
        )
        guard result.status == 0 else { throw failure("listing of \(base.debugDescription)", result) }
        let paths = FileListing.splitNulTerminated(result.standardOutput)
        return (base.hasPrefix("/") ? paths : paths.map { String($0.dropFirst(2)) }).sorted()
    }

    /// The `ssh` command line that runs `remoteCommand` (each word quoted) on the host.
    func sshArguments(remoteCommand: [String]) -> [String] {
        let configuration = configuration
        var arguments = [
            configuration.sshExecutable, "-T", "-x", "-a",
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=\(configuration.connectTimeout)",
            "-o", "StrictHostKeyChecking=\(configuration.strictHostKeyChecking)",
            "-o", "ClearAllForwardings=yes",
        ]
        if let knownHosts = configuration.knownHostsFile {
            arguments += ["-o", "UserKnownHostsFile=\"\(knownHosts)\""]
        }
        if let port = configuration.port { arguments += ["-p", String(port)] }
        if let identity = configuration.identityFile { arguments += ["-i", identity, "-o", "IdentitiesOnly=yes"] }
        if let user = configuration.user { arguments += ["-l", user] }
        arguments += ["--", configuration.host, ShellQuoting.commandLine(remoteCommand)]
        return arguments
    }

    /// The error for a failed `ssh` call: 66 from our scripts is a missing path, 255 is ssh's own failure.
    private func failure(
        _ what: String,
        _ result: CommandResult,
        code: TransportError.Code = .commandFailed
    )
        -> TransportError
    {
        switch result.status {
        case Self.missingStatus:
            return TransportError(.notFound, "\(description): \(result.errorExcerpt())", exitStatus: result.status)
        case 255:
            return TransportError.commandFailed(
                "\(description): \(what) (ssh itself failed: connection, authentication or host key)",
                result,
                code: code
            )
        default:
            return TransportError.commandFailed("\(description): \(what)", result, code: code)
        }
    }

    /// The exit status of the remote scripts for a missing file or directory.
    static let missingStatus: Int32 = 66

    /// `$1` = the remote file: its bytes on standard output.
    static let downloadScript =
        #"[ -f "$1" ] || { printf 'no such file: %s\n' "$1" >&2; exit 66; }; exec cat -- "$1""#

    /// `$1` = the remote file, `$2` = the byte count: standard input written beside it, checked, renamed onto it.
    static let uploadScript =
        #"t="$1.part.$$"; if cat > "$t" && [ "$(wc -c < "$t" | tr -d ' ')" = "$2" ] && mv -f -- "$t" "$1"; "#
        + #"then exit 0; fi; rm -f -- "$t"; printf 'upload to %s failed\n' "$1" >&2; exit 1"#

    /// `$1` = the base directory, `$2` = the depth, `$3` = the `-name` pattern: matching paths, NUL-terminated.
    static let listScript =
        #"[ -d "$1" ] || { printf 'no such directory: %s\n' "$1" >&2; exit 66; }; "#
        + #"exec find "$1" -maxdepth "$2" -type f -name "$3" -print0"#
}
