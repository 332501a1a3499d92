import Foundation
import Testing

@testable import Recording

/// Token resolution (value, environment, file) and redaction everywhere a token could be printed.
@Suite struct InfluxTokenTests {
    static let secret = "tok-S3CR3T-value"

    @Test func explicitValueWinsOverEnvironmentAndFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try "from-file".write(toFile: dir.path("token"), atomically: true, encoding: .utf8)
        let token = try InfluxToken.resolve(
            value: "explicit",
            file: dir.path("token"),
            environment: ["INFLUX_TOKEN": "from-env"]
        )
        #expect(token?.secret == "explicit")
    }

    @Test func environmentIsUsedWithoutAValue() throws {
        #expect(try InfluxToken.resolve(environment: ["INFLUX_TOKEN": "from-env"])?.secret == "from-env")
        #expect(try InfluxToken.resolve(value: "  ", environment: ["INFLUX_TOKEN": "from-env"])?.secret == "from-env")
        #expect(
            try InfluxToken.resolve(
                environmentVariable: "MY_TOKEN",
                environment: ["MY_TOKEN": "mine", "INFLUX_TOKEN": "no"]
            )?.secret == "mine"
        )
    }

    @Test func fileIsUsedLastAndTrimmed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try "  \(Self.secret)\n\n".write(toFile: dir.path("token"), atomically: true, encoding: .utf8)
        let token = try InfluxToken.resolve(file: dir.path("token"), environment: ["INFLUX_TOKEN": ""])
        #expect(token?.secret == Self.secret)
    }

    @Test func noSourceMeansNoToken() throws {
        #expect(try InfluxToken.resolve(environment: [:]) == nil)
    }

    @Test func unreadableOrEmptyTokenFileIsAnError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let missing = #expect(throws: RecordingError.self) {
            try InfluxToken.resolve(file: dir.path("nope"), environment: [:])
        }
        #expect(missing?.code == .invalidToken)
        #expect(missing?.message.contains(dir.path("nope")) == true)
        try " \n".write(toFile: dir.path("empty"), atomically: true, encoding: .utf8)
        let empty = #expect(throws: RecordingError.self) { try InfluxToken(file: dir.path("empty")) }
        #expect(empty?.message.contains("empty") == true)
    }

    @Test func everyDescriptionIsRedacted() {
        let token = InfluxToken(Self.secret)
        var dumped = ""
        dump(token, to: &dumped)
        let configuration = InfluxConfiguration(token: token)
        var dumpedConfiguration = ""
        dump(configuration, to: &dumpedConfiguration)
        let renderings = [
            token.description, token.debugDescription, "\(token)", String(describing: token), String(reflecting: token),
            dumped, String(describing: configuration), String(reflecting: configuration), dumpedConfiguration,
            "\(Optional(token) as Any)",
        ]
        for rendering in renderings {
            #expect(!rendering.contains(Self.secret), "leaked in: \(rendering)")
        }
        #expect(token.description == "<redacted>")
        #expect(dumped.contains("<redacted>"))
        #expect(token.secret == Self.secret)
    }
}
