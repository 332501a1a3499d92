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
}
