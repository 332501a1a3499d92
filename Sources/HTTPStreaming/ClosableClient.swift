/// A client that owns connections and is shut down when done: ``StreamingHTTPClient``, Recording's `InfluxClient`.
public protocol ClosableClient: Sendable {
    /// Closes the connections. Idempotent.
    func shutdown() async
}

extension ClosableClient {
    /// Runs `body` with this client, then shuts it down, whatever happens.
    public func closing<T>(after body: (Self) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await shutdown()
            return result
        } catch {
            await shutdown()
            throw error
        }
    }
}
