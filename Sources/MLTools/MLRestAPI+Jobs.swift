import Foundation
import HTTPTypes
import Hummingbird
import JSONValues
import NIOCore

/// `/v1/ml/score` and the `/v1/ml/probe` jobs: the `ml_score` and `ml_probe` tools behind REST.
extension MLRestAPI {
    /// `POST /v1/ml/score`: one pair (`prompt`, `response`, `correct_answer`?) or a batch (`items`), with `suites`;
    /// the results `ml_score` returns. Files are MCP's business: `input`, `output` and `resume` are refused here.
    func score(_ request: Request) async -> Response {
        let fields: [String: JSONValue]
        switch await RESTEnvelope.jsonObject(request, maxBytes: maxBodyBytes) {
        case .success(let object): fields = object
        case .failure(let refusal): return refusal.response
        }
        if let name = ["input", "output", "resume"].first(where: { fields[$0] != nil }) {
            return RESTEnvelope.fail(.badRequest, code: "INVALID_REQUEST",
                                     message: "'\(name)' is not taken here: send the items in the body (a pair, or items)")
        }
        do {
            return RESTEnvelope.ok(try await MLTool.score(environment).call(fields).structured)
        } catch {
            return RESTEnvelope.fail(error)
        }
    }

    /// `POST /v1/ml/probe`: starts a probe job (the `ml_probe` tool's arguments) → 202 with the job and its URL.
    func startProbe(_ request: Request) async -> Response {
        let fields: [String: JSONValue]
        switch await RESTEnvelope.jsonObject(request, maxBytes: maxBodyBytes) {
        case .success(let object): fields = object
        case .failure(let refusal): return refusal.response
        }
        do {
            let job = try await jobs.start(MLTool.probe(environment), arguments: fields)
            var response = RESTEnvelope.response(.accepted, .object(["success": .bool(true), "data": job.json]))
            response.headers[.location] = Self.basePath + "/probe/" + job.id
            return response
        } catch {
            return RESTEnvelope.fail(error)
        }
    }

    /// `GET /v1/ml/probe/{id}`: the job: state, progress, and its result once finished.
    func probeJob(_ id: String) async -> Response {
        guard let job = await jobs.snapshot(id) else { return Self.noJob(id) }
        return RESTEnvelope.ok(job.json)
    }

    /// `DELETE /v1/ml/probe/{id}`: cancels the job (its generations stop); it then reads `cancelled`.
    func cancelProbe(_ id: String) async -> Response {
        guard let job = await jobs.cancel(id) else { return Self.noJob(id) }
        return RESTEnvelope.ok(job.json)
    }

    /// `GET /v1/ml/probe/{id}/events`: server-sent events, `progress` for every report from the job's start and
    /// `done` with the finished job, then the stream ends.
    func probeEvents(_ id: String) async -> Response {
        guard let updates = await jobs.updates(id) else { return Self.noJob(id) }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            for await update in updates {
                let (event, data): (String, JSONValue)
                switch update {
                case .progress(let progress): (event, data) = ("progress", progress.json)
                case .finished(let job): (event, data) = ("done", job.json)
                }
                try await writer.write(ByteBuffer(string: "event: \(event)\ndata: \(data.serialized())\n\n"))
            }
            try await writer.finish(nil)
        })
    }

    static func noJob(_ id: String) -> Response {
        RESTEnvelope.fail(.notFound, code: "NOT_FOUND", message: "no probe job '\(id)' (finished jobs are kept until newer ones replace them)")
    }
}
