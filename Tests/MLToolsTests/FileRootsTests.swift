import Foundation
import Testing

@testable import MLTools

/// Paths from a client stay inside the allowed directories, whatever `..`, absolute paths or links they use.
@Suite struct FileRootsTests {
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ml-roots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("inside/sub"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("outside"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: url.appendingPathComponent("inside/sub/a.json"))
        try Data("secret".utf8).write(to: url.appendingPathComponent("outside/secret.json"))
        return url
    }

    @Test func relativeAndAbsolutePathsInsideResolve() throws {
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: base) }
        let roots = try FileRoots([base.appendingPathComponent("inside").path])
        let root = roots.directories[0]
        #expect(try roots.resolve("sub/a.json") == root + "/sub/a.json")
        #expect(try roots.resolve(root + "/sub/a.json") == root + "/sub/a.json")
        #expect(try roots.resolve("sub/../sub/./a.json") == root + "/sub/a.json")
        // An output that does not exist yet: its directory must.
        #expect(try roots.resolve("sub/new.html") == root + "/sub/new.html")
        #expect(throws: ToolError.self) { try roots.resolve("missing-dir/new.html") }
    }

    @Test func escapesAreRefusedNamingTheRoots() throws {
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: base) }
        let inside = base.appendingPathComponent("inside").path
        let roots = try FileRoots([inside])
        try FileManager.default.createSymbolicLink(atPath: inside + "/link", withDestinationPath: base.appendingPathComponent("outside").path)
        try FileManager.default.createSymbolicLink(atPath: inside + "/file-link.json",
                                                   withDestinationPath: base.appendingPathComponent("outside/secret.json").path)
        for path in ["../outside/secret.json", base.appendingPathComponent("outside/secret.json").path, "link/secret.json",
                     "file-link.json", "link/new.json", "/etc/passwd", "sub/../../outside/secret.json"] {
            do {
                _ = try roots.resolve(path)
                Issue.record("\(path) resolved")
            } catch let error as ToolError {
                #expect(error.code == .outsideRoot, "\(path)")
                #expect(error.message.contains(roots.directories[0]), "\(error.message)")
            }
        }
        // A root that is a prefix of another directory's name does not admit it (inside vs inside-other).
        try FileManager.default.createDirectory(atPath: inside + "-other", withIntermediateDirectories: true)
        #expect(throws: ToolError.self) { try roots.resolve(inside + "-other") }
        #expect(throws: ToolError.self) { try roots.resolve("") }
        #expect(throws: ToolError.self) { try FileRoots([base.appendingPathComponent("nope").path]) }
    }
}
