import Inference
import MLErrors
import Synchronization

/// Several base URLs serving the same model, used as one: each request goes to the endpoint with the fewest
/// requests in flight, no endpoint serves more than its limit at once, and an endpoint that failed is skipped
/// for a cool-down (used again only when every endpoint is cooling down).
///
/// The limit caps what a caller's concurrency can reach, so the first request that has to wait for it is
/// reported through `onLimitReached` (once per pool): a cap is never silent.
public final class EndpointPool: Sendable {
    /// A claim on one endpoint for one request; give it back with ``EndpointPool/release(_:failed:)``.
    public struct Lease: Sendable {
        public let baseURL: String
        let index: Int
    }

    private struct Endpoint {
        var baseURL: String
        var inFlight = 0
        var coolUntil: ContinuousClock.Instant?
        var served = 0
    }

    private struct State {
        var endpoints: [Endpoint]
        var waiters: [(id: Int, continuation: CheckedContinuation<Lease, any Error>)] = []
        var nextWaiterID = 0
        var limitReported = false
    }

    private let state: Mutex<State>
    public let limitPerEndpoint: Int
    public let coolDown: Duration
    private let onLimitReached: (@Sendable (LimitReached) -> Void)?

    /// Every endpoint was at its limit when a request came: it waited. Reported once per pool.
    public struct LimitReached: Sendable, CustomStringConvertible {
        public var baseURLs: [String]
        public var limitPerEndpoint: Int

        public var description: String {
            let endpoints = baseURLs.count == 1 ? URLRedaction.printable(baseURLs[0]) : "\(baseURLs.count) endpoints"
            return "\(endpoints): at the limit of \(limitPerEndpoint) request(s) in flight per endpoint; "
                + "further requests wait for a free slot"
        }
    }

    public init(baseURLs: [String], limitPerEndpoint: Int = 16, coolDown: Duration = .seconds(10),
                onLimitReached: (@Sendable (LimitReached) -> Void)? = nil) {
        precondition(!baseURLs.isEmpty, "an endpoint pool needs at least one base URL")
        self.state = Mutex(State(endpoints: baseURLs.map { Endpoint(baseURL: Self.normalize($0)) }))
        self.limitPerEndpoint = max(1, limitPerEndpoint)
        self.coolDown = coolDown
        self.onLimitReached = onLimitReached
    }

    /// The base URLs, without trailing slashes.
    public var baseURLs: [String] { state.withLock { $0.endpoints.map(\.baseURL) } }

    /// Requests served by each endpoint so far, in `baseURLs` order.
    public var servedCounts: [Int] { state.withLock { $0.endpoints.map(\.served) } }

    /// Requests in flight on each endpoint now.
    public var inFlightCounts: [Int] { state.withLock { $0.endpoints.map(\.inFlight) } }

    /// Waits for an endpoint with spare capacity and claims it.
    public func acquire() async throws -> Lease {
        if let lease = state.withLock({ Self.pick(&$0, limit: limitPerEndpoint) }) { return lease }
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let (lease, report) = state.withLock { state -> (Lease?, Bool) in
                    if let lease = Self.pick(&state, limit: limitPerEndpoint) { return (lease, false) }
                    state.waiters.append((id, continuation))
                    // Only a wait caused by the limit counts, not one while every endpoint cools down.
                    let atLimit = state.endpoints.allSatisfy { $0.inFlight >= limitPerEndpoint }
                    let report = atLimit && !state.limitReported
                    if atLimit { state.limitReported = true }
                    return (nil, report)
                }
                if let lease { continuation.resume(returning: lease) }
                if report {
                    onLimitReached?(LimitReached(baseURLs: baseURLs, limitPerEndpoint: limitPerEndpoint))
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Lease, any Error>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Gives a lease back; `failed` puts its endpoint in cool-down.
    public func release(_ lease: Lease, failed: Bool) {
        let resumed = state.withLock { state -> (CheckedContinuation<Lease, any Error>, Lease)? in
            state.endpoints[lease.index].inFlight -= 1
            if failed {
                state.endpoints[lease.index].coolUntil = ContinuousClock.now + coolDown
            } else {
                state.endpoints[lease.index].coolUntil = nil
            }
            guard !state.waiters.isEmpty, let next = Self.pick(&state, limit: limitPerEndpoint) else { return nil }
            return (state.waiters.removeFirst().continuation, next)
        }
        if let (continuation, next) = resumed { continuation.resume(returning: next) }
    }

    /// The healthy endpoint with the fewest requests in flight and spare capacity. Cooling endpoints are used
    /// only when every endpoint is cooling down (then the one that failed longest ago).
    private static func pick(_ state: inout State, limit: Int) -> Lease? {
        let now = ContinuousClock.now
        let healthy = state.endpoints.indices.filter { index in
            state.endpoints[index].coolUntil.map { $0 <= now } ?? true
        }
        let candidates: [Int]
        if healthy.isEmpty {
            candidates = state.endpoints.indices.sorted { state.endpoints[$0].coolUntil! < state.endpoints[$1].coolUntil! }
        } else {
            candidates = healthy.sorted { state.endpoints[$0].inFlight < state.endpoints[$1].inFlight }
        }
        guard let chosen = candidates.first(where: { state.endpoints[$0].inFlight < limit }) else { return nil }
        state.endpoints[chosen].inFlight += 1
        state.endpoints[chosen].served += 1
        return Lease(baseURL: state.endpoints[chosen].baseURL, index: chosen)
    }

    static func normalize(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/v1") { url.removeLast(3) }
        return url
    }
}
