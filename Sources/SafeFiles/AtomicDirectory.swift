import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replacing a directory of files as one set: the new set is written into a temporary directory beside the
/// destination, flushed, then swapped with the old directory in one step, so a crash or `kill -9` leaves either the
/// whole old set or the whole new one — never new files beside old ones (an export's manifest would then describe
/// files it did not write, and rows would leak between splits).
public enum AtomicDirectory {
    /// Runs `write` with a fresh empty directory beside `destination`, flushes every regular file in it, then puts it
    /// in place of `destination` (exchanged atomically where the system can, Linux's `renameat2(RENAME_EXCHANGE)`)
    /// and removes the old set. `destination`'s parent must exist; `destination`, if present, must be a directory.
    public static func replace(_ destination: URL, _ write: (URL) async throws -> Void) async throws {
        let parent = destination.deletingLastPathComponent()
        let temporary = parent.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).part")
        do {
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw SafeFileError(.io, "cannot create a directory beside '\(destination.path)': \(error.localizedDescription)",
                                underlying: error)
        }
        do {
            try await write(temporary)
            try syncContents(of: temporary)
            // After an exchange the old set is at the temporary path.
            if try swap(temporary, into: destination) { try? FileManager.default.removeItem(at: temporary) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        syncDirectory(parent.path)
    }

    /// Puts `temporary` at `destination`; true when the old set was exchanged to `temporary`'s path.
    private static func swap(_ temporary: URL, into destination: URL) throws -> Bool {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw SafeFileError(.notADirectory, "'\(destination.path)' is a file, not a directory")
            }
            if exchange(temporary.path, destination.path) { return true }
            // No atomic exchange here: move the old set aside, put the new one in place. A crash between the two
            // renames leaves the complete old set at the aside name, named in the error of the next run.
            let aside = destination.deletingLastPathComponent()
                .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).old")
            guard rename(destination.path, aside.path) == 0 else { throw renameError(destination) }
            guard rename(temporary.path, destination.path) == 0 else {
                let error = renameError(destination)
                _ = rename(aside.path, destination.path)
                throw error
            }
            try? FileManager.default.removeItem(at: aside)
            return false
        }
        guard rename(temporary.path, destination.path) == 0 else { throw renameError(destination) }
        return false
    }

    private static func renameError(_ destination: URL) -> SafeFileError {
        SafeFileError(.io, "cannot move the new files into '\(destination.path)': \(String(cString: strerror(errno)))")
    }

    /// Exchanges two paths atomically; false where the system has no such call (or refuses it for these paths).
    private static func exchange(_ first: String, _ second: String) -> Bool {
        #if os(Linux)
        // glibc declares renameat2 only under _GNU_SOURCE, which the Swift Glibc module does not import.
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, first, AT_FDCWD, second, renameExchange) == 0
        #else
        return false
        #endif
    }

    private static func syncContents(of directory: URL) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for name in names {
            let fd = open(directory.appendingPathComponent(name).path, O_RDONLY)
            guard fd >= 0 else { continue }
            fsync(fd)
            close(fd)
        }
        syncDirectory(directory.path)
    }

    private static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
