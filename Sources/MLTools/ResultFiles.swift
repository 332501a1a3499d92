import Foundation
import Report

/// The result files inside the roots that MCP serves as resources: score files, probe-result files and HTML
/// reports, told apart by their content (a score file's `model_averages`, a probe-result file's `by_category`, a
/// report's generator tag), so files named anything are found. The walk is bounded, skips hidden directories, and
/// never follows a symbolic link out of the roots.
public struct ResultFiles: Sendable {
    public enum Kind: String, Sendable, Hashable {
        case scoreFile = "score file", probeFile = "probe-result file", report = "report"

        public var mimeType: String { self == .report ? "text/html" : "application/json" }
    }

    public struct Entry: Sendable, Hashable {
        /// Canonical, inside a root.
        public var path: String
        public var kind: Kind
        public var size: Int
        public var modified: Date
    }

    /// The URI of the newest report.
    public static let latestReportURI = "swift-ml://report/latest"
    /// Files listed at most (newest first), directories deep at most, bytes read at most.
    public static let maxEntries = 500
    public static let maxDepth = 4
    public static let maxReadBytes = 32 << 20
    /// Bytes read to tell a file's kind: a score file's and a probe-result file's telling key comes first (keys
    /// are sorted: `model_averages` before `per_prompt`, `by_category` before `probes`).
    static let sniffBytes = 64 << 10

    public var roots: FileRoots

    public init(roots: FileRoots) { self.roots = roots }

    /// Every result file found, newest first.
    public func list() -> [Entry] {
        var found: [Entry] = []
        var visited = 0
        for root in roots.directories { walk(root, depth: 0, into: &found, visited: &visited) }
        return Array(found.sorted { ($0.modified, $0.path) > ($1.modified, $1.path) }.prefix(Self.maxEntries))
    }

    /// The newest report, if any.
    public func latestReport() -> Entry? { list().first { $0.kind == .report } }

    /// The text of the result file `uri` names (a `file:` URI inside the roots, or ``latestReportURI``).
    public func read(uri: String) throws -> (entry: Entry, text: String) {
        let entry: Entry
        if uri == Self.latestReportURI {
            guard let latest = latestReport() else { throw ToolError(.failed, "no report has been written inside the roots yet") }
            entry = latest
        } else {
            guard let url = URL(string: uri), url.isFileURL else {
                throw ToolError(.invalidArgument, "'\(uri)' is not a result file's URI (file:///… or \(Self.latestReportURI))")
            }
            let path = try roots.resolve(url.path)
            guard let kind = Self.kind(of: path), let found = Self.entry(path, kind: kind) else {
                throw ToolError(.invalidArgument, "'\(uri)' is not a score file, probe-result file or report")
            }
            entry = found
        }
        guard entry.size <= Self.maxReadBytes else {
            throw ToolError(.failed, "\(entry.path) holds \(entry.size) bytes; resources are read up to \(Self.maxReadBytes)")
        }
        guard let data = FileManager.default.contents(atPath: entry.path) else { throw ToolError(.failed, "cannot read \(entry.path)") }
        return (entry, String(decoding: data, as: UTF8.self))
    }

    /// The `file:` URI of a path.
    public static func uri(_ path: String) -> String { URL(fileURLWithPath: path).absoluteString }

    private func walk(_ directory: String, depth: Int, into found: inout [Entry], visited: inout Int) {
        guard depth <= Self.maxDepth, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names.sorted() where !name.hasPrefix(".") {
            // Bounds the walk in a root holding a whole home directory.
            visited += 1
            guard visited <= 20_000 else { return }
            let path = (directory as NSString).appendingPathComponent(name)
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                walk(path, depth: depth + 1, into: &found, visited: &visited)
            case S_IFREG:
                if let kind = Self.kind(of: path), let entry = Self.entry(path, kind: kind) { found.append(entry) }
            default:
                continue
            }
        }
    }

    static func entry(_ path: String, kind: Kind) -> Entry? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return Entry(path: path, kind: kind, size: (attributes[.size] as? Int) ?? 0,
                     modified: (attributes[.modificationDate] as? Date) ?? .distantPast)
    }

    /// What a file is, from its name's extension and its first bytes.
    static func kind(of path: String) -> Kind? {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ext == "json" || ext == "html", let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: sniffBytes) else { return nil }
        let text = String(decoding: head, as: UTF8.self)
        if ext == "html" { return text.contains("<meta name=\"generator\" content=\"\(ReportPage.generator)\">") ? .report : nil }
        guard text.first(where: { !$0.isWhitespace }) == "{" else { return nil }
        if text.contains("\"model_averages\"") { return .scoreFile }
        if text.contains("\"by_category\"") { return .probeFile }
        return nil
    }
}
