import Foundation
@testable import ModelFormats
import Testing

/// Seeded mutations of small valid files: every parse must return or throw a `ModelFormatError`, never crash,
/// hang or throw anything else.
@Suite struct FuzzTests {
    static let iterations = 4000

    static let interesting: [UInt64] = [
        0, 1, 0x7F, 0xFF, 0xFFFF, 0xFFFF_FFFF, 1 << 31, 1 << 32, 1 << 40, 1 << 62, UInt64(Int64.max), UInt64.max, UInt64.max - 7,
    ]

    static func mutate(_ bytes: inout [UInt8], _ rng: inout SeededRandom) {
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            guard !bytes.isEmpty else { return }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            case 2: bytes.removeSubrange(Int.random(in: 0..<bytes.count, using: &rng)...)
            case 3:
                // A huge or boundary value over a (likely) count, length or offset field.
                let value = interesting.randomElement(using: &rng)!
                let width = [1, 2, 4, 8].randomElement(using: &rng)!
                withUnsafeBytes(of: value.littleEndian) { raw in
                    for i in 0..<width where at + i < bytes.count { bytes[at + i] = raw[i] }
                }
            case 4: bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            case 5: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &rng)))
            default:
                let length = min(Int.random(in: 1...32, using: &rng), bytes.count - at)
                bytes.insert(contentsOf: bytes[at..<(at + length)], at: Int.random(in: 0...bytes.count, using: &rng))
            }
        }
    }

    static func ggufSeeds() throws -> [[UInt8]] {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("seed.gguf")
        try GGUFWriter.write(path: path, metadata: GGUFRoundTripTests.metadata, tensors: GGUFRoundTripTests.tensors)
        return [ByteBuilder.smallGGUF(), try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))]
    }

    @Test func mutatedGGUFNeverCrashes() throws {
        var rng = SeededRandom(seed: 0x6767_7566)
        let seeds = try Self.ggufSeeds()
        var parsed = 0
        for iteration in 0..<Self.iterations {
            var bytes = seeds[iteration % seeds.count]
            Self.mutate(&bytes, &rng)
            do {
                let file = try parseGGUF(bytes)
                _ = file.summary
                _ = ModelFileReport.report(gguf: file, path: "fuzz")
                parsed += 1
            } catch is ModelFormatError {
            } catch {
                Issue.record("iteration \(iteration): unexpected \(error)")
            }
            do {
                try bytes.withUnsafeBytes { raw in
                    var parser = GGUFParser(bytes: raw, limits: GGUFLimits())
                    _ = try parser.findStringValue(forKey: "general.architecture")
                }
            } catch is ModelFormatError {
            } catch {
                Issue.record("iteration \(iteration): architecture probe threw \(error)")
            }
        }
        #expect(parsed > 0 && parsed < Self.iterations, "\(parsed) mutants parsed")
    }

    @Test func mutatedSafetensorsNeverCrashes() throws {
        var rng = SeededRandom(seed: 0x5AFE)
        let seeds = [
            ByteBuilder.smallSafetensors(),
            ByteBuilder.safetensors(
                json: #"{"__metadata__":{"a":"\u00e9\n"},"x":{"dtype":"U64","shape":[1,1],"data_offsets":[0,8]},"y":{"dtype":"BOOL","shape":[],"data_offsets":[8,9]}}    "#,
                dataSize: 9
            ),
        ]
        var parsed = 0
        for iteration in 0..<Self.iterations {
            var bytes = seeds[iteration % seeds.count]
            Self.mutate(&bytes, &rng)
            // Also splice huge numbers into the JSON text.
            if iteration % 4 == 0, let digit = bytes.indices.dropFirst(8).filter({ (0x30...0x39).contains(bytes[$0]) }).randomElement(using: &rng) {
                bytes.insert(contentsOf: Array("99999999999999999999".utf8), at: digit)
            }
            do {
                let file = try parseSafetensors(bytes)
                _ = ModelFileReport.report(safetensors: file, path: "fuzz")
                parsed += 1
            } catch is ModelFormatError {
            } catch {
                Issue.record("iteration \(iteration): unexpected \(error)")
            }
        }
        #expect(parsed > 0 && parsed < Self.iterations, "\(parsed) mutants parsed")
    }
}
