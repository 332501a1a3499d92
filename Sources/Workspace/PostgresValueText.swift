import Foundation
import PostgresNIO

/// A result cell of a user's query as exact text where PostgreSQL's binary form has no exact `SQLValue`:
/// `numeric` digit for digit (not a double), `timestamptz`, `timestamp` and `date` as PostgreSQL prints them
/// (UTC, microseconds), other types through their text decoding.
enum PostgresValueText {
    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard var bytes = cell.bytes else { return .null }
        switch cell.dataType {
        case .numeric:
            guard let text = numeric(&bytes) else { break }
            return .text(text)
        case .timestamptz, .timestamp:
            guard let micros = bytes.readInteger(as: Int64.self) else { break }
            return .text(timestamp(micros) + (cell.dataType == .timestamptz ? "+00" : ""))
        case .date:
            guard let days = bytes.readInteger(as: Int32.self) else { break }
            return .text(String(timestamp(Int64(days) * 86_400_000_000).prefix(10)))
        default:
            return try PostgresWorkspace.Transaction.value(cell)
        }
        return .text("<\(cell.dataType)>")
    }

    /// PostgreSQL's binary `numeric` (base-10000 digit groups, a weight and a display scale) as PostgreSQL
    /// prints it: `1.50` stays `1.50`, any number of digits.
    static func numeric(_ bytes: inout ByteBuffer) -> String? {
        guard let count = bytes.readInteger(as: Int16.self), let weight = bytes.readInteger(as: Int16.self),
              let sign = bytes.readInteger(as: UInt16.self), let scale = bytes.readInteger(as: Int16.self)
        else { return nil }
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        default: break
        }
        var groups: [Int16] = []
        for _ in 0..<max(0, Int(count)) {
            guard let group = bytes.readInteger(as: Int16.self) else { return nil }
            groups.append(group)
        }
        func group(_ index: Int) -> Int16 { index >= 0 && index < groups.count ? groups[index] : 0 }
        var text = sign == 0x4000 ? "-" : ""
        if weight < 0 {
            text += "0"
        } else {
            text += String(group(0))
            for index in stride(from: 1, through: Int(weight), by: 1) { text += String(format: "%04d", group(index)) }
        }
        if scale > 0 {
            var fraction = ""
            var index = Int(weight) + 1
            while fraction.count < Int(scale) {
                fraction += String(format: "%04d", group(index))
                index += 1
            }
            text += "." + fraction.prefix(Int(scale))
        }
        return text
    }

    /// Microseconds since 2000-01-01 00:00 UTC as `YYYY-MM-DD HH:MM:SS[.ffffff]`.
    static func timestamp(_ micros: Int64) -> String {
        let seconds = micros.floorDivided(by: 1_000_000)
        let fraction = micros - seconds * 1_000_000
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: 946_684_800 + TimeInterval(seconds))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        var text = String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        if fraction != 0 {
            var digits = String(format: "%06lld", fraction)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (times before 2000 have negative microseconds).
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
