/// How to load a model: which backend, and the resources it may use.
public struct LoadOptions: Sendable, Hashable, Codable {
    /// The registry name of the backend; `nil` picks the registry's default.
    public var backend: String?
    /// Context window in tokens.
    public var contextLength: Int?
    /// Layers to offload to a GPU.
    public var gpuLayers: Int?
    /// Generations the model serves at once.
    public var parallelSlots: Int?
    /// CPU threads.
    public var threads: Int?
    /// A LoRA adapter to apply on top of the model.
    public var loraAdapterPath: String?
    /// Bytes of freed buffers a backend may keep cached for reuse (MLX's cache limit).
    public var cacheLimitBytes: Int?
    /// Bytes of memory a backend may use before it must free its cache (MLX's memory limit).
    public var memoryLimitBytes: Int?

    public init(
        backend: String? = nil,
        contextLength: Int? = nil,
        gpuLayers: Int? = nil,
        parallelSlots: Int? = nil,
        threads: Int? = nil,
        loraAdapterPath: String? = nil,
        cacheLimitBytes: Int? = nil,
        memoryLimitBytes: Int? = nil
    ) {
        self.backend = backend
        self.contextLength = contextLength
        self.gpuLayers = gpuLayers
        self.parallelSlots = parallelSlots
        self.threads = threads
        self.loraAdapterPath = loraAdapterPath
        self.cacheLimitBytes = cacheLimitBytes
        self.memoryLimitBytes = memoryLimitBytes
    }
}
