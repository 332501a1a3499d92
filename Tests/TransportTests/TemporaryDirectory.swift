import Foundation

/// A fresh directory under the system temporary directory; `remove()` deletes it with everything in it.
struct TemporaryDirectory: Sendable {
    let url: URL
    var path: String { url.path }

    init(_ label: String = "transport-tests") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Writes `data` at `relative` below the directory, creating the directories on the way; returns the full path.
    @discardableResult
    func write(_ relative: String, _ data: Data = Data("x".utf8)) throws -> String {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try data.write(to: file)
        return file.path
    }

    /// Every entry below the directory (relative paths), for "nothing was created" checks.
    func allEntries() -> [String] {
        (FileManager.default.subpaths(atPath: path) ?? []).sorted()
    }
}

/// Bytes that exercise a copy: every byte value, in a pseudo-random order, `count` long.
func testBytes(count: Int, seed: UInt64 = 42) -> Data {
    var state = seed
    var data = Data(capacity: count)
    for _ in 0..<count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        data.append(UInt8(truncatingIfNeeded: state >> 56))
    }
    return data
}
