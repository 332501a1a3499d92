import Transport
/// Finds the adapter checkpoints of training runs under a base directory, through any transport.
package struct CheckpointDiscovery: Sendable {
    /// The suffix every checkpoint file name ends with.
    package static let adapterSuffix = "adapters.safetensors"

    package let transport: any RemoteTransport
    package let families: ModelFamilyMap
    /// How deep below the base adapter files are looked for (files directly in the base are at depth 1).
    package let maxDepth: Int

    package init(transport: any RemoteTransport, families: ModelFamilyMap, maxDepth: Int = 4) {
        self.transport = transport
        self.families = families
        self.maxDepth = maxDepth
    }

    /// Every checkpoint under base: files named `*_adapters.safetensors` (e.g. 0000100_adapters.safetensors), or
    /// `adapters.safetensors`-suffixed names that contain an iteration number; iteration = first run of ASCII digits
    /// in the file name (a file with no digits, like the final `adapters.safetensors`, is not a checkpoint). `filter`
    /// (case-insensitive substring) must appear in dirname. Sorted by (dirname, iteration). Nested run directories
    /// (base/run/sub/000100_adapters.safetensors) are found.
    package func discover(under base: String, filter: String? = nil) async throws -> [Checkpoint] {
        let base = try FileListing.normalizedBase(base, maxDepth: maxDepth)
        let files = try await transport.listFiles(under: base, suffix: Self.adapterSuffix, maxDepth: maxDepth)
        let needle = filter?.lowercased() ?? ""
        return files.compactMap { checkpoint(file: $0, base: base) }
            .filter { needle.isEmpty || $0.dirname.lowercased().contains(needle) }
            .sorted { ($0.dirname, $0.iteration, $0.adapterFile) < ($1.dirname, $1.iteration, $1.adapterFile) }
    }

    /// The checkpoint an adapter file is, or `nil` when its name has no iteration number. Paths are cut at `/` bytes.
    func checkpoint(file: String, base: String) -> Checkpoint? {
        let bytes = file.utf8
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        let directory = String(decoding: bytes[..<slash], as: UTF8.self)
        let name = String(decoding: bytes[bytes.index(after: slash)...], as: UTF8.self)
        guard let digits = Self.firstDigits(in: name), let iteration = Int(digits) else { return nil }
        let prefix = FileListing.join(base, "").utf8
        let dirname: String
        if directory.utf8.count > prefix.count && directory.utf8.starts(with: prefix) {
            dirname = String(decoding: directory.utf8.dropFirst(prefix.count), as: UTF8.self)
        } else {
            dirname = String(decoding: directory.utf8.split(separator: UInt8(ascii: "/")).last ?? [], as: UTF8.self)
        }
        let (family, stem) = families.match(directory: dirname)
        return Checkpoint(
            directory: directory,
            dirname: dirname,
            adapterFile: file,
            configFile: directory + "/adapter_config.json",
            iteration: iteration,
            family: family,
            label: "\(family.short) @\(digits)",
            runID: "\(stem)-capability-auto"
        )
    }

    /// The first run of ASCII digits in `name`.
    static func firstDigits(in name: String) -> String? {
        let scalars = name.unicodeScalars
        guard let start = scalars.firstIndex(where: { ("0"..."9").contains($0) }) else { return nil }
        let end = scalars[start...].firstIndex(where: { !("0"..."9").contains($0) }) ?? scalars.endIndex
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }
}
