import JSONValues

/// Hugging Face tokenizer files (`tokenizer.json`, `tokenizer_config.json`, `special_tokens_map.json`) rebuilt
/// from a GGUF's `tokenizer.*` metadata, so that `tokenizers` / mlx-lm split text exactly as llama.cpp does.
///
/// Handles byte-level BPE (`tokenizer.ggml.model = gpt2`) with the pre-tokenizers in ``preTokenizers``;
/// anything else is refused with the field at fault rather than guessed.
public struct GGUFTokenizerExport: Sendable {
    /// llama.cpp token types (`llama_token_type`).
    enum TokenType: Int {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    /// llama.cpp's split regex for a `tokenizer.ggml.pre` (`llama_vocab::impl::load`, `llm_tokenizer_bpe`), as
    /// Hugging Face tokenizers write it in a `Split` pre-tokenizer.
    static let preTokenizerRegexes: [String: String] = [
        "llama-bpe": #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#,
        "qwen2": #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#,
    ]

    /// `tokenizer.ggml.pre` → the Hugging Face pre-tokenizer that splits as llama.cpp's regexes for it
    /// (`llama_vocab::impl::load`), and whether whole words found in the vocabulary skip the merges.
    static let preTokenizers: [String: (json: JSONValue, ignoreMerges: Bool)] = {
        var table: [String: (json: JSONValue, ignoreMerges: Bool)] = [
            // "\p{N}" then the GPT-2 regex: single digits, then ByteLevel's own GPT-2 split.
            "smollm": (.object([
                ("type", .string("Sequence")),
                ("pretokenizers", .array([
                    .object([("type", .string("Digits")), ("individual_digits", .bool(true))]),
                    byteLevel(useRegex: true),
                ])),
            ]), false),
            "gpt-2": (byteLevel(useRegex: true), false),
        ]
        for (name, regex) in preTokenizerRegexes {
            // llama.cpp's BPE for llama-bpe skips the merges of a whole word in the vocabulary (ignore_merges).
            table[name] = (.object([
                ("type", .string("Sequence")),
                ("pretokenizers", .array([
                    .object([("type", .string("Split")), ("pattern", .object([("Regex", .string(regex))])),
                             ("behavior", .string("Isolated")), ("invert", .bool(false))]),
                    byteLevel(useRegex: false),
                ])),
            ]), name == "llama-bpe")
        }
        return table
    }()

    static func byteLevel(useRegex: Bool) -> JSONValue {
        .object([
            ("type", .string("ByteLevel")), ("add_prefix_space", .bool(false)), ("trim_offsets", .bool(true)),
            ("use_regex", .bool(useRegex)),
        ])
    }

    public let tokenizerJSON: String
    public let tokenizerConfigJSON: String
    public let specialTokensMapJSON: String
    /// Ids of the tokens written as special added tokens (control and user-defined types).
    public let addedTokenIDs: [Int]

