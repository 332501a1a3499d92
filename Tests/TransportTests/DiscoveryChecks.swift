import Foundation
import Testing

@testable import Transport
@testable import Agent

/// What discovery must find in a ``CheckpointTree`` through any transport; shared by the local and ssh tests.
enum DiscoveryChecks {
    static func verify(_ transport: any RemoteTransport, tree: CheckpointTree) async throws {
        let discovery = CheckpointDiscovery(transport: transport, families: try ModelFamilyMap.default())
        let all = try await discovery.discover(under: tree.base)
        let hostileNames = Set(tree.hostile.names)

        // The ordinary runs, in (dirname, iteration) order, with everything derived from them.
        let ordinary = all.filter { !hostileNames.contains($0.dirname) }
        #expect(ordinary.map(\.dirname) == CheckpointTree.expected.map(\.dirname))
        #expect(ordinary.map(\.iteration) == CheckpointTree.expected.map(\.iteration))
        for (checkpoint, expected) in zip(ordinary, CheckpointTree.expected) {
            #expect(checkpoint.directory == tree.base + "/" + expected.dirname)
            #expect(checkpoint.adapterFile == checkpoint.directory + "/\(expected.digits)_adapters.safetensors")
            #expect(checkpoint.configFile == checkpoint.directory + "/adapter_config.json")
            #expect(checkpoint.label.hasSuffix(" @" + expected.digits))
        }
        let lek = try #require(ordinary.first { $0.dirname == "smollm2-135m-lek" })
        #expect(lek.label == "S135-lek @0000100")
        #expect(lek.runID == "smollm2-135m-lek-capability-auto")
        #expect(lek.family == ModelFamily(prefix: "smollm2-135m", tag: "smollm2-135m", short: "S135-lek"))
        let foo = try #require(ordinary.first { $0.dirname == "adapters-27b-foo" })
        #expect(foo.label == "G27-foo @0001000")
        #expect(foo.runID == "27b-foo-capability-auto")
        #expect(foo.family.tag == "gemma-3-27b")
        let nested = try #require(ordinary.first { $0.dirname == "smollm2-360m/run/sub" })
        #expect(nested.label == "S360-/run/sub @000100")
        #expect(nested.runID == "smollm2-360m-run-sub-capability-auto")

        // Every hostile run is found under its exact name, as an unknown family, and nothing ran.
        let hostile = all.filter { hostileNames.contains($0.dirname) }
        #expect(hostile.map(\.dirname) == tree.hostile.names.sorted())
        for checkpoint in hostile {
            #expect(checkpoint.iteration == 10)
            #expect(checkpoint.family.tag == checkpoint.dirname)
            #expect(checkpoint.adapterFile == tree.base + "/" + checkpoint.dirname + "/0000010_adapters.safetensors")
        }
        #expect(all.count == CheckpointTree.expected.count + tree.hostile.names.count)

        // The filter is a case-insensitive substring of dirname.
        let filtered = try await discovery.discover(under: tree.base, filter: "SMOLLM2-135M")
        #expect(filtered.map(\.iteration) == [100, 200, 1200])
        #expect(try await discovery.discover(under: tree.base, filter: "'b").map(\.dirname) == ["a'b"])
        #expect(try await discovery.discover(under: tree.base, filter: "no such run").isEmpty)
        #expect(try await discovery.discover(under: tree.base + "/", filter: "").count == all.count)

        // Shallower search: the nested run (depth 4) is out of reach.
        let shallow = CheckpointDiscovery(transport: transport, families: try ModelFamilyMap.default(), maxDepth: 3)
        #expect(try await !shallow.discover(under: tree.base).contains { $0.dirname == "smollm2-360m/run/sub" })

        // A hostile name as the base itself works too.
        let hostileBase = tree.base + "/" + tree.hostile.names[0]
        let inHostile = try await discovery.discover(under: hostileBase)
        #expect(inHostile.map(\.dirname) == [tree.hostile.names[0]])

        let missing = await #expect(throws: TransportError.self) {
            try await discovery.discover(under: tree.base + "/missing $(touch X-\(tree.hostile.tag))")
        }
        #expect(missing?.code == .notFound)

        let searched = HostileNames.likelyWorkingDirectories + [tree.base]
        #expect(tree.hostile.sentinelsFound(in: searched).isEmpty, "a hostile name was executed")
    }
}
