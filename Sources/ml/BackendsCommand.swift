import ArgumentParser
import Inference

struct BackendsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backends",
        abstract: "List the registered backends and whether each is available on this machine."
    )

    func run() {
        let registry = Backends.registry()
        let width = max(8, registry.all.map(\.name.count).max() ?? 0)
        for backend in registry.all {
            let name = backend.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(name)  \(backend.unavailableReason.map { "not available: \($0)" } ?? "available")")
        }
    }
}
