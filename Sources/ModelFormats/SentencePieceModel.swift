import Foundation

/// The parts of a SentencePiece `tokenizer.model` (a `ModelProto` protobuf) that llama.cpp's converter reads:
/// each piece's text, score and type, and the normaliser's `add_dummy_prefix`.
///
/// A minimal protobuf reader: only the fields named here are decoded, everything else is skipped by wire type.
struct SentencePieceModel: Sendable {
    /// `SentencePiece.Type`, numbered as llama.cpp's token types (`llama_token_type`) are.
    enum PieceType: Int, Sendable {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    struct Piece: Sendable {
        var text: String
        var score: Float
        var type: PieceType
    }

    var pieces: [Piece]
    /// `normalizer_spec.add_dummy_prefix` (protobuf default: true).
    var addDummyPrefix: Bool

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelFormatError(.io, "cannot read '\(path)'")
        }
        try self.init(bytes: [UInt8](data), path: path)
    }

    init(bytes: [UInt8], path: String) throws {
        var pieces: [Piece] = []
        var addDummyPrefix = true
        var reader = Reader(bytes: bytes[...], path: path)
        while let (field, wire) = try reader.key() {
            switch (field, wire) {
            case (1, 2): pieces.append(try Self.piece(try reader.lengthDelimited(), path: path))
            case (3, 2):
                var normalizer = Reader(bytes: try reader.lengthDelimited(), path: path)
                while let (field, wire) = try normalizer.key() {
                    if field == 3, wire == 0 { addDummyPrefix = try normalizer.varint() != 0 } else { try normalizer.skip(wire) }
                }
            default: try reader.skip(wire)
            }
        }
        guard !pieces.isEmpty else { throw ModelFormatError(.malformed, "'\(path)' holds no SentencePiece pieces") }
        self.pieces = pieces
        self.addDummyPrefix = addDummyPrefix
    }

    private static func piece(_ bytes: ArraySlice<UInt8>, path: String) throws -> Piece {
        var reader = Reader(bytes: bytes, path: path)
        var piece = Piece(text: "", score: 0, type: .normal)
        while let (field, wire) = try reader.key() {
            switch (field, wire) {
            case (1, 2):
                guard let text = String(validating: try reader.lengthDelimited(), as: UTF8.self) else {
                    throw ModelFormatError(.malformed, "'\(path)': a piece is not valid UTF-8")
                }
                piece.text = text
            case (2, 5): piece.score = Float(bitPattern: try reader.fixed32())
            case (3, 0):
                let raw = try reader.varint()
                guard let type = PieceType(rawValue: Int(raw)) else {
                    throw ModelFormatError(.malformed, "'\(path)': piece type \(raw) is not a SentencePiece type")
                }
                piece.type = type
            default: try reader.skip(wire)
            }
        }
        return piece
    }

    /// Protobuf wire-format reading over a byte slice.
    private struct Reader {
        var bytes: ArraySlice<UInt8>
        let path: String

        mutating func key() throws -> (field: UInt64, wire: UInt64)? {
            guard !bytes.isEmpty else { return nil }
            let key = try varint()
            return (key >> 3, key & 7)
        }

        mutating func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let byte = bytes.popFirst() {
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return value }
                shift += 7
                guard shift < 64 else { break }
            }
            throw ModelFormatError(.malformed, "'\(path)': a truncated or overlong protobuf varint")
        }

        mutating func fixed32() throws -> UInt32 {
            let raw = try take(4)
            return raw.reversed().reduce(0) { $0 << 8 | UInt32($1) }
        }

        mutating func lengthDelimited() throws -> ArraySlice<UInt8> {
            let length = try varint()
            guard length <= UInt64(bytes.count) else { throw ModelFormatError(.truncated, "'\(path)': a protobuf field runs past the end") }
            return try take(Int(length))
        }

        mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard bytes.count >= count else { throw ModelFormatError(.truncated, "'\(path)': a protobuf field runs past the end") }
            let slice = bytes.prefix(count)
            bytes = bytes.dropFirst(count)
            return slice
        }

        mutating func skip(_ wire: UInt64) throws {
            switch wire {
            case 0: _ = try varint()
            case 1: _ = try take(8)
            case 2: _ = try lengthDelimited()
            case 5: _ = try take(4)
            default: throw ModelFormatError(.malformed, "'\(path)': protobuf wire type \(wire) is not supported")
            }
        }
    }
}
