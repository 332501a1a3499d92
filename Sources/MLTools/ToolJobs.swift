import Foundation
import JSONValues

/// Long tool calls run as jobs (REST's `/v1/ml/probe`): started at once, polled, their progress streamed, cancelled.
/// Arguments are checked before a job starts, so a bad one is refused then. At most ``maxRunning`` jobs run at
/// once; finished jobs are kept for polling up to ``maxKept``, the oldest finished one forgotten first.
public actor ToolJobs {
    public enum State: String, Sendable { case running, succeeded, failed, cancelled }

    /// What a poll sees.
    public struct Snapshot: Sendable {
        public var id: String
        public var tool: String
        public var state: State
        public var progress: Progress?
        public var startedAt: Date
        public var finishedAt: Date?
        public var result: ToolOutput?
        public var error: String?

        public var json: JSONValue {
            var fields: [String: JSONValue] = [
                "id": .string(id), "tool": .string(tool), "state": .string(state.rawValue),
                "started_at": .string(ISO8601DateFormatter().string(from: startedAt)),
                "progress": progress?.json ?? .null,
            ]
            if let finishedAt { fields["finished_at"] = .string(ISO8601DateFormatter().string(from: finishedAt)) }
            if let result { fields["result"] = result.structured; fields["text"] = .string(result.text) }
            if let error { fields["error"] = .string(error) }
            return .object(fields)
        }
    }

    /// One progress report.
    public struct Progress: Sendable, Hashable {
        public var done: Double
        public var total: Double?
        public var message: String?

        public var json: JSONValue {
            .object(["done": .double(done), "total": total.map(JSONValue.double) ?? .null,
                     "message": message.map(JSONValue.string) ?? .null])
        }
    }

    /// What a job's stream gives: every progress report from the start, then the finished job.
    public enum Update: Sendable {
        case progress(Progress)
        case finished(Snapshot)
    }

    public let maxRunning: Int
    public let maxKept: Int
    private var jobs: [String: Job] = [:]
    private var order: [String] = []

    private struct Job {
        var snapshot: Snapshot
        var history: [Progress] = []
        var task: Task<Void, Never>?
        var subscribers: [UUID: AsyncStream<Update>.Continuation] = [:]
    }

    public init(maxRunning: Int = 2, maxKept: Int = 32) {
        self.maxRunning = max(1, maxRunning)
        self.maxKept = max(self.maxRunning, maxKept)
    }

    /// Starts `tool` with `arguments` (checked first: a ``ToolError`` when bad or when ``maxRunning`` jobs run).
    public func start(_ tool: MLTool, arguments: [String: JSONValue]) throws -> Snapshot {
        try tool.check(arguments)
        let running = jobs.values.filter { $0.snapshot.state == .running }.count
        guard running < maxRunning else {
            throw ToolError(.busy, "\(running) job(s) are running, the most this server runs at once; try again when one has finished")
        }
        forgetFinished(keeping: maxKept - 1)
        let id = UUID().uuidString.lowercased()
        let snapshot = Snapshot(id: id, tool: tool.name, state: .running, startedAt: Date())
        jobs[id] = Job(snapshot: snapshot)
        order.append(id)
        let progress = ToolProgress { [weak self] done, total, message in
            await self?.record(id, Progress(done: done, total: total, message: message))
        }
        jobs[id]?.task = Task { [weak self] in
            let outcome: Result<ToolOutput, any Error>
            do {
                outcome = .success(try await tool.run(ToolArguments(arguments), progress))
            } catch {
                outcome = .failure(error)
            }
            await self?.finish(id, outcome)
        }
        return snapshot
    }

    public func snapshot(_ id: String) -> Snapshot? { jobs[id]?.snapshot }

    /// Cancels a running job (its generations stop); the job is then `cancelled`. Nil: no such job.
    public func cancel(_ id: String) -> Snapshot? {
        guard let job = jobs[id] else { return nil }
        job.task?.cancel()
        return job.snapshot
    }

    /// The job's progress from its start, then live, ending with the finished job. Nil: no such job.
    public func updates(_ id: String) -> AsyncStream<Update>? {
        guard let job = jobs[id] else { return nil }
        let (stream, continuation) = AsyncStream.makeStream(of: Update.self)
        for progress in job.history { continuation.yield(.progress(progress)) }
        if job.snapshot.state != .running {
            continuation.yield(.finished(job.snapshot))
            continuation.finish()
        } else {
            let key = UUID()
            jobs[id]?.subscribers[key] = continuation
            continuation.onTermination = { [weak self] _ in Task { await self?.unsubscribe(id, key) } }
        }
        return stream
    }

    /// Cancels every running job (at shutdown).
    public func cancelAll() {
        for job in jobs.values { job.task?.cancel() }
    }

    private func record(_ id: String, _ progress: Progress) {
        guard jobs[id]?.snapshot.state == .running else { return }
        jobs[id]?.snapshot.progress = progress
        jobs[id]?.history.append(progress)
        for subscriber in jobs[id]?.subscribers.values ?? [:].values { subscriber.yield(.progress(progress)) }
    }

    private func finish(_ id: String, _ outcome: Result<ToolOutput, any Error>) {
        guard var job = jobs[id] else { return }
        job.snapshot.finishedAt = Date()
        switch outcome {
        case .success(let output):
            job.snapshot.state = .succeeded
            job.snapshot.result = output
        case .failure(let error) where error is CancellationError || Task.isCancelled || job.task?.isCancelled == true:
            job.snapshot.state = .cancelled
            job.snapshot.error = "cancelled"
        case .failure(let error):
            job.snapshot.state = .failed
            job.snapshot.error = (error as? ToolError)?.message ?? "\(error)"
        }
        for subscriber in job.subscribers.values {
            subscriber.yield(.finished(job.snapshot))
            subscriber.finish()
        }
        job.subscribers = [:]
        job.task = nil
        jobs[id] = job
    }

    private func unsubscribe(_ id: String, _ key: UUID) {
        jobs[id]?.subscribers[key] = nil
    }

    /// Forgets the oldest finished jobs until at most `keeping` remain.
    private func forgetFinished(keeping: Int) {
        while jobs.count > keeping, let oldest = order.first(where: { jobs[$0]?.snapshot.state != .running }) {
            jobs[oldest] = nil
            order.removeAll { $0 == oldest }
        }
    }
}
