import ArgumentParser
import Configuration

/// An options group whose options are settings, resolved with the environment and a configuration file by
/// ``AgentSettings``. Each option is declared once, as a property: its key is its long flag name — argument parser's
/// default name for the property (`maxTokens` → `--max-tokens`), so these properties never rename their flag — and
/// its type is what swift-configuration receives (``SettingValue``). Nested `@OptionGroup`s of this kind are included.
protocol SettingOptions: ParsableArguments {}

extension SettingOptions {
    /// The options given on the command line, by key, as typed configuration values; an option not given is absent.
    var given: [String: ConfigValue] {
        var values: [String: ConfigValue] = [:]
        for child in Mirror(reflecting: self).children {
            guard let label = child.label, let option = child.value as? any GivenSetting else { continue }
            // A property wrapper's storage is named after the property with a leading underscore.
            option.collect(key: Self.flagName(label.hasPrefix("_") ? String(label.dropFirst()) : label), into: &values)
        }
        return values
    }

    /// Argument parser's default long name of a property: its camel-case words in lower case joined by `-`, an
    /// acronym kept as one word (`judgeURL` → `judge-url`, `influxDB` → `influx-db`, `trainingRunID` →
    /// `training-run-id`).
    static func flagName(_ property: String) -> String {
        let characters = Array(property)
        var name = ""
        var splitAtUppercase = true
        for (index, character) in characters.enumerated() {
            if character.isUppercase {
                if splitAtUppercase, !name.isEmpty { name += "-" }
                // Inside an acronym, the next word starts at its last capital ("URLSession" → "url-session").
                splitAtUppercase = index + 2 < characters.count && characters[index + 1].isUppercase
                    && characters[index + 2].isLowercase
            } else {
                splitAtUppercase = character != "-"
            }
            name += character.lowercased()
        }
        return name
    }
}

/// A property of a ``SettingOptions`` group that may hold given settings: an `@Option` or `@Flag` of a
/// ``SettingValue``, or a nested group.
protocol GivenSetting {
    func collect(key: String, into values: inout [String: ConfigValue])
}

extension Option: GivenSetting where Value: SettingValue {
    func collect(key: String, into values: inout [String: ConfigValue]) {
        if let content = wrappedValue.configContent { values[key] = ConfigValue(content, isSecret: false) }
    }
}

extension Flag: GivenSetting where Value: SettingValue {
    func collect(key: String, into values: inout [String: ConfigValue]) {
        if let content = wrappedValue.configContent { values[key] = ConfigValue(content, isSecret: false) }
    }
}

extension OptionGroup: GivenSetting where Value: SettingOptions {
    func collect(key: String, into values: inout [String: ConfigValue]) {
        values.merge(wrappedValue.given) { first, _ in first }
    }
}
