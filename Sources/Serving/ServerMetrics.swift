import Foundation
import Metrics
import Prometheus

/// The server's metrics, recorded through swift-metrics into its own Prometheus registry (no global
/// bootstrap, so several servers — and tests — each have their own).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let inFlight: Metrics.Meter
    private let promptTokens: Metrics.Counter
    private let completionTokens: Metrics.Counter

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        self.factory = factory
        inFlight = Metrics.Meter(label: "ml_requests_in_flight", dimensions: [], factory: factory)
        promptTokens = Metrics.Counter(label: "ml_tokens_in_total", dimensions: [], factory: factory)
        completionTokens = Metrics.Counter(label: "ml_tokens_out_total", dimensions: [], factory: factory)
    }

    func started() { inFlight.increment() }
    func finished() { inFlight.decrement() }

    func record(route: String, status: Int, duration: Duration) {
        Metrics.Counter(label: "ml_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory).increment()
        Metrics.Timer(label: "ml_request_duration_seconds", dimensions: [("route", route)], preferredDisplayUnit: .seconds, factory: factory)
            .recordNanoseconds(Int64(duration / .nanoseconds(1)))
    }

    func tokens(prompt: Int, completion: Int) {
        promptTokens.increment(by: prompt)
        completionTokens.increment(by: completion)
    }

    /// The Prometheus text exposition.
    func exposition() -> String { registry.emitToString() }
}
