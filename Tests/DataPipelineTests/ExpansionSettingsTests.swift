import Crypto
import DataPipeline
import Foundation
import Inference
import Testing

/// The recorded sampler settings are stored with every answer and identify the settings a run used, so their bytes
/// (and their hash) must not change: these strings were written by the `JSONSerialization` version before it became
/// Codable.
@Suite struct ExpansionSettingsTests {
    @Test func theDefaultSettingsAreRecordedAsBefore() {
        let recorded = ExpansionSettings().recordedSettings
        #expect(recorded == #"{"max_tokens":2048,"temperature":0.7}"#)
        #expect(Self.sha256(recorded) == "81f30757721d01c66018ec98bb35f40db054e4acb68bfa2bb2682f51907506bb")
    }

    @Test func everySamplerSettingIsRecordedAsBefore() {
        let options = GenerateOptions(maxTokens: 100, temperature: 1e-7, topK: 7, topP: 0.3333333333333333, seed: 9007199254740993)
        let recorded = ExpansionSettings(options: options).recordedSettings
        #expect(recorded == #"{"max_tokens":100,"seed":9007199254740993,"temperature":1e-07,"top_k":7,"top_p":0.3333333333333333}"#)
        let whole = GenerateOptions(maxTokens: 1, temperature: 1.0, topK: 40, topP: 0.9, seed: UInt64.max)
        #expect(ExpansionSettings(options: whole).recordedSettings
            == #"{"max_tokens":1,"seed":18446744073709551615,"temperature":1,"top_k":40,"top_p":0.9}"#)
        #expect(ExpansionSettings(options: GenerateOptions()).recordedSettings == "{}")
    }

    @Test func aSettingJSONCannotHoldIsLeftOutAsBefore() {
        // JSONSerialization refused a NaN and the settings were recorded as `{}`; the Codable version does the same.
        #expect(ExpansionSettings(options: GenerateOptions(maxTokens: 5, temperature: .nan)).recordedSettings == "{}")
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
