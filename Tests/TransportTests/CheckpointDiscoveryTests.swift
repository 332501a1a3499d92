import Foundation
import Testing

@testable import Transport
@testable import Agent

@Suite struct CheckpointDiscoveryTests {
    @Test func discoversThroughLocalTransport() async throws {
        let tree = try CheckpointTree()
        defer { tree.remove() }
        try await DiscoveryChecks.verify(LocalTransport(), tree: tree)
    }

    @Test(
        arguments: [
            ("0000100_adapters.safetensors", "0000100"),
            ("adapters.safetensors", nil),
            ("step-12_adapters.safetensors", "12"),
            ("v2-0000300_adapters.safetensors", "2"),
            ("\u{0663}_adapters.safetensors", nil),  // Arabic-Indic digit three: not ASCII
        ] as [(String, String?)]
    )
    func iterationIsTheFirstRunOfASCIIDigits(_ name: String, _ digits: String?) {
        #expect(CheckpointDiscovery.firstDigits(in: name) == digits)
    }

    @Test func adapterDirectlyInTheBaseIsNamedAfterTheBase() throws {
        let discovery = CheckpointDiscovery(transport: LocalTransport(), families: try ModelFamilyMap.default())
        let checkpoint = try #require(
            discovery.checkpoint(
                file: "/data/smollm2-135m-x/0000100_adapters.safetensors",
                base: "/data/smollm2-135m-x"
            )
        )
        #expect(checkpoint.dirname == "smollm2-135m-x")
        #expect(checkpoint.label == "S135-x @0000100")
        #expect(
            discovery.checkpoint(file: "/data/run/99999999999999999999999_adapters.safetensors", base: "/data") == nil
        )
    }

    /// A transport that lists fixed paths: discovery's derivation without a file system.
    struct ListingTransport: RemoteTransport {
        var files: [String]
        var description: String { "fixed" }
        func run(_ arguments: [String]) async throws -> String { "" }
        func download(remotePath: String, to localURL: URL) async throws {}
        func upload(_ localURL: URL, to remotePath: String) async throws {}
        func listFiles(under base: String, suffix: String, maxDepth: Int) async throws -> [String] { files }
    }

    @Test func sortsByDirnameThenIteration() async throws {
        let transport = ListingTransport(files: [
            "/b/r2/10_adapters.safetensors", "/b/r1/200_adapters.safetensors", "/b/r1/30_adapters.safetensors",
            "/b/r1/adapters.safetensors",
        ])
        let found = try await CheckpointDiscovery(transport: transport, families: ModelFamilyMap(families: []))
            .discover(under: "/b")
        #expect(found.map(\.label) == ["r1 @30", "r1 @200", "r2 @10"])
        #expect(found.map(\.runID) == ["r1-capability-auto", "r1-capability-auto", "r2-capability-auto"])
    }
}
