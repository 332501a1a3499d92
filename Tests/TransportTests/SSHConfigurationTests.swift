import Foundation
import Testing

@testable import Transport

@Suite struct SSHConfigurationTests {
    @Test func defaults() {
        let configuration = SSHConfiguration(host: "box")
        #expect(configuration.connectTimeout == 10)
        #expect(configuration.strictHostKeyChecking == "accept-new")
        #expect(configuration.sshExecutable == "ssh")
        #expect(configuration.knownHostsFile == nil)
    }

    @Test(arguments: [
        SSHConfiguration(host: ""),
        SSHConfiguration(host: "-oProxyCommand=touch PWNED"),
        SSHConfiguration(host: "-box"),
        SSHConfiguration(host: "box name"),
        SSHConfiguration(host: "box\n"),
        SSHConfiguration(host: "box\u{7}"),
        SSHConfiguration(host: "box", user: ""),
        SSHConfiguration(host: "box", user: "-l"),
        SSHConfiguration(host: "box", user: "a b"),
        SSHConfiguration(host: "box", user: "a\tb"),
        SSHConfiguration(host: "box", port: 0),
        SSHConfiguration(host: "box", port: 70000),
    ])
    func rejectsHostsUsersAndPortsThatCouldBeMisread(_ configuration: SSHConfiguration) {
        let error = #expect(throws: TransportError.self) { try SSHTransport(configuration: configuration) }
        #expect(error?.code == .invalidArgument)
    }

    @Test(arguments: [
        SSHConfiguration(host: "box", strictHostKeyChecking: "maybe"),
        SSHConfiguration(host: "box", strictHostKeyChecking: "no -oProxyCommand=x"),
        SSHConfiguration(host: "box", connectTimeout: 0),
        SSHConfiguration(host: "box", identityFile: "/keys/%u"),
        SSHConfiguration(host: "box", identityFile: ""),
        SSHConfiguration(host: "box", knownHostsFile: "/tmp/${HOME}"),
        SSHConfiguration(host: "box", knownHostsFile: "/tmp/a\"b"),
        SSHConfiguration(host: "box", knownHostsFile: "/tmp/a\nb"),
    ])
    func rejectsUnusableOptionValues(_ configuration: SSHConfiguration) {
        let error = #expect(throws: TransportError.self) { try SSHTransport(configuration: configuration) }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func describesUserHostAndPort() throws {
        #expect(try SSHTransport(configuration: SSHConfiguration(host: "box")).description == "ssh box")
        let full = SSHConfiguration(host: "10.0.0.5", user: "trainer", port: 2222)
        #expect(try SSHTransport(configuration: full).description == "ssh trainer@10.0.0.5:2222")
        let ipv6 = SSHConfiguration(host: "::1", port: 22)
        #expect(try SSHTransport(configuration: ipv6).description == "ssh [::1]:22")
    }

    @Test func sshCommandLineQuotesEveryRemoteWordAfterTheDestination() throws {
        var configuration = SSHConfiguration(
            host: "box",
            user: "me",
            port: 2222,
            identityFile: "/keys/id ed25519",
            knownHostsFile: "/tmp/known hosts",
            connectTimeout: 5
        )
        configuration.sshExecutable = "/usr/bin/ssh"
        let arguments = try SSHTransport(configuration: configuration)
            .sshArguments(remoteCommand: ["ls", "-l", "a b; rm -rf /"])
        #expect(
            arguments == [
                "/usr/bin/ssh", "-T", "-x", "-a", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5",
                "-o", "StrictHostKeyChecking=accept-new", "-o", "ClearAllForwardings=yes",
                "-o", "UserKnownHostsFile=\"/tmp/known hosts\"", "-p", "2222", "-i", "/keys/id ed25519",
                "-o", "IdentitiesOnly=yes", "-l", "me", "--", "box", "'ls' '-l' 'a b; rm -rf /'",
            ]
        )
    }
}
