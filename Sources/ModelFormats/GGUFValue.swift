/// A GGUF metadata value, of any of the format's thirteen types. Arrays are typed (see ``GGUFArray``), so a
/// 250k-entry tokenizer is one `[String]`, not 250k boxed values.
public enum GGUFValue: Sendable, Hashable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case bool(Bool)
    case string(String)
    case array(GGUFArray)
    case uint64(UInt64)
    case int64(Int64)
    case float64(Double)

    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .float32: return .float32
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        case .uint64: return .uint64
        case .int64: return .int64
        case .float64: return .float64
        }
    }

    /// The value as an `Int`, for any integer type whose value fits.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): return Int(v)
        case .int8(let v): return Int(v)
        case .uint16(let v): return Int(v)
        case .int16(let v): return Int(v)
        case .uint32(let v): return Int(v)
        case .int32(let v): return Int(v)
        case .uint64(let v): return Int(exactly: v)
        case .int64(let v): return Int(exactly: v)
        default: return nil
        }
    }

    /// The value as a `Double`, for floating-point and integer types.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        case .uint64(let v): return Double(v)
        default: return intValue.map(Double.init)
        }
    }

    public var stringValue: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    public var arrayValue: GGUFArray? {
        if case .array(let v) = self { return v }
        return nil
    }

    /// Number of elements, for an array.
    public var arrayCount: Int? { arrayValue?.count }
}

/// A typed GGUF array. Arrays of arrays may mix element types between the inner arrays, as the format allows.
public enum GGUFArray: Sendable, Hashable {
    case uint8([UInt8])
    case int8([Int8])
    case uint16([UInt16])
    case int16([Int16])
    case uint32([UInt32])
    case int32([Int32])
    case float32([Float])
    case bool([Bool])
    case string([String])
    case array([GGUFArray])
    case uint64([UInt64])
    case int64([Int64])
    case float64([Double])

    public var elementType: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .float32: return .float32
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        case .uint64: return .uint64
        case .int64: return .int64
        case .float64: return .float64
        }
    }

    public var count: Int {
        switch self {
        case .uint8(let v): return v.count
        case .int8(let v): return v.count
        case .uint16(let v): return v.count
        case .int16(let v): return v.count
        case .uint32(let v): return v.count
        case .int32(let v): return v.count
        case .float32(let v): return v.count
        case .bool(let v): return v.count
        case .string(let v): return v.count
        case .array(let v): return v.count
        case .uint64(let v): return v.count
        case .int64(let v): return v.count
        case .float64(let v): return v.count
        }
    }

    /// Element `index` as a ``GGUFValue``.
    public subscript(index: Int) -> GGUFValue {
        switch self {
        case .uint8(let v): return .uint8(v[index])
        case .int8(let v): return .int8(v[index])
        case .uint16(let v): return .uint16(v[index])
        case .int16(let v): return .int16(v[index])
        case .uint32(let v): return .uint32(v[index])
        case .int32(let v): return .int32(v[index])
        case .float32(let v): return .float32(v[index])
        case .bool(let v): return .bool(v[index])
        case .string(let v): return .string(v[index])
        case .array(let v): return .array(v[index])
        case .uint64(let v): return .uint64(v[index])
        case .int64(let v): return .int64(v[index])
        case .float64(let v): return .float64(v[index])
        }
    }

    /// All elements as ``GGUFValue``s.
    public var values: [GGUFValue] { (0..<count).map { self[$0] } }

    /// The elements as strings, for a string array.
    public var strings: [String]? {
        if case .string(let v) = self { return v }
        return nil
    }

    /// The elements as `Int`s, for an integer array whose values all fit.
    public var ints: [Int]? {
        var result: [Int] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let v = self[index].intValue else { return nil }
            result.append(v)
        }
        return result
    }
}
