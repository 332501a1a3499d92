import Foundation
import Locking
import Inference

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The managed children still running, killed with SIGKILL when our process exits normally (`atexit`).
///
/// On Linux the parent-death signal already covers every way of dying; this is the best effort where there is
/// none (macOS, or Linux without `setpriv`). It cannot help against SIGKILL or a crash.
enum LiveChildren {
    private static let pids = Locked(Set<Int32>())
    private static let installed: Void = {
        atexit {
            for pid in LiveChildren.pids.withLock({ $0 }) { kill(pid, SIGKILL) }
        }
    }()

    static func insert(_ pid: Int32) {
        _ = installed
        pids.withLock { _ = $0.insert(pid) }
    }

    static func remove(_ pid: Int32) {
        pids.withLock { _ = $0.remove(pid) }
    }
}
