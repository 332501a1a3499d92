import Foundation
import Inference
import InferenceTesting
import LlamaServer
import Testing

/// One model shared by the tests that only read from it (loading is cheap, but two cores are not many).
actor SharedModel {
    static let shared = SharedModel()
    private var model: LlamaServerModel?

    func get() async throws -> LlamaServerModel {
        if let model {
            if model.process?.isRunning == true { return model }
            await model.close()
        }
        let (_, path) = try RealComponents.requireServerAndModel()
        let model = try await LlamaServerModel(modelPath: path, settings: LlamaServerSettings(parallelSlots: 2))
        self.model = model
        return model
    }
}

/// Every suite that uses the real llama-server runs inside this one, one test at a time: they share a server with
/// two slots and a two-core machine, and overlapping them only measures contention.
@Suite(.serialized) struct RealServerTests {}
