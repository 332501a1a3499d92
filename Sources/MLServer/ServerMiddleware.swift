import Foundation
import HTTPTypes
import Hummingbird
import Inference
import NIOCore

/// Requires `Authorization: Bearer KEY` on the API and metrics when a key is configured (constant-time compare).
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let apiKey: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let apiKey, request.method != .options else { return try await next(request, context) }
        let path = request.uri.path
        guard path.hasPrefix("/v1/") || path == "/metrics" else { return try await next(request, context) }
        let header = request.headers[.authorization] ?? ""
        let expected = Array("Bearer \(apiKey)".utf8)
        let given = Array(header.utf8)
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in 0..<min(given.count, expected.count) { difference |= given[index] ^ expected[index] }
        guard difference == 0 else { throw APIError.unauthorized }
        return try await next(request, context)
    }
}

/// Turns every error into the OpenAI error shape (unknown routes, body limits, bad parameters) and records
/// each request's route, status and latency.
struct OutcomeMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let route = Self.route(request.uri.path)
        do {
            let response = try await next(request, context)
            metrics.record(route: route, status: response.status.code, duration: .now - started)
            return response
        } catch let error as APIError {
            metrics.record(route: route, status: error.status.code, duration: .now - started)
            throw error
        } catch let error as HTTPError {
            let mapped: APIError
            switch error.status {
            case .notFound: mapped = APIError(.notFound, "Unknown route \(request.method) \(request.uri.path).", code: "not_found")
            case .contentTooLarge: mapped = APIError(.contentTooLarge, "The request body is too large.", code: "body_too_large")
            default: mapped = APIError(error.status, error.body ?? error.status.reasonPhrase)
            }
            metrics.record(route: route, status: mapped.status.code, duration: .now - started)
            throw mapped
        } catch is NIOTooManyBytesError {
            let mapped = APIError(.contentTooLarge, "The request body is too large.", code: "body_too_large")
            metrics.record(route: route, status: mapped.status.code, duration: .now - started)
            throw mapped
        } catch {
            let mapped = APIError.backend(error)
            metrics.record(route: route, status: mapped.status.code, duration: .now - started)
            throw mapped
        }
    }

    /// A bounded set of route labels (never raw paths, which would explode the metric's cardinality).
    static func route(_ path: String) -> String {
        switch path {
        case "/v1/chat/completions", "/v1/completions", "/v1/models", "/healthz", "/metrics", "/": return path
        default: return path.hasPrefix("/v1/models/") ? "/v1/models/{id}" : "other"
        }
    }
}
