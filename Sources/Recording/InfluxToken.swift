import Foundation

/// An InfluxDB API token. Its descriptions, mirror and logs always show `<redacted>`, never the secret.
public struct InfluxToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable
{
    /// The secret itself; read it only to build an `Authorization` header.
    public let secret: String

    /// The default environment variable a token is read from.
    public static let defaultEnvironmentVariable = "INFLUX_TOKEN"

    public init(_ secret: String) {
        self.secret = secret
    }

    /// The first token found: `value`, else the environment variable, else the (trimmed) contents of `file`.
    /// Empty values count as absent; `nil` when there is none. A `file` that cannot be read, or holds only
    /// whitespace, is an error (it was asked for explicitly).
    public static func resolve(
        value: String? = nil,
        environmentVariable: String = defaultEnvironmentVariable,
        file: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> InfluxToken? {
        if let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
            return InfluxToken(value)
        }
        if let value = environment[environmentVariable]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty
        {
            return InfluxToken(value)
        }
        if let file { return try InfluxToken(file: file) }
        return nil
    }

    /// Reads a token file, trimming surrounding whitespace and newlines.
    public init(file path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RecordingError(.invalidToken, "cannot read the token file \(path): \(error.localizedDescription)", underlying: error)
        }
        let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty else { throw RecordingError(.invalidToken, "the token file \(path) is empty") }
        self.init(secret)
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "InfluxToken(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: ["secret": "<redacted>"]) }
}