    /// Builds the files from `file`'s metadata; `maxLength` becomes `model_max_length`.
    public init(file: GGUFFile, maxLength: Int?) throws {
        func string(_ key: String) -> String? { file[key]?.stringValue }
        guard let model = string("tokenizer.ggml.model") else { throw ModelFormatError(.malformed, "tokenizer.ggml.model is missing") }
        guard model == "gpt2" || model == "llama" else {
            throw ModelFormatError(.unsupported, "tokenizer.ggml.model is '\(model)'; byte-level BPE ('gpt2') and SentencePiece ('llama') tokenizers are converted")
        }
        let isSentencePiece = model == "llama"
        let pre = string("tokenizer.ggml.pre") ?? "gpt-2"
        guard isSentencePiece || Self.preTokenizers[pre] != nil else {
            throw ModelFormatError(
                .unsupported,
                "tokenizer.ggml.pre is '\(pre)'; supported: \(Self.preTokenizers.keys.sorted().joined(separator: ", "))"
            )
        }
        guard let tokens = file["tokenizer.ggml.tokens"]?.arrayValue?.strings, !tokens.isEmpty else {
            throw ModelFormatError(.malformed, "tokenizer.ggml.tokens is missing or not an array of strings")
        }
        var types = [Int](repeating: TokenType.normal.rawValue, count: tokens.count)
        if let entry = file["tokenizer.ggml.token_type"] {
            guard let values = entry.arrayValue?.ints, values.count == tokens.count else {
                throw ModelFormatError(.malformed, "tokenizer.ggml.token_type must be \(tokens.count) integers, one per token")
            }
            types = values
        }
        func tokenID(_ key: String) throws -> Int? {
            guard let entry = file[key] else { return nil }
            guard let id = entry.intValue, tokens.indices.contains(id) else {
                throw ModelFormatError(.malformed, "\(key) is not a token id below \(tokens.count)")
            }
            return id
        }
        let bos = try tokenID("tokenizer.ggml.bos_token_id")
        let eos = try tokenID("tokenizer.ggml.eos_token_id")
        let unk = try tokenID("tokenizer.ggml.unknown_token_id")
        let pad = try tokenID("tokenizer.ggml.padding_token_id")
        let addBOS = file["tokenizer.ggml.add_bos_token"]?.boolValue ?? false
        let addEOS = file["tokenizer.ggml.add_eos_token"]?.boolValue ?? false
        if addBOS, bos == nil { throw ModelFormatError(.malformed, "tokenizer.ggml.add_bos_token is true but bos_token_id is missing") }
        if addEOS, eos == nil { throw ModelFormatError(.malformed, "tokenizer.ggml.add_eos_token is true but eos_token_id is missing") }

        // llama.cpp matches control and user-defined tokens in the text before BPE (parse_special), as
        // `tokenizers` does for added tokens.
        let added = types.indices.filter { types[$0] == TokenType.control.rawValue || types[$0] == TokenType.userDefined.rawValue }
        addedTokenIDs = added
        func addedToken(_ id: Int, withID: Bool) -> JSONValue {
            var entries: [(key: String, value: JSONValue)] = withID ? [("id", .int(id))] : []
            entries += [
                ("content", .string(tokens[id])), ("single_word", .bool(false)), ("lstrip", .bool(false)),
                ("rstrip", .bool(false)), ("normalized", .bool(false)), ("special", .bool(types[id] == TokenType.control.rawValue)),
            ]
            return .object(entries)
        }

        var vocab: [(key: String, value: JSONValue)] = []
        vocab.reserveCapacity(tokens.count)
        var seen = Set<String>()
        for (id, token) in tokens.enumerated() where seen.insert(token).inserted { vocab.append((token, .int(id))) }

        let normalizer: JSONValue
        let preTokenizer: JSONValue
        let decoder: JSONValue
        let modelJSON: JSONValue
        if isSentencePiece {
            // As transformers' GemmaConverter / LlamaConverter: spaces become "▁" (with a leading one when llama.cpp
            // adds a space prefix), unknown characters fall back to byte tokens, merges follow the piece scores.
            guard case .float32(let scores)? = file["tokenizer.ggml.scores"]?.arrayValue, scores.count == tokens.count else {
                throw ModelFormatError(.malformed, "tokenizer.ggml.scores must be \(tokens.count) floats for a SentencePiece tokenizer")
            }
            let spacePrefix = file["tokenizer.ggml.add_space_prefix"]?.boolValue ?? true
            let replace = JSONValue.object([("type", .string("Replace")), ("pattern", .object([("String", .string(" "))])), ("content", .string("\u{2581}"))])
            normalizer = spacePrefix
                ? .object([("type", .string("Sequence")), ("normalizers", .array([
                    .object([("type", .string("Prepend")), ("prepend", .string("\u{2581}"))]), replace]))])
                : replace
            preTokenizer = .null
            var decoders: [JSONValue] = [
                .object([("type", .string("Replace")), ("pattern", .object([("String", .string("\u{2581}"))])), ("content", .string(" "))]),
                .object([("type", .string("ByteFallback"))]), .object([("type", .string("Fuse"))]),
            ]
            if spacePrefix { decoders.append(.object([("type", .string("Strip")), ("content", .string(" ")), ("start", .int(1)), ("stop", .int(0))])) }
            decoder = .object([("type", .string("Sequence")), ("decoders", .array(decoders))])
            let mergeable = Set(tokens.indices.filter { types[$0] == TokenType.normal.rawValue })
            modelJSON = .object([
                ("type", .string("BPE")), ("dropout", .null), ("unk_token", unk.map { .string(tokens[$0]) } ?? .null),
                ("continuing_subword_prefix", .null), ("end_of_word_suffix", .null), ("fuse_unk", .bool(true)),
                ("byte_fallback", .bool(true)), ("ignore_merges", .bool(false)),
                ("vocab", .object(vocab)),
                ("merges", .array(Self.sentencePieceMerges(tokens: tokens, scores: scores, mergeable: mergeable).map { .array([.string($0.left), .string($0.right)]) })),
            ])
        } else {
            guard let merges = file["tokenizer.ggml.merges"]?.arrayValue?.strings else {
                throw ModelFormatError(.malformed, "tokenizer.ggml.merges is missing or not an array of strings")
            }
            guard let byteLevelPre = Self.preTokenizers[pre] else { throw ModelFormatError(.unsupported, "tokenizer.ggml.pre is '\(pre)'") }
            normalizer = .null
            preTokenizer = byteLevelPre.json
            decoder = .object([
                ("type", .string("ByteLevel")), ("add_prefix_space", .bool(true)), ("trim_offsets", .bool(true)), ("use_regex", .bool(true)),
            ])
            modelJSON = .object([
                ("type", .string("BPE")), ("dropout", .null), ("unk_token", .null), ("continuing_subword_prefix", .null),
                ("end_of_word_suffix", .null), ("fuse_unk", .bool(false)), ("byte_fallback", .bool(false)),
                ("ignore_merges", .bool(byteLevelPre.ignoreMerges)),
                ("vocab", .object(vocab)),
                ("merges", .array(merges.map { .string($0) })),
            ])
        }
        let tokenizer = JSONValue.object([
            ("version", .string("1.0")),
            ("truncation", .null),
            ("padding", .null),
            ("added_tokens", .array(added.map { addedToken($0, withID: true) })),
            ("normalizer", normalizer),
            ("pre_tokenizer", preTokenizer),
            ("post_processor", Self.postProcessor(bos: addBOS ? bos.map { ($0, tokens[$0]) } : nil, eos: addEOS ? eos.map { ($0, tokens[$0]) } : nil, byteLevel: !isSentencePiece)),
            ("decoder", decoder),
            ("model", modelJSON),
        ])
        tokenizerJSON = tokenizer.serialized()

        var config: [(key: String, value: JSONValue)] = [
            ("add_bos_token", .bool(addBOS)),
            ("add_eos_token", .bool(addEOS)),
            ("add_prefix_space", .bool(false)),
            ("added_tokens_decoder", .object(added.map { (String($0), addedToken($0, withID: false)) })),
            ("clean_up_tokenization_spaces", .bool(false)),
            ("tokenizer_class", .string("PreTrainedTokenizerFast")),
        ]
        var special: [(key: String, value: JSONValue)] = []
        for (key, id) in [("bos_token", bos), ("eos_token", eos), ("unk_token", unk), ("pad_token", pad)] {
            guard let id else { continue }
            config.append((key, .string(tokens[id])))
            special.append((key, .string(tokens[id])))
        }
        if let template = string("tokenizer.chat_template") { config.append(("chat_template", .string(template))) }
        if let maxLength { config.append(("model_max_length", .int(maxLength))) }
        tokenizerConfigJSON = JSONValue.object(config).serialized(indent: 2) + "\n"
        specialTokensMapJSON = JSONValue.object(special).serialized(indent: 2) + "\n"
    }

