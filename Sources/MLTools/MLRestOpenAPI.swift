import JSONValues

/// The OpenAPI 3.1 document of ``MLRestAPI``, served at `/v1/ml/openapi.json`.
enum MLRestOpenAPI {
    static let document: JSONValue = {
        func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
            .object(["type": .string("object"), "properties": .object(properties), "required": .array(required.map(JSONValue.string))])
        }
        func type(_ name: String, _ description: String? = nil) -> JSONValue {
            var schema: [String: JSONValue] = ["type": .string(name)]
            if let description { schema["description"] = .string(description) }
            return .object(schema)
        }
        func envelope(_ data: JSONValue) -> JSONValue {
            object(["success": type("boolean"), "data": data], required: ["success", "data"])
        }
        func json(_ schema: JSONValue, _ description: String) -> JSONValue {
            .object(["description": .string(description), "content": .object(["application/json": .object(["schema": schema])])])
        }
        let failure = json(.object(["$ref": .string("#/components/schemas/Failure")]), "The request failed (see error.code).")
        let unauthorized = json(.object(["type": .string("object")]), "Missing or wrong bearer key (when the server has one).")
        let backends = envelope(.object(["type": .string("array"), "items": object([
            "name": type("string"), "available": type("boolean"), "reason": type("string", "Why it is not available."),
        ], required: ["name", "available"])]))
        let status = envelope(object([
            "ready": type("boolean", "Whether any backend is available."),
            "backends": .object(["type": .string("array"), "items": type("string")]),
            "has_judge": type("boolean"), "model": type("string"), "backend": type("string"),
            "workspace": .object(["type": .array([.string("object"), .string("null")])]),
            "latest_checkpoints": .object(["type": .string("array"), "items": .object(["type": .string("object")])]),
            "evaluated_checkpoints": type("integer"),
            "notes": .object(["type": .string("array"), "items": type("string")]),
        ], required: ["ready", "backends", "has_judge"]))
        let generateRequest = object([
            "prompt": type("string"), "backend": type("string", "The served backend or model (others are refused)."),
            "temperature": .object(["type": .string("number"), "minimum": .number(0), "maximum": .number(2)]),
            "max_tokens": .object(["type": .string("integer"), "minimum": .number(0)]),
        ], required: ["prompt"])
        let generated = envelope(object(["text": type("string"), "finish_reason": type("string"), "model": type("string")],
                                        required: ["text"]))
        func operation(_ id: String, _ summary: String, _ ok: JSONValue, body: JSONValue? = nil) -> JSONValue {
            var operation: [String: JSONValue] = [
                "operationId": .string(id), "summary": .string(summary),
                "responses": .object(["200": json(ok, "Success."), "400": failure, "401": unauthorized, "500": failure]),
            ]
            if let body { operation["requestBody"] = .object(["required": .bool(true), "content": .object(["application/json": .object(["schema": body])])]) }
            return .object(operation)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string("swift-ml REST API"), "version": .string("1")]),
            "components": .object([
                "schemas": .object(["Failure": object([
                    "success": type("boolean"),
                    "error": object(["code": type("string"), "message": type("string")], required: ["code", "message"]),
                ], required: ["success", "error"])]),
                "securitySchemes": .object(["bearer": .object(["type": .string("http"), "scheme": .string("bearer")])]),
            ]),
            "security": .array([.object(["bearer": .array([])])]),
            "paths": .object([
                "/v1/ml/backends": .object(["get": operation("listBackends", "Each backend and whether it can run here.", backends)]),
                "/v1/ml/status": .object(["get": operation("status", "Readiness, the workspace's counts and the latest evaluated checkpoints.", status)]),
                "/v1/ml/generate": .object(["post": operation("generate", "One answer from the served model.", generated, body: generateRequest)]),
            ]),
        ])
    }()
}
