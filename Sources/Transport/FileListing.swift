/// What both transports share about a file listing: argument checks, base paths, `find` patterns.
package enum FileListing {
    /// `base` without trailing slashes (`/` stays `/`); rejects an empty base, a NUL byte or a negative depth.
    package static func normalizedBase(_ base: String, maxDepth: Int) throws -> String {
        guard maxDepth >= 0 else {
            throw TransportError(.invalidArgument, "maxDepth must not be negative: \(maxDepth)")
        }
        guard !base.isEmpty else { throw TransportError(.invalidArgument, "empty base directory") }
        guard !base.utf8.contains(0) else {
            throw TransportError(.invalidArgument, "base directory \(base.debugDescription) contains a NUL byte")
        }
        var trimmed = Substring(base)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// `base` joined with a path below it.
    package static func join(_ base: String, _ relative: String) -> String {
        base.hasSuffix("/") ? base + relative : base + "/" + relative
    }

    /// Whether `name` ends with `suffix`, byte for byte (as `find -name` compares).
    package static func name(_ name: String, endsWith suffix: String) -> Bool {
        let name = Array(name.utf8)
        let suffix = Array(suffix.utf8)
        return name.count >= suffix.count && name[(name.count - suffix.count)...].elementsEqual(suffix)
    }

    /// A `find -name` pattern matching names that end with `suffix`: `*` + `suffix` with `*?[\` escaped.
    package static func findPattern(suffix: String) -> String {
        var pattern = "*"
        for scalar in suffix.unicodeScalars {
            if "*?[\\".unicodeScalars.contains(scalar) { pattern += "\\" }
            pattern.unicodeScalars.append(scalar)
        }
        return pattern
    }

    /// The paths in `find -print0` output.
    package static func splitNulTerminated(_ output: some Collection<UInt8>) -> [String] {
        output.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}
