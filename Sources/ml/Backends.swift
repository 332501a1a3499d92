import Foundation
import Inference

/// The backends the `ml` command knows.
enum Backends {
    static func registry() -> BackendRegistry {
        BackendRegistry([])
    }
}
