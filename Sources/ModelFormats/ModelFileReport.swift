import Foundation

/// Human-readable reports of a model file's header: metadata (long arrays and strings abbreviated) and the
/// tensor table. Tensor data is never read.
public enum ModelFileReport {
    /// A report on the GGUF or safetensors file at `path` (the format is detected from its first bytes).
    public static func report(path: String, maxArrayItems: Int = 5, maxStringLength: Int = 80) throws -> String {
        let file = try MappedFile(path: path)
        if file.size >= 4, file.bytes.loadUnaligned(as: UInt32.self) == GGUFFile.magic.littleEndian {
            return report(gguf: try GGUFFile.parse(file.bytes), path: path, maxArrayItems: maxArrayItems, maxStringLength: maxStringLength)
        }
        do {
            return report(safetensors: try SafetensorsFile.parse(file.bytes), path: path, maxStringLength: maxStringLength)
        } catch let error as ModelFormatError where error.code == .invalidMagic || error.code == .limitExceeded {
            throw ModelFormatError(.invalidMagic, "'\(path)' is neither GGUF nor safetensors (\(error.message))", underlying: error)
        }
    }

    /// What makes the file at `path` unusable although it could be inspected (tensors of unknown types), one line each.
    public static func problems(path: String) throws -> [String] {
        let file = try MappedFile(path: path)
        guard file.size >= 4, file.bytes.loadUnaligned(as: UInt32.self) == GGUFFile.magic.littleEndian else { return [] }
        return try GGUFFile.parse(file.bytes).tensors.filter { !$0.type.isKnown }.map {
            "tensor '\($0.name)' has unknown ggml type \($0.type.id): its size cannot be checked and no runtime here can load it"
        }
    }

    /// A report on a parsed GGUF header.
    public static func report(gguf file: GGUFFile, path: String, maxArrayItems: Int = 5, maxStringLength: Int = 80) -> String {
        var lines = ["GGUF v\(file.version): \(path)"]
        lines.append("  \(file.fileSize) bytes, alignment \(file.alignment), tensor data at offset \(file.dataOffset)")
        let s = file.summary
        var facts: [String] = [s.architecture ?? "unknown architecture"]
        if let type = s.type { facts.append(type) }
        if let v = s.blockCount { facts.append("\(v) blocks") }
        if let v = s.embeddingLength { facts.append("embedding \(v)") }
        if let v = s.headCount { facts.append("heads \(v)" + (s.headCountKV.map { "/\($0) kv" } ?? "")) }
        if let v = s.contextLength { facts.append("context \(v)") }
        if let v = s.vocabSize { facts.append("vocab \(v)") }
        if let v = s.quantization { facts.append(v) }
        facts.append("\(formatCount(s.parameterCount)) parameters")
        lines.append("  " + facts.joined(separator: ", "))
        lines.append("")
        lines.append("Metadata (\(file.metadata.count)):")
        let keyWidth = file.metadata.map(\.key.count).max() ?? 0
        for entry in file.metadata {
            let type = entry.value.arrayValue.map { "[\($0.elementType) × \($0.count)]" } ?? entry.value.type.description
            lines.append("  " + pad(entry.key, keyWidth) + "  " + pad(type, 18) + "  " + describe(entry.value, maxArrayItems, maxStringLength))
        }
        lines.append("")
        lines.append("Tensors (\(file.tensors.count), dims innermost first):")
        lines += table(
            ["name", "type", "dims", "offset", "bytes"],
            file.tensors.map { [$0.name, $0.type.name, "\($0.dimensions)", String($0.offset), $0.byteCount.map { String($0) } ?? "?"] }
        )
        return lines.joined(separator: "\n") + "\n"
    }

    /// A report on a parsed safetensors header.
    public static func report(safetensors file: SafetensorsFile, path: String, maxStringLength: Int = 80) -> String {
        var lines = ["safetensors: \(path)"]
        let elements = file.tensors.reduce(UInt64(0)) { $0 &+ $1.elementCount }
        lines.append("  \(file.fileSize) bytes, header \(file.dataOffset - 8) bytes, tensor data at offset \(file.dataOffset), \(formatCount(elements)) parameters")
        lines.append("")
        lines.append("Metadata (\(file.metadata.count)):")
        let keyWidth = file.metadata.keys.map(\.count).max() ?? 0
        for (key, value) in file.metadata.sorted(by: { $0.key < $1.key }) {
            lines.append("  " + pad(key, keyWidth) + "  " + quote(value, maxStringLength))
        }
        lines.append("")
        lines.append("Tensors (\(file.tensors.count), by offset; shape outermost first):")
        lines += table(
            ["name", "dtype", "shape", "offset", "bytes"],
            file.tensors.map { [$0.name, $0.dtype.rawValue, "\($0.shape)", String($0.offset), String($0.byteCount)] }
        )
        return lines.joined(separator: "\n") + "\n"
    }

    static func describe(_ value: GGUFValue, _ maxItems: Int, _ maxString: Int) -> String {
        switch value {
        case .string(let s): return quote(s, maxString)
        case .array(let array): return describe(array, maxItems, maxString)
        case .float32(let v): return "\(v)"
        case .float64(let v): return "\(v)"
        case .bool(let v): return "\(v)"
        default: return value.intValue.map(String.init) ?? (value.doubleValue.map { "\($0)" } ?? "?")
        }
    }

    static func describe(_ array: GGUFArray, _ maxItems: Int, _ maxString: Int) -> String {
        let shown = (0..<min(array.count, maxItems)).map { describe(array[$0], maxItems, min(maxString, 40)) }
        let more = array.count > maxItems ? ", … (\(array.count) items)" : ""
        return "[" + shown.joined(separator: ", ") + more + "]"
    }

    static func quote(_ string: String, _ maxLength: Int) -> String {
        var escaped = ""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20: escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
            if escaped.count > maxLength { return "\"" + escaped.prefix(maxLength) + "\"… (\(string.utf8.count) bytes)" }
        }
        return "\"" + escaped + "\""
    }

    private static func table(_ header: [String], _ rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            "  " + row.indices.map { column in
                column >= 3 ? padLeft(row[column], widths[column]) : pad(row[column], widths[column])
            }.joined(separator: "  ")
        }
    }

    private static func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
    private static func padLeft(_ s: String, _ width: Int) -> String { s.count >= width ? s : String(repeating: " ", count: width - s.count) + s }

    private static func formatCount(_ n: UInt64) -> String {
        switch n {
        case ..<1_000: return "\(n)"
        case ..<1_000_000: return String(format: "%.1fK", Double(n) / 1e3)
        case ..<1_000_000_000: return String(format: "%.1fM", Double(n) / 1e6)
        default: return String(format: "%.2fB", Double(n) / 1e9)
        }
    }
}
