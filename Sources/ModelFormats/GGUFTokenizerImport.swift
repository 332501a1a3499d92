import Foundation
import JSONValues

/// A Hugging Face tokenizer (`tokenizer.json`, `tokenizer_config.json`, and for SentencePiece models
/// `tokenizer.model`) as GGUF `tokenizer.*` metadata, the way llama.cpp's `convert_hf_to_gguf.py` writes it —
/// the inverse of ``GGUFTokenizerExport``.
///
/// - Byte-level BPE (Llama 3, Qwen, SmolLM): `tokenizer.ggml.model = gpt2`, tokens by id, merges, token types
///   (special added tokens CONTROL, other added tokens USER_DEFINED), and `tokenizer.ggml.pre` chosen by the
///   pre-tokenizer's split regex (``GGUFTokenizerExport/preTokenizerRegexes``).
/// - SentencePiece BPE (Gemma): `tokenizer.ggml.model = llama` with the pieces, scores and types of
///   `tokenizer.model`, added tokens re-typed as llama.cpp does, and `add_space_prefix` from its normaliser.
/// Ids missing below config.json's `vocab_size` become `[PAD<id>]` tokens of type UNUSED.
struct GGUFTokenizerImport {
    /// The `tokenizer.*` entries.
    var metadata: [GGUFKeyValue]
    /// `gpt2/llama-bpe`, `llama` …, for reports.
    var summary: String

