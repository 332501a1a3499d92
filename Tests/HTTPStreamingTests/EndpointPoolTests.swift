import Foundation
import Inference
@testable import HTTPStreaming
import Testing
import Locking

@Suite struct EndpointPoolTests {
    @Test func leastInFlightAndPerEndpointLimit() async throws {
        let pool = EndpointPool(baseURLs: ["http://a", "http://b/", "http://c/v1"], limitPerEndpoint: 2)
        #expect(pool.baseURLs == ["http://a", "http://b", "http://c"])
        var leases: [EndpointPool.Lease] = []
        for _ in 0..<6 { leases.append(try await pool.acquire()) }
        #expect(pool.inFlightCounts == [2, 2, 2])
        // A seventh waits until one is released.
        let waiter = Task { try await pool.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(pool.inFlightCounts == [2, 2, 2])
        pool.release(leases[4], failed: false)
        let seventh = try await waiter.value
        #expect(seventh.baseURL == leases[4].baseURL)
    }

    @Test func aWaitAtTheLimitIsReportedOnce() async throws {
        let reports = Locked<[EndpointPool.LimitReached]>([])
        let pool = EndpointPool(baseURLs: ["http://a", "http://b"], limitPerEndpoint: 1) { report in
            reports.withLock { $0.append(report) }
        }
        let first = try await pool.acquire()
        let second = try await pool.acquire()
        #expect(reports.current.isEmpty, "no request waited yet")
        let waiters = [Task { try await pool.acquire() }, Task { try await pool.acquire() }]
        while pool.inFlightCounts != [1, 1] || reports.current.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        pool.release(first, failed: false)
        pool.release(second, failed: false)
        for waiter in waiters { pool.release(try await waiter.value, failed: false) }
        #expect(reports.current.count == 1)
        #expect(reports.current.first?.baseURLs == ["http://a", "http://b"] && reports.current.first?.limitPerEndpoint == 1)
        #expect(reports.current.first?.description.contains("2 endpoints: at the limit of 1 request(s) in flight per endpoint") == true)
    }

    @Test func failedEndpointCoolsDown() async throws {
        let pool = EndpointPool(baseURLs: ["http://a", "http://b"], limitPerEndpoint: 4, coolDown: .seconds(60))
        let first = try await pool.acquire()
        pool.release(first, failed: true)
        for _ in 0..<3 {
            let lease = try await pool.acquire()
            #expect(lease.baseURL != first.baseURL)
        }
    }

    @Test func waitingForAnEndpointCanBeCancelled() async throws {
        let pool = EndpointPool(baseURLs: ["http://a"], limitPerEndpoint: 1)
        _ = try await pool.acquire()
        let waiter = Task { try await pool.acquire() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }
}
