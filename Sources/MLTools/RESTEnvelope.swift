import Foundation
import HTTPTypes
import Hummingbird
import JSONValues
import NIOCore

/// The reference's REST envelope: `{"success": true, "data": …}`, or `{"success": false, "error": {"code",
/// "message"}}` with the HTTP status that fits.
enum RESTEnvelope {
    static func ok(_ data: JSONValue) -> Response {
        response(.ok, .object(["success": .bool(true), "data": data]))
    }

    static func fail(_ status: HTTPResponse.Status, code: String, message: String) -> Response {
        response(status, .object(["success": .bool(false),
                                  "error": .object(["code": .string(code), "message": .string(message)])]))
    }

    static func response(_ status: HTTPResponse.Status, _ body: JSONValue) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body.serialized())))
    }

    /// A request's body as a JSON object, or the 400 saying why it is not one.
    static func jsonObject(_ request: Request, maxBytes: Int) async -> Result<[String: JSONValue], Refusal> {
        let body: JSONValue
        do {
            let bytes = try await request.body.collect(upTo: maxBytes)
            body = try JSONDecoder().decode(JSONValue.self, from: Data(bytes.readableBytesView))
        } catch {
            return .failure(Refusal(response: fail(.badRequest, code: "INVALID_REQUEST", message: "the body must be a JSON object: \(error)")))
        }
        guard case .object(let fields) = body else {
            return .failure(Refusal(response: fail(.badRequest, code: "INVALID_REQUEST", message: "the body must be a JSON object")))
        }
        return .success(fields)
    }

    /// A tool's failure as a response: bad arguments 400, a busy server 429, anything else 500.
    static func fail(_ error: any Error) -> Response {
        guard let error = error as? ToolError else {
            return fail(.internalServerError, code: "FAILED", message: "\(error)")
        }
        switch error.code {
        case .invalidArgument: return fail(.badRequest, code: "INVALID_REQUEST", message: error.message)
        case .outsideRoot: return fail(.badRequest, code: "OUTSIDE_ROOT", message: error.message)
        case .busy: return fail(.tooManyRequests, code: "BUSY", message: error.message)
        default: return fail(.internalServerError, code: "FAILED", message: error.message)
        }
    }

    /// A refused request's response (an `Error`, so it can travel in a `Result`).
    struct Refusal: Error {
        var response: Response
    }
}
