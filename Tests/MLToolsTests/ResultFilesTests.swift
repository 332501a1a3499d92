import Evaluation
import Foundation
import Testing

@testable import MLTools

/// Result files are told by their content, found inside the roots only, and read only when they are result files.
@Suite struct ResultFilesTests {
    @Test func filesAreToldByTheirContentAndConfinedToTheRoots() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ml-results-\(UUID().uuidString)")
        let root = base.appendingPathComponent("root"), outside = base.appendingPathComponent("outside")
        defer { try? FileManager.default.removeItem(at: base) }
        for directory in [root.appendingPathComponent("runs/deep"), outside] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        let probes = try ProbeReport(results: [ProbeResult(id: "a", category: "c", passed: true, response: "")]).encodeReferenceJSON()
        try probes.write(to: root.appendingPathComponent("runs/deep/anything.json"))
        try Data(#"{"metadata": {}, "model_averages": {"m": {"lek_score": 1}}, "per_prompt": {}}"#.utf8)
            .write(to: root.appendingPathComponent("runs/s.json"))
        try Data(#"{"model": "x"}"#.utf8).write(to: root.appendingPathComponent("config.json"))
        try Data("<html><head><meta name=\"generator\" content=\"swift-ml report\"></head></html>".utf8)
            .write(to: root.appendingPathComponent("r.html"))
        try Data("<html>other</html>".utf8).write(to: root.appendingPathComponent("other.html"))
        try probes.write(to: outside.appendingPathComponent("secret.json"))
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link"), withDestinationURL: outside)
        try Data(".".utf8).write(to: root.appendingPathComponent(".hidden.json"))

        let files = ResultFiles(roots: try FileRoots([root.path]))
        let found = Dictionary(uniqueKeysWithValues: files.list().map { (($0.path as NSString).lastPathComponent, $0.kind) })
        #expect(found == ["anything.json": .probeFile, "s.json": .scoreFile, "r.html": .report])
        #expect(files.latestReport()?.path.hasSuffix("/r.html") == true)
        let read = try files.read(uri: ResultFiles.uri(root.appendingPathComponent("runs/s.json").path))
        #expect(read.entry.kind == .scoreFile && read.text.contains("model_averages"))
        #expect(throws: ToolError.self) { try files.read(uri: ResultFiles.uri(outside.appendingPathComponent("secret.json").path)) }
        #expect(throws: ToolError.self) { try files.read(uri: ResultFiles.uri(root.appendingPathComponent("link/secret.json").path)) }
        #expect(throws: ToolError.self) { try files.read(uri: ResultFiles.uri(root.appendingPathComponent("config.json").path)) }
        #expect(throws: ToolError.self) { try files.read(uri: "https://example.com/x.json") }
    }
}
