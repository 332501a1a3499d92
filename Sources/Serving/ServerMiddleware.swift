import Foundation
import HTTPTypes
import Hummingbird
import Inference
import NIOCore

/// Requires `Authorization: Bearer KEY` on the API and metrics when a key is configured (the scheme in any case,
/// as RFC 7235 has it; the key compared in constant time).
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let apiKey: String?
    /// Paths outside `/v1/` that need the key too (an extension's, such as `/mcp`).
    var protectedPaths: Set<String> = []

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let apiKey, request.method != .options else { return try await next(request, context) }
        let path = request.uri.path
        guard path.hasPrefix("/v1/") || path == "/metrics" || protectedPaths.contains(path) else {
            return try await next(request, context)
        }
        guard Self.accepts(request.headers[.authorization] ?? "", apiKey: apiKey) else { throw APIError.unauthorized }
        return try await next(request, context)
    }

    /// Whether `header` is `Bearer <apiKey>`: scheme case-insensitive, spaces around the token ignored.
    static func accepts(_ header: String, apiKey: String) -> Bool {
        let trimmed = header.drop { $0 == " " }
        guard let space = trimmed.firstIndex(of: " "), trimmed[..<space].lowercased() == "bearer" else { return false }
        let token = trimmed[space...].drop { $0 == " " }
        let given = Array(token.utf8.reversed().drop { $0 == 32 }.reversed())
        let expected = Array(apiKey.utf8)
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in 0..<min(given.count, expected.count) { difference |= given[index] ^ expected[index] }
        return difference == 0
    }
}

/// Turns every error into the OpenAI error shape (unknown routes, body limits, bad parameters) and records
/// each request's route, status and latency.
struct OutcomeMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    /// The server's paths and their methods: a known path asked with another method is a 405, not a 404.
    let routes: [(path: String, methods: [HTTPRequest.Method])]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        // An extension's fixed paths are labels of their own; any other path is bounded by ``route(_:)``.
        let route = routes.contains { $0.path == request.uri.path && !$0.path.contains("{") } ? request.uri.path
            : Self.route(request.uri.path)
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
            case .notFound:
                if let allowed = allowedMethods(request.uri.path), !allowed.contains(request.method) {
                    var headers = HTTPFields()
                    headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                    mapped = APIError(
                        .methodNotAllowed, "\(request.uri.path) does not accept \(request.method); use \(headers[.allow]!).",
                        code: "method_not_allowed", headers: headers)
                } else {
                    mapped = APIError(.notFound, "Unknown route \(request.method) \(request.uri.path).", code: "not_found")
                }
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

    /// The methods of the route matching `path` (`{id}` matches one segment), or `nil` for an unknown path.
    func allowedMethods(_ path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return routes.first { route in
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: false)
            return pattern.count == segments.count
                && zip(pattern, segments).allSatisfy { $0 == $1 || ($0.hasPrefix("{") && !$1.isEmpty) }
        }?.methods
    }

    /// A bounded set of route labels (never raw paths, which would explode the metric's cardinality).
    static func route(_ path: String) -> String {
        switch path {
        case "/v1/chat/completions", "/v1/completions", "/v1/models", "/healthz", "/metrics", "/": return path
        default: return path.hasPrefix("/v1/models/") ? "/v1/models/{id}" : "other"
        }
    }
}
