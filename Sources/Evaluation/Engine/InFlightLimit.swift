/// When the engine must wait for a judged item before reading on: at most ``concurrency`` items with judge calls in
/// flight, and — so that memory stays bounded behind one slow item — at most ``reorderWindow`` items between the
/// oldest unwritten one and the newest read one. Pure policy, no I/O.
struct InFlightLimit: Sendable, Hashable {
    var concurrency: Int
    var reorderWindow: Int

    /// Whether to collect a finished judge call before reading the next line, with `inFlight` items being judged and
    /// `span` items read but not yet written. Nothing in flight: nothing to wait for (the buffer drains by itself).
    func mustWait(inFlight: Int, span: Int) -> Bool {
        inFlight >= concurrency || (inFlight > 0 && span >= reorderWindow)
    }
}