    /// SentencePiece merges as transformers' `generate_merges` derives them from piece scores: every split of a
    /// mergeable piece into two known pieces, ordered by the piece's score (highest first), then longer left and
    /// right parts first; within a piece, by the parts' ids. llama.cpp's SentencePiece tokenizer merges by the
    /// same scores.
    static func sentencePieceMerges(tokens: [String], scores: [Float], mergeable: Set<Int>) -> [(left: String, right: String)] {
        var ids: [String: Int] = [:]
        for (id, token) in tokens.enumerated() where ids[token] == nil { ids[token] = id }
        var merges: [(left: String, right: String, score: Float, leftLength: Int, rightLength: Int)] = []
        for id in mergeable.sorted() {
            let characters = Array(tokens[id].unicodeScalars)
            guard characters.count > 1 else { continue }
            var local: [(left: String, right: String, leftID: Int, rightID: Int)] = []
            for split in 1..<characters.count {
                let left = String(String.UnicodeScalarView(characters[..<split]))
                let right = String(String.UnicodeScalarView(characters[split...]))
                if let l = ids[left], let r = ids[right] { local.append((left, right, l, r)) }
            }
            local.sort { ($0.leftID, $0.rightID) < ($1.leftID, $1.rightID) }
            merges += local.map { ($0.left, $0.right, scores[id], $0.left.unicodeScalars.count, $0.right.unicodeScalars.count) }
        }
        // A stable sort, descending on (score, left length, right length), as Python's sorted(reverse=True).
        let ordered = merges.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.score != y.score { return x.score > y.score }
            if x.leftLength != y.leftLength { return x.leftLength > y.leftLength }
            if x.rightLength != y.rightLength { return x.rightLength > y.rightLength }
            return a.offset < b.offset
        }
        return ordered.map { ($0.element.left, $0.element.right) }
    }

