import Foundation

/// Keeps Foundation's `Process` alive (it reaps the child) and lets it cross concurrency domains, without claiming it
/// is thread-safe: its owner reads only what `Process` keeps consistent (pid, termination status after the exit).
public final class ProcessBox: @unchecked Sendable {
    public let process: Process
    public init(_ process: Process) { self.process = process }
}
