/// How ``SSHTransport`` reaches a host with the system `ssh`. Checked by ``SSHTransport/init(configuration:)``.
package struct SSHConfiguration: Sendable, Hashable {
    /// Host name or address (or an alias from `~/.ssh/config`).
    package var host: String
    /// Login name; `nil` = ssh's default (the config file's `User`, else the local user).
    package var user: String?
    /// `nil` = ssh's default (the config file's `Port`, else 22).
    package var port: Int?
    /// A private key file (`-i`); when set, only it is offered (`IdentitiesOnly=yes`). Its contents are never read.
    package var identityFile: String?
    /// A known-hosts file; nil = ssh default.
    package var knownHostsFile: String?
    /// Seconds to wait for the TCP connection, default 10.
    package var connectTimeout: Int
    /// `yes`, `accept-new` (default: accepts new keys, rejects changed ones), `no`, `off` or `ask`.
    package var strictHostKeyChecking: String
    /// The `ssh` program, by name (searched in `PATH`) or path.
    package var sshExecutable: String = "ssh"
    /// Unused: file copies go through `ssh` itself (see ``SSHTransport``). Kept for configuration compatibility.
    package var scpExecutable: String = "scp"

    package init(
        host: String,
        user: String? = nil,
        port: Int? = nil,
        identityFile: String? = nil,
        knownHostsFile: String? = nil,
        connectTimeout: Int = 10,
        strictHostKeyChecking: String = "accept-new"
    ) {
        self.host = host
        self.user = user
        self.port = port
        self.identityFile = identityFile
        self.knownHostsFile = knownHostsFile
        self.connectTimeout = connectTimeout
        self.strictHostKeyChecking = strictHostKeyChecking
    }

    /// The values `StrictHostKeyChecking` accepts.
    static let hostKeyPolicies: Set<String> = ["yes", "accept-new", "no", "off", "ask"]

    /// Rejects what `ssh` could read as an option or split, expand or misparse.
    func validate() throws {
        try Self.checkName(host, "host")
        if let user { try Self.checkName(user, "user") }
        if let port, !(1...65535).contains(port) {
            throw TransportError(.invalidArgument, "port \(port) is out of range 1-65535")
        }
        guard connectTimeout > 0 else {
            throw TransportError(.invalidConfiguration, "connectTimeout must be positive: \(connectTimeout)")
        }
        guard Self.hostKeyPolicies.contains(strictHostKeyChecking) else {
            throw TransportError(
                .invalidConfiguration,
                "strictHostKeyChecking \(strictHostKeyChecking.debugDescription) is not one of "
                    + Self.hostKeyPolicies.sorted().joined(separator: ", ")
            )
        }
        if let identityFile { try Self.checkPath(identityFile, "identityFile") }
        if let knownHostsFile { try Self.checkPath(knownHostsFile, "knownHostsFile") }
        guard !sshExecutable.isEmpty, !sshExecutable.unicodeScalars.contains(where: Self.isControl) else {
            throw TransportError(.invalidConfiguration, "sshExecutable \(sshExecutable.debugDescription) is unusable")
        }
    }

    /// A host or user: not empty, not starting with `-`, no whitespace or control characters.
    private static func checkName(_ value: String, _ what: String) throws {
        guard !value.isEmpty else { throw TransportError(.invalidArgument, "empty \(what)") }
        guard !value.hasPrefix("-") else {
            throw TransportError(.invalidArgument, "\(what) \(value.debugDescription) starts with '-'")
        }
        guard !value.unicodeScalars.contains(where: { isControl($0) || $0.properties.isWhitespace }) else {
            throw TransportError(
                .invalidArgument,
                "\(what) \(value.debugDescription) contains whitespace or control characters"
            )
        }
    }

    /// A file path for an ssh option: ssh expands `%` tokens and `${VAR}` in these and splits option values on
    /// quotes and backslashes, so paths with those (or control characters) are refused rather than misread.
    private static func checkPath(_ value: String, _ what: String) throws {
        guard !value.isEmpty else { throw TransportError(.invalidConfiguration, "empty \(what)") }
        guard !value.unicodeScalars.contains(where: { isControl($0) || "%$\"'\\".unicodeScalars.contains($0) }) else {
            throw TransportError(
                .invalidConfiguration,
                "\(what) \(value.debugDescription) contains a character ssh would expand or split "
                    + "(% $ \" ' \\ or a control character)"
            )
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }
}
