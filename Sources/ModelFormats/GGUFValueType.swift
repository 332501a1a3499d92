/// The type tags of GGUF metadata values.
public enum GGUFValueType: UInt32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case uint8 = 0, int8, uint16, int16, uint32, int32, float32, bool, string, array, uint64, int64, float64

    /// Size in bytes of a fixed-size value; `nil` for strings and arrays.
    public var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .string, .array: return nil
        }
    }

    /// Fewest bytes one value of this type takes in a file (a string's length, an array's type and count).
    var minimumSize: Int { fixedSize ?? (self == .string ? 8 : 12) }

    public var description: String {
        switch self {
        case .uint8: return "u8"
        case .int8: return "i8"
        case .uint16: return "u16"
        case .int16: return "i16"
        case .uint32: return "u32"
        case .int32: return "i32"
        case .float32: return "f32"
        case .bool: return "bool"
        case .string: return "string"
        case .array: return "array"
        case .uint64: return "u64"
        case .int64: return "i64"
        case .float64: return "f64"
        }
    }
}
