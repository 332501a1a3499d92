import Foundation

/// A result's JSON line, without its newline — the bytes the journal and the results file share: written directly
/// when it has no judge verdicts (``ItemResultWriter``), else by `JSONEncoder` (sorted keys, unescaped slashes).
struct ResultLineEncoder {
    private let encoder: JSONEncoder

    init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    func encode(_ result: ItemResult) throws -> Data {
        try ItemResultWriter.encode(result) ?? encoder.encode(result)
    }

    /// `result`'s output line with its newline: `encoded` when the engine has it already, else encoded here.
    func line(_ result: ItemResult, encoded: Data?) throws -> Data {
        var line = try encoded ?? encode(result)
        line.append(10)
        return line
    }
}
