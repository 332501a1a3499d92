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
            "influx": .object(["type": .array([.string("object"), .string("null")]), "description": .string("The InfluxDB read, when configured.")]),
            "training": .object(["type": .string("array"), "items": .object(["type": .string("object")]),
                                 "description": .string("Per model: the newest training status, iteration, loss and learning rate.")]),
            "generation": .object(["type": .string("array"), "items": .object(["type": .string("object")]),
                                   "description": .string("Per worker: the newest golden-set and expansion progress.")]),
            "sources_read": .object(["type": .string("array"), "items": type("string")]),
        ], required: ["ready", "backends", "has_judge"]))
        let generateRequest = object([
            "prompt": type("string"), "backend": type("string", "The served backend or model (others are refused)."),
            "temperature": .object(["type": .string("number"), "minimum": .number(0), "maximum": .number(2)]),
            "max_tokens": .object(["type": .string("integer"), "minimum": .number(0)]),
        ], required: ["prompt"])
        let generated = envelope(object(["text": type("string"), "finish_reason": type("string"), "model": type("string")],
                                        required: ["text"]))
        /// A tool's argument schema without the arguments REST does not take.
        func arguments(_ schema: JSONValue, without names: Set<String> = []) -> JSONValue {
            guard case .object(var fields) = schema, case .object(let properties)? = fields["properties"] else { return schema }
            fields["properties"] = .object(properties.filter { !names.contains($0.key) })
            return .object(fields)
        }
        let anyObject = JSONValue.object(["type": .string("object")])
        let job = object([
            "id": type("string"), "tool": type("string"),
            "state": .object(["type": .string("string"), "enum": .array(["running", "succeeded", "failed", "cancelled"].map(JSONValue.string))]),
            "progress": .object(["type": .array([.string("object"), .string("null")]), "properties": .object([
                "done": type("number"), "total": .object(["type": .array([.string("number"), .string("null")])]),
                "message": .object(["type": .array([.string("string"), .string("null")])]),
            ])]),
            "started_at": type("string"), "finished_at": type("string"),
            "result": .object(["type": .string("object"), "description": .string("ml_probe's result, once succeeded.")]),
            "text": type("string"), "error": type("string"),
        ], required: ["id", "tool", "state", "started_at"])
        let idParameter = JSONValue.array([.object([
            "name": .string("id"), "in": .string("path"), "required": .bool(true), "schema": type("string"),
        ])])
        func operation(_ id: String, _ summary: String, _ ok: JSONValue, body: JSONValue? = nil, status: String = "200",
                       extra: [String: JSONValue] = [:], parameters: JSONValue? = nil) -> JSONValue {
            var responses: [String: JSONValue] = [status: json(ok, "Success."), "400": failure, "401": unauthorized, "500": failure]
            responses.merge(extra) { _, new in new }
            var operation: [String: JSONValue] = [
                "operationId": .string(id), "summary": .string(summary), "responses": .object(responses),
            ]
            if let parameters { operation["parameters"] = parameters }
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
                "/v1/ml/score": .object(["post": operation(
                    "score", "Scores one pair or a batch of items, as ml score does: each item's results and each model's averages.",
                    envelope(object(["results": .object(["type": .string("array"), "items": anyObject]), "averages": anyObject,
                                     "items": type("integer"), "failed": type("integer"), "judge_calls": type("integer")],
                                    required: ["results", "averages", "items", "failed"])),
                    body: arguments(MLTool.scoreSchema, without: ["input", "output", "resume"]))]),
                "/v1/ml/probe": .object(["post": operation(
                    "startProbe", "Starts a probe job (ml_probe's arguments); poll it, stream its progress, or cancel it.",
                    envelope(job), body: arguments(MLTool.probeSchema), status: "202",
                    extra: ["429": failure])]),
                "/v1/ml/probe/{id}": .object([
                    "get": operation("probeJob", "The job: its state, progress and, once finished, its result.", envelope(job),
                                     extra: ["404": failure], parameters: idParameter),
                    "delete": operation("cancelProbe", "Cancels the job: its generations stop and it reads cancelled.", envelope(job),
                                        extra: ["404": failure], parameters: idParameter),
                ]),
                "/v1/ml/probe/{id}/events": .object(["get": .object([
                    "operationId": .string("probeEvents"), "parameters": idParameter,
                    "summary": .string("Server-sent events: progress (every report from the start) and done (the finished job)."),
                    "responses": .object([
                        "200": .object(["description": .string("An event stream."),
                                        "content": .object(["text/event-stream": .object(["schema": type("string")])])]),
                        "401": unauthorized, "404": failure,
                    ]),
                ])]),
            ]),
        ])
    }()
}
