import Foundation
import Inference
import InferenceTesting
import Testing

@testable import MLXServer

extension RealMLXServerTests {
    /// A model directory that passes the layout check but cannot be loaded: mlx_lm.server binds its port, its
    /// generation thread dies loading the model, and `/health` answers 503 from then on. The start fails within
    /// seconds with the Python exception, not at the health deadline.
    @Suite struct MLXCorruptModelTests {
        /// A corrupt copy of the real MLX model: every file linked to the original but the one corrupted.
        struct CorruptCopy: Sendable {
            let name: String
            /// The file the copy has of its own.
            let file: String
            let corrupt: @Sendable (_ original: String, _ copy: String) throws -> Void
            /// What the error must quote from the Python exception.
            let expected: String
        }

        static let copies: [CorruptCopy] = [
            CorruptCopy(name: "truncated-config", file: "config.json", corrupt: { original, copy in
                let data = try Data(contentsOf: URL(fileURLWithPath: original + "/config.json"))
                try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: copy + "/config.json"))
            }, expected: "JSONDecodeError"),
            CorruptCopy(name: "garbage-safetensors-header", file: "model.safetensors", corrupt: { _, copy in
                // A header length of 2^40 bytes followed by garbage.
                var bytes: [UInt8] = [0, 0, 0, 0, 0, 1, 0, 0]
                bytes += Array("{not json at all".utf8)
                try Data(bytes).write(to: URL(fileURLWithPath: copy + "/model.safetensors"))
            }, expected: "load_safetensors"),
            CorruptCopy(name: "wrong-hidden-size", file: "config.json", corrupt: { original, copy in
                let data = try Data(contentsOf: URL(fileURLWithPath: original + "/config.json"))
                guard var config = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let hidden = config["hidden_size"] as? Int
                else { throw CocoaError(.fileReadCorruptFile) }
                config["hidden_size"] = hidden - 64
                try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: copy + "/config.json"))
            }, expected: "shape"),
        ]

        /// Links every file of `original` into a new directory, except the one `corrupt` writes.
        static func makeCopy(_ copy: CorruptCopy, of original: String, in directory: String) throws -> String {
            let path = directory + "/" + copy.name
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: original) where file != copy.file {
                try FileManager.default.createSymbolicLink(atPath: path + "/" + file, withDestinationPath: original + "/" + file)
            }
            try copy.corrupt(original, path)
            return path
        }

        @Test func aModelThatFailsToLoadFailsTheStartWithinSecondsWithThePythonError() async throws {
            let original = MLXServerSettings.defaultModel()
            guard FileManager.default.fileExists(atPath: original + "/config.json") else {
                throw InferenceError(.modelNotFound, "the real MLX model \(original) is missing: run scripts/setup")
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlx-corrupt-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let paths = try Self.copies.map { try Self.makeCopy($0, of: original, in: directory) }
            // The three servers start side by side: one wait instead of three.
            let outcomes = await withTaskGroup(of: (Int, Duration, (any Error)?).self) { group in
                for (index, path) in paths.enumerated() {
                    group.addTask {
                        let started = ContinuousClock.now
                        do {
                            let settings = MLXServerSettings(parallelSlots: 1, healthDeadline: .seconds(60))
                            let model = try await MLXServerModel(modelPath: path, settings: settings)
                            await model.close()
                            return (index, ContinuousClock.now - started, nil)
                        } catch {
                            return (index, ContinuousClock.now - started, error)
                        }
                    }
                }
                var outcomes: [(Int, Duration, (any Error)?)] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes.sorted { $0.0 < $1.0 }
            }
            for (index, elapsed, error) in outcomes {
                let copy = Self.copies[index]
                let failure = try #require(error as? InferenceError, "\(copy.name) started: \(String(describing: error))")
                print("\(copy.name): failed after \(elapsed): \(failure.message.split(separator: "\n").last ?? "")")
                #expect(elapsed < .seconds(30), "\(copy.name) took \(elapsed)")
                #expect(failure.code == .serverError, "\(copy.name): \(failure)")
                #expect(failure.message.contains(copy.expected), "\(copy.name): \(failure.message)")
                #expect(failure.message.contains("failed to start"), "\(copy.name): \(failure.message)")
            }
        }
    }
}