    /// ByteLevel's offsets fix-up alone, or a template adding BOS/EOS when the GGUF asks for them.
    static func postProcessor(bos: (id: Int, token: String)?, eos: (id: Int, token: String)?, byteLevel: Bool = true) -> JSONValue {
        guard bos != nil || eos != nil else {
            guard byteLevel else { return .null }
            return .object([
                ("type", .string("ByteLevel")), ("add_prefix_space", .bool(true)), ("trim_offsets", .bool(false)), ("use_regex", .bool(true)),
            ])
        }
        func piece(_ special: (id: Int, token: String)?, typeID: Int) -> [JSONValue] {
            guard let special else { return [] }
            return [.object([("SpecialToken", .object([("id", .string(special.token)), ("type_id", .int(typeID))]))])]
        }
        func sequence(_ id: String, typeID: Int) -> JSONValue {
            .object([("Sequence", .object([("id", .string(id)), ("type_id", .int(typeID))]))])
        }
        let single = piece(bos, typeID: 0) + [sequence("A", typeID: 0)] + piece(eos, typeID: 0)
        let pair = single + piece(bos, typeID: 1) + [sequence("B", typeID: 1)] + piece(eos, typeID: 1)
        var specials: [(key: String, value: JSONValue)] = []
        for special in [bos, eos].compactMap({ $0 }) where !specials.contains(where: { $0.key == special.token }) {
            specials.append((special.token, .object([
                ("id", .string(special.token)), ("ids", .array([.int(special.id)])), ("tokens", .array([.string(special.token)])),
            ])))
        }
        return .object([
            ("type", .string("TemplateProcessing")), ("single", .array(single)), ("pair", .array(pair)),
            ("special_tokens", .object(specials)),
        ])
    }
}