    init(directory: String, vocabSize: Int) throws {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        let tokenizer = try Self.readJSON(path("tokenizer.json"), required: true) ?? .null
        let config = try Self.readJSON(path("tokenizer_config.json"), required: false) ?? .object([:])
        guard let model = tokenizer["model"], model["type"]?.stringValue == "BPE" else {
            throw ModelFormatError(
                .unsupported,
                "tokenizer.json's model is \(tokenizer["model"]?["type"]?.stringValue ?? "missing"); only BPE tokenizers (byte-level or SentencePiece) are converted")
        }
        let added = (tokenizer["added_tokens"]?.arrayValue ?? []).compactMap { token -> (id: Int, content: String, special: Bool)? in
            guard let id = token["id"]?.intValue, let content = token["content"]?.stringValue else { return nil }
            return (id, content, token["special"]?.boolValue ?? false)
        }

        var tokens: [String]
        var types: [Int32]
        var scores: [Float]?
        var entries: [GGUFKeyValue] = []
        if model["byte_fallback"]?.boolValue == true {
            let spmPath = path("tokenizer.model")
            guard FileManager.default.fileExists(atPath: spmPath) else {
                throw ModelFormatError(.unsupported, "a SentencePiece tokenizer (byte_fallback BPE) needs its tokenizer.model in '\(directory)'")
            }
            let spm = try SentencePieceModel(path: spmPath)
            tokens = spm.pieces.map(\.text)
            types = spm.pieces.map { Int32($0.type.rawValue) }
            var pieceScores = spm.pieces.map(\.score)
            // As `_create_vocab_sentencepiece`: added tokens are CONTROL when special, else USER_DEFINED, score -1000.
            for token in added where tokens.indices.contains(token.id) {
                types[token.id] = Int32(token.special ? SentencePieceModel.PieceType.control.rawValue : SentencePieceModel.PieceType.userDefined.rawValue)
                pieceScores[token.id] = -1000
                tokens[token.id] = token.content
            }
            scores = pieceScores
            entries.append(GGUFKeyValue("tokenizer.ggml.model", .string("llama")))
            summary = "llama (SentencePiece)"
            if !spm.addDummyPrefix { entries.append(GGUFKeyValue("tokenizer.ggml.add_space_prefix", .bool(false))) }
        } else {
            guard let vocab = model["vocab"]?.objectValue else { throw ModelFormatError(.malformed, "tokenizer.json has no model.vocab") }
            let pre = try Self.preTokenizerName(tokenizer["pre_tokenizer"] ?? .null)
            var byID: [Int: String] = [:]
            for (token, id) in vocab { if let id = id.intValue { byID[id] = token } }
            var typeByID: [Int: Int32] = [:]
            for token in added {
                byID[token.id] = token.content
                typeByID[token.id] = Int32(token.special ? SentencePieceModel.PieceType.control.rawValue : SentencePieceModel.PieceType.userDefined.rawValue)
            }
            let count = max(vocabSize, (byID.keys.max() ?? -1) + 1)
            tokens = (0..<count).map { byID[$0] ?? "[PAD\($0)]" }
            types = (0..<count).map { byID[$0] == nil ? Int32(SentencePieceModel.PieceType.unused.rawValue) : typeByID[$0] ?? 1 }
            let merges: [String] = try (model["merges"]?.arrayValue ?? []).map { merge in
                if let text = merge.stringValue { return text }
                if let pair = merge.arrayValue?.compactMap(\.stringValue), pair.count == 2 { return "\(pair[0]) \(pair[1])" }
                throw ModelFormatError(.malformed, "tokenizer.json has a merge that is neither \"a b\" nor [a, b]")
            }
            entries.append(GGUFKeyValue("tokenizer.ggml.model", .string("gpt2")))
            entries.append(GGUFKeyValue("tokenizer.ggml.pre", .string(pre)))
            summary = "gpt2/\(pre)"
            entries.append(GGUFKeyValue("tokenizer.ggml.merges", .array(.string(merges))))
        }
        if tokens.count < vocabSize {
            for id in tokens.count..<vocabSize {
                tokens.append("[PAD\(id)]")
                types.append(Int32(SentencePieceModel.PieceType.unused.rawValue))
                scores?.append(-1000)
            }
        }
        entries.insert(GGUFKeyValue("tokenizer.ggml.tokens", .array(.string(tokens))), at: 1)
        if let scores { entries.insert(GGUFKeyValue("tokenizer.ggml.scores", .array(.float32(scores))), at: 2) }
        entries.insert(GGUFKeyValue("tokenizer.ggml.token_type", .array(.int32(types))), at: scores == nil ? 2 : 3)

        // Special tokens as gguf-py's SpecialVocab finds them: tokenizer_config.json, then config.json's ids.
        let ids = Dictionary(tokens.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let modelConfig = try Self.readJSON(path("config.json"), required: false) ?? .object([:])
        for (name, key) in [("bos", "bos_token_id"), ("eos", "eos_token_id"), ("unk", "unknown_token_id"), ("pad", "padding_token_id")] {
            let configured = config["\(name)_token"]
            let text = configured?.stringValue ?? configured?["content"]?.stringValue
            let configID = modelConfig["\(name)_token_id"]?.intValue ?? modelConfig["\(name)_token_id"]?.arrayValue?.first?.intValue
            if let id = text.flatMap({ ids[$0] }) ?? configID, tokens.indices.contains(id) {
                entries.append(GGUFKeyValue("tokenizer.ggml.\(key)", .uint32(UInt32(id))))
            }
        }
        let addBOS = config["add_bos_token"]?.boolValue ?? Self.postProcessorAddsFirstToken(tokenizer["post_processor"] ?? .null)
        entries.append(GGUFKeyValue("tokenizer.ggml.add_bos_token", .bool(addBOS)))
        entries.append(GGUFKeyValue("tokenizer.ggml.add_eos_token", .bool(config["add_eos_token"]?.boolValue ?? false)))
        let template = config["chat_template"]?.stringValue
            ?? config["chat_template"]?.arrayValue?.first(where: { $0["name"]?.stringValue == "default" })?["template"]?.stringValue
        if let template { entries.append(GGUFKeyValue("tokenizer.chat_template", .string(template))) }
        metadata = entries
    }

    /// llama.cpp's `tokenizer.ggml.pre` for a byte-level pre-tokenizer: by its split regex, or SmolLM's and GPT-2's
    /// regex-free forms.
    static func preTokenizerName(_ json: JSONValue) throws -> String {
        let parts = json["type"]?.stringValue == "Sequence" ? json["pretokenizers"]?.arrayValue ?? [] : [json]
        guard parts.contains(where: { $0["type"]?.stringValue == "ByteLevel" }) else {
            throw ModelFormatError(.unsupported, "tokenizer.json's pre-tokenizer has no ByteLevel step: not a byte-level BPE")
        }
        let regexes = parts.compactMap { $0["type"]?.stringValue == "Split" ? $0["pattern"]?["Regex"]?.stringValue : nil }
        if let regex = regexes.first {
            guard regexes.count == 1, let name = GGUFTokenizerExport.preTokenizerRegexes.first(where: { $0.value == regex })?.key else {
                throw ModelFormatError(
                    .unsupported,
                    "tokenizer.json's split regex is not one llama.cpp names here (known: \(GGUFTokenizerExport.preTokenizerRegexes.keys.sorted().joined(separator: ", "))): \(regexes.joined(separator: " | "))")
            }
            return name
        }
        if parts.contains(where: { $0["type"]?.stringValue == "Digits" && $0["individual_digits"]?.boolValue == true }) { return "smollm" }
        return "gpt-2"
    }

    /// Whether a `TemplateProcessing` post-processor puts a special token before the text (a BOS).
    static func postProcessorAddsFirstToken(_ json: JSONValue) -> Bool {
        let processors = json["type"]?.stringValue == "Sequence" ? json["processors"]?.arrayValue ?? [] : [json]
        return processors.contains { processor in
            processor["type"]?.stringValue == "TemplateProcessing" && processor["single"]?.arrayValue?.first?["SpecialToken"] != nil
        }
    }

    /// Reads a JSON file of the model directory with the strict ``JSONParser`` (the files are untrusted input).
    static func readJSON(_ path: String, required: Bool) throws -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: path) else {
            if required { throw ModelFormatError(.io, "cannot read '\(path)'") }
            return nil
        }
        return try data.withUnsafeBytes { try JSONParser.parse($0, what: "'\(path)'") }
    }
}
