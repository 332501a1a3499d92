import Foundation
import HTTPTypes
import Hummingbird
import Inference
import NIOCore
import OpenAIWire

/// An error in the OpenAI shape: `{"error": {"message", "type", "code"}}` with a fitting status.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var type: String
    public var code: String?
    /// Extra response headers (e.g. `Allow` on a 405).
    public var headers: HTTPFields
    /// The backend error this one reports, kept for logs and callers that inspect it (never sent to the client).
    public var underlying: (any Error)?

    public init(_ status: HTTPResponse.Status, _ message: String, type: String = "invalid_request_error", code: String? = nil,
                headers: HTTPFields = HTTPFields(), underlying: (any Error)? = nil) {
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.headers = headers
        self.underlying = underlying
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The error body (`code` is `null` when there is none).
    var wire: ErrorResponse { ErrorResponse(error: ErrorDetail(message: message, type: type, code: code)) }

    var body: [UInt8] { Array(CompletionResponder.encode(wire)) }

    static func badRequest(_ message: String, code: String? = nil) -> APIError { APIError(.badRequest, message, code: code) }

    static let unauthorized = APIError(.unauthorized, "Incorrect or missing API key.", type: "invalid_request_error", code: "invalid_api_key")

    static func modelNotFound(_ id: String) -> APIError {
        APIError(.notFound, "The model '\(id)' does not exist.", code: "model_not_found")
    }

    static let shuttingDown = APIError(
        .serviceUnavailable, "The server is shutting down; the generation was stopped before it finished.",
        type: "server_error", code: "shutting_down")

    static let cancelled = APIError(
        .serviceUnavailable, "The generation was cancelled before it finished.", type: "server_error", code: "cancelled")

    static let overCapacity = APIError(.tooManyRequests, "The server is at capacity; retry shortly.", type: "rate_limit_error", code: "over_capacity")

    /// A backend failure: 503 when the model is unavailable or closed, 502 otherwise.
    static func backend(_ error: any Error) -> APIError {
        if let error = error as? InferenceError {
            switch error.code {
            case .closed, .backendNotAvailable:
                return APIError(
                    .serviceUnavailable, "The model is unavailable: \(error.message)", type: "server_error", code: error.code.rawValue,
                    underlying: error)
            case .invalidRequest:
                return APIError(.badRequest, error.message, code: error.code.rawValue, underlying: error)
            default:
                return APIError(
                    .badGateway, "The model failed: \(error.message)", type: "server_error", code: error.code.rawValue, underlying: error)
            }
        }
        return APIError(.badGateway, "The model failed: \(error)", type: "server_error", underlying: error)
    }
}
