import Foundation
@testable import ModelFormats
import Testing

@Suite struct InspectTests {
    @Test func reportsGGUFAndSafetensorsWithoutTensorData() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let gguf = dir.file("m.gguf")
        try GGUFWriter.write(
            path: gguf,
            metadata: [
                GGUFKeyValue("general.architecture", .string("llama")),
                GGUFKeyValue("tokenizer.ggml.tokens", .array(.string((0..<1000).map { "tok\($0)" }))),
                GGUFKeyValue("tokenizer.chat_template", .string(String(repeating: "{% x %}\n", count: 100))),
            ],
            tensors: [(.init(name: "blk.0.attn_q.weight", dimensions: [4, 2], type: .f32), [UInt8](repeating: 0xAB, count: 32))]
        )
        let report = try ModelFileReport.report(path: gguf)
        #expect(report.contains("GGUF v3"))
        #expect(report.contains(#"["tok0", "tok1", "tok2", "tok3", "tok4", … (1000 items)]"#))
        #expect(!report.contains("tok999"))
        #expect(report.contains(#""{% x %}\n"#), "newlines escaped")
        #expect(report.contains("(800 bytes)"), "long strings abbreviated")
        #expect(report.contains("blk.0.attn_q.weight  F32   [4, 2]"))

        let st = dir.file("m.safetensors")
        try SafetensorsWriter.write(path: st, metadata: ["format": "pt"], tensors: [(.init(name: "w", dtype: .bf16, shape: [2, 3]), [UInt8](repeating: 1, count: 12))])
        let stReport = try ModelFileReport.report(path: st)
        #expect(stReport.contains("safetensors"))
        #expect(stReport.contains(#"format  "pt""#))
        #expect(stReport.contains("w     BF16   [2, 3]"))

        let junk = dir.file("junk.bin")
        try Data("hello world, not a model".utf8).write(to: URL(fileURLWithPath: junk))
        #expect(errorCode { _ = try ModelFileReport.report(path: junk) } == .invalidMagic)
    }
}
