import Foundation
import Transport

/// The ordered model families that name checkpoints. Order matters: the first family whose prefix matches wins.
///
/// Files use the schema `{"families": [{"prefix": "…", "tag": "…", "short": "…"}, …]}`; the shipped default is
/// `Resources/model-families.json`.
package struct ModelFamilyMap: Sendable, Hashable {
    package var families: [ModelFamily]

    package init(families: [ModelFamily]) {
        self.families = families
    }

    /// The shipped map (`Resources/model-families.json`).
    package static func `default`() throws -> ModelFamilyMap {
        guard
            let url = Bundle.module.url(forResource: "model-families", withExtension: "json", subdirectory: "Resources")
        else {
            throw AgentError(.configuration, "the shipped model-families.json is missing from the bundle")
        }
        return try load(from: url.path)
    }

    /// A map from a JSON file; errors name the file and what is wrong with it.
    package static func load(from path: String) throws -> ModelFamilyMap {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw AgentError(
                .configuration,
                "model families file '\(path)' cannot be read: \(error.localizedDescription)",
                underlying: error
            )
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch let error as DecodingError {
            throw AgentError(.configuration, "model families file '\(path)': \(Self.explain(error))")
        } catch {
            throw AgentError(.configuration, "model families file '\(path)': \(error)", underlying: error)
        }
        for (index, family) in file.families.enumerated() {
            for (field, value) in [("prefix", family.prefix), ("tag", family.tag), ("short", family.short)]
            where value.isEmpty {
                throw AgentError(
                    .configuration,
                    "model families file '\(path)': families[\(index)].\(field) is empty"
                )
            }
        }
        return ModelFamilyMap(families: file.families)
    }

    /// The reference's derivation: name = dirname with a leading "adapters-" removed; first family whose prefix the
    /// name starts with; variant = rest of name after the prefix with leading "-" trimmed, "base" if empty;
    /// short = family.short + "-" + variant (just family.short if variant == "base"); stem = name with "/" replaced
    /// by "-". No family matched → tag = name, short = first 10 characters of name, stem = name.
    package func describe(directory: String) -> (tag: String, short: String, stem: String) {
        let match = self.match(directory: directory)
        return (match.family.tag, match.family.short, match.stem)
    }

    /// The family of a checkpoint directory: a shipped one with the variant folded into `short`, or, when none
    /// matches, `ModelFamily(prefix: name, tag: name, short: first 10 characters)`; and the name's stem.
    func match(directory: String) -> (family: ModelFamily, stem: String) {
        // Code points throughout, as the reference (Python) compares and counts them.
        var name = directory.unicodeScalars[...]
        if name.starts(with: "adapters-".unicodeScalars) { name = name.dropFirst("adapters-".unicodeScalars.count) }
        let nameString = String(String.UnicodeScalarView(name))
        guard let family = families.first(where: { name.starts(with: $0.prefix.unicodeScalars) }) else {
            let short = String(String.UnicodeScalarView(name.prefix(10)))
            return (ModelFamily(prefix: nameString, tag: nameString, short: short), nameString)
        }
        var variant = name.dropFirst(family.prefix.unicodeScalars.count)
        while variant.first == "-" { variant = variant.dropFirst() }
        var described = family
        let variantString = String(String.UnicodeScalarView(variant))
        if !variantString.isEmpty && variantString != "base" { described.short = family.short + "-" + variantString }
        let stem = String(String.UnicodeScalarView(name.map { $0 == "/" ? "-" : $0 }))
        return (described, stem)
    }

    private struct File: Decodable {
        var families: [ModelFamily]
    }

    private static func explain(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "the top level" : path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
                : "bad value at \(at(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' at \(at(context.codingPath))"
        case .typeMismatch(let type, let context):
            return "expected \(type) at \(at(context.codingPath))"
        case .valueNotFound(let type, let context):
            return "null where \(type) is expected at \(at(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }
}
