import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of a whole file. Pages are read on demand, never the whole file at once, and
/// can be handed back with ``evict(_:)`` so streaming over a large file keeps the resident set small.
///
/// The mapping is immutable after `init`, so it is safe to share between tasks.
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
        guard fstat(fd, &info) == 0 else { throw ModelFormatError(.io, "cannot stat '\(path)': \(String(cString: strerror(errno)))") }
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

    /// Hints that `range` will be read soon (starts readahead; page tables and VMA flags are left alone).
    func adviseSequential(_ range: Range<Int>) { advise(range, MADV_WILLNEED) }

    /// Drops the resident pages of `range` from this process (they stay in the page cache and fault back in
    /// if read again): keeps the resident set at about one tensor while streaming. The range is widened by
    /// 1 MiB each side because the kernel's fault-around maps cached neighbours of every faulting page, which
    /// includes pages of tensors evicted earlier; dropping a page someone still reads only costs a refault.
    func evict(_ range: Range<Int>) {
        let margin = 1 << 20
        advise(max(0, range.lowerBound - margin)..<min(size, range.upperBound + margin), MADV_DONTNEED)
    }

    private func advise(_ range: Range<Int>, _ advice: Int32) {
        guard let base, !range.isEmpty, range.lowerBound >= 0, range.upperBound <= size else { return }
        let page = Int(getpagesize())
        let start = range.lowerBound / page * page
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), range.upperBound - start, advice)
    }
}
