import Inference

/// A model a tool asks for: which backend runs it and which model (a local file or directory for `llama` and
/// `mlx`, a server's model name for `openai`; nil for the backend's default).
public struct ModelRequest: Sendable, Hashable {
    public var backend: String
    public var model: String?

    public init(backend: String, model: String?) {
        self.backend = backend
        self.model = model
    }

    /// The model a call's `backend` and `model` arguments name; a local model's path must lie inside `roots`.
    init(_ arguments: ToolArguments, roots: FileRoots) throws {
        backend = try arguments.string("backend") ?? "llama"
        model = try arguments.string("model")
        if backend != "openai", let path = model { model = try roots.resolve(path) }
    }
}

/// The models of one server, loaded once and shared across calls. A call naming another model loads it beside the
/// others, up to ``limit``; past it, the least recently used model no call is using is closed. Two calls asking for
/// the same model at once share one load. Resident models (a server's own model) are the caller's: served for
/// their requests, never evicted or closed here.
public actor ModelPool {
    public typealias Loader = @Sendable (ModelRequest) async throws -> any TextModel
    let limit: Int
    let load: Loader
    let resident: [ModelRequest: any TextModel]
    private var entries: [ModelRequest: Entry] = [:]
    private var clock = 0

    private struct Entry {
        var model: Task<any TextModel, any Error>
        var users = 0
        var lastUsed: Int
    }

    public init(limit: Int = 2, resident: [ModelRequest: any TextModel] = [:], load: @escaping Loader) {
        self.limit = max(1, limit)
        self.resident = resident
        self.load = load
    }

    /// Runs `body` with the requested model loaded (loading it first if needed); the model stays loaded after.
    public func withModel<T: Sendable>(_ request: ModelRequest, _ body: @Sendable (any TextModel) async throws -> T) async throws -> T {
        let model = try await acquire(request)
        defer { release(request) }
        return try await body(model)
    }

    /// Models loaded or loading now.
    public var loadedCount: Int { entries.count }

    /// Closes every model (at shutdown).
    public func closeAll() async {
        let all = entries.values.map(\.model)
        entries.removeAll()
        for task in all { await (try? await task.value)?.close() }
    }

    private func acquire(_ request: ModelRequest) async throws -> any TextModel {
        if let model = resident[request] { return model }
        clock += 1
        if entries[request] == nil {
            await evict(toMakeRoomFor: request)
            let load = self.load
            entries[request] = Entry(model: Task { try await load(request) }, lastUsed: clock)
        }
        entries[request]?.users += 1
        entries[request]?.lastUsed = clock
        guard let task = entries[request]?.model else { throw CancellationError() }
        do {
            return try await task.value
        } catch {
            // A failed load is not kept: the next call tries again.
            entries[request]?.users -= 1
            if entries[request]?.users == 0 { entries.removeValue(forKey: request) }
            throw error
        }
    }

    private func release(_ request: ModelRequest) {
        entries[request]?.users -= 1
    }

    /// Closes idle models, least recently used first, until one more fits.
    private func evict(toMakeRoomFor request: ModelRequest) async {
        while entries.count >= limit,
              let idle = entries.filter({ $0.value.users == 0 }).min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            entries.removeValue(forKey: idle.key)
            await (try? await idle.value.model.value)?.close()
        }
    }
}
