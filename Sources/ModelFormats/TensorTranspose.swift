/// Transposes 2-D float tensors between layouts, converting between F32, F16 and BF16 on the way.
///
/// `source` is a row-major `[rows, columns]` matrix; the result is row-major `[columns, rows]`. With
/// `rowOrder`, result row `k` is taken from source column `rowOrder[k]` (a row permutation of the result).
enum TensorTranspose {
    static func transpose(
        _ source: UnsafeRawBufferPointer, dtype: SafetensorsDType, rows: Int, columns: Int,
        to outputType: SafetensorsDType, into output: UnsafeMutableRawBufferPointer, rowOrder: [Int]? = nil
    ) throws {
        let count = rows * columns
        guard source.count == count * dtype.size, output.count >= count * outputType.size else {
            throw ModelFormatError(.invalidArgument, "transpose of [\(rows), \(columns)] \(dtype) got \(source.count) source bytes")
        }
        if let rowOrder {
            guard rowOrder.count == columns, Set(rowOrder).count == columns, rowOrder.allSatisfy({ (0..<columns).contains($0) }) else {
                throw ModelFormatError(.invalidArgument, "row order of \(rowOrder.count) entries is not a permutation of 0..<\(columns)")
            }
        }
        switch (dtype, outputType) {
        case (.f32, .f32): raw(UInt32.self, source, rows, columns, output, rowOrder)
        case (.f16, .f16), (.bf16, .bf16): raw(UInt16.self, source, rows, columns, output, rowOrder)
        case (.f16, .f32): convert(F16.self, F32.self, source, rows, columns, output, rowOrder)
        case (.bf16, .f32): convert(BF16.self, F32.self, source, rows, columns, output, rowOrder)
        case (.f32, .f16): convert(F32.self, F16.self, source, rows, columns, output, rowOrder)
        case (.bf16, .f16): convert(BF16.self, F16.self, source, rows, columns, output, rowOrder)
        case (.f32, .bf16): convert(F32.self, BF16.self, source, rows, columns, output, rowOrder)
        case (.f16, .bf16): convert(F16.self, BF16.self, source, rows, columns, output, rowOrder)
        default:
            throw ModelFormatError(.unsupported, "cannot convert \(dtype) to \(outputType); F32, F16 and BF16 are supported")
        }
    }

    private static let tile = 64

    private static func raw<T: FixedWidthInteger>(
        _: T.Type, _ source: UnsafeRawBufferPointer, _ rows: Int, _ columns: Int,
        _ output: UnsafeMutableRawBufferPointer, _ rowOrder: [Int]?
    ) {
        // Source data from a file may be misaligned (safetensors does not align tensors): load unaligned.
        let size = MemoryLayout<T>.size
        let dst = output.bindMemory(to: T.self)
        forEachTile(rows, columns) { r0, r1, c0, c1 in
            for c in c0..<c1 {
                let sourceColumn = rowOrder?[c] ?? c
                let outRow = c * rows
                for r in r0..<r1 {
                    dst[outRow + r] = source.loadUnaligned(fromByteOffset: (r * columns + sourceColumn) * size, as: T.self)
                }
            }
        }
    }

    private static func convert<S: ElementCodec, D: ElementCodec>(
        _: S.Type, _: D.Type, _ source: UnsafeRawBufferPointer, _ rows: Int, _ columns: Int,
        _ output: UnsafeMutableRawBufferPointer, _ rowOrder: [Int]?
    ) {
        let size = MemoryLayout<S.Storage>.size
        let dst = output.bindMemory(to: D.Storage.self)
        forEachTile(rows, columns) { r0, r1, c0, c1 in
            for c in c0..<c1 {
                let sourceColumn = rowOrder?[c] ?? c
                let outRow = c * rows
                for r in r0..<r1 {
                    let bits = source.loadUnaligned(fromByteOffset: (r * columns + sourceColumn) * size, as: S.Storage.self)
                    dst[outRow + r] = D.encode(S.decode(S.Storage(littleEndian: bits))).littleEndian
                }
            }
        }
    }

    @inline(__always)
    private static func forEachTile(_ rows: Int, _ columns: Int, _ body: (Int, Int, Int, Int) -> Void) {
        for c0 in stride(from: 0, to: columns, by: tile) {
            for r0 in stride(from: 0, to: rows, by: tile) {
                body(r0, min(r0 + tile, rows), c0, min(c0 + tile, columns))
            }
        }
    }
}

/// A float storage format: its bits and conversions to and from `Float`.
protocol ElementCodec {
    associatedtype Storage: FixedWidthInteger
    static func decode(_ bits: Storage) -> Float
    static func encode(_ value: Float) -> Storage
}

enum F32: ElementCodec {
    static func decode(_ bits: UInt32) -> Float { Float(bitPattern: bits) }
    static func encode(_ value: Float) -> UInt32 { value.bitPattern }
}

enum F16: ElementCodec {
    static func decode(_ bits: UInt16) -> Float { FloatBits.halfToFloat(bits) }
    static func encode(_ value: Float) -> UInt16 { FloatBits.floatToHalf(value) }
}

enum BF16: ElementCodec {
    static func decode(_ bits: UInt16) -> Float { FloatBits.bfloat16ToFloat(bits) }
    static func encode(_ value: Float) -> UInt16 { FloatBits.floatToBFloat16(value) }
}
