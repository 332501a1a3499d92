import ArgumentParser
import Configuration

/// A setting option's value as swift-configuration receives it; `nil` when the option was not given (so settings
/// options are optional: a default would hide the lower layers).
protocol SettingValue {
    var configContent: ConfigContent? { get }
}

/// A given setting option's value.
protocol SettingScalar {
    var settingContent: ConfigContent { get }
}

extension Optional: SettingValue where Wrapped: SettingScalar {
    var configContent: ConfigContent? { self?.settingContent }
}

extension String: SettingScalar {
    var settingContent: ConfigContent { .string(self) }
}

extension Bool: SettingScalar {
    var settingContent: ConfigContent { .bool(self) }
}

/// A number type a setting option can hold.
protocol SettingNumber: LosslessStringConvertible {
    var numberContent: ConfigContent { get }
}

extension Int: SettingNumber {
    var numberContent: ConfigContent { .int(self) }
}

extension Double: SettingNumber {
    var numberContent: ConfigContent { .double(self) }
}

/// A number option: passed on as the number when its text is one, else as the text. Why not a plain `Int?` option:
/// argument parser would refuse "x" with its own message, and a setting's bad value is named the same way in every
/// layer ("max-tokens must be a whole number ≥ 1, not "x"", whether from a flag, a variable or the file).
struct NumberArgument<Number: SettingNumber>: ExpressibleByArgument, SettingScalar, Sendable {
    var text: String

    init(argument: String) { text = argument }

    var settingContent: ConfigContent { Number(text)?.numberContent ?? .string(text) }
}
