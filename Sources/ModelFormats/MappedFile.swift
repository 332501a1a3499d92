import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of a whole file: pages are read on demand, never the whole file at once.
final class MappedFile: @unchecked Sendable {
    let path: String
    let size: Int
    private let base: UnsafeRawPointer?

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ModelFormatError(.io, "cannot open '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ModelFormatError(.io, "cannot stat '\(path)'") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ModelFormatError(.io, "'\(path)' is not a regular file") }
        size = Int(info.st_size)
        if size == 0 {
            base = nil
            return
        }
        let pointer = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let pointer, pointer != MAP_FAILED else {
            throw ModelFormatError(.io, "cannot map '\(path)': \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(pointer)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }

    /// The mapped bytes (valid while this object lives).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }
}
