/// One saved adapter of a training run, as found by ``CheckpointDiscovery``.
public struct Checkpoint: Sendable, Hashable {
    /// Absolute directory holding the adapter file.
    public var directory: String
    /// `directory` relative to the adapter base (e.g. "smollm2-135m-lek" or "adapters-1b/gemma-3-1b-x"); the base's
    /// own last component for an adapter directly in the base.
    public var dirname: String
    /// Absolute path of the `*.safetensors` file.
    public var adapterFile: String
    /// `directory` + "/adapter_config.json".
    public var configFile: String
    public var iteration: Int
    /// The matched family, its `short` including the variant; for unknown families
    /// `ModelFamily(prefix: name, tag: name, short: short)`.
    public var family: ModelFamily
    /// "\(short) @\(digits)", the digits exactly as in the file name, e.g. "S135-lek @0000100".
    public var label: String
    /// "\(stem)-capability-auto".
    public var runID: String

    public init(
        directory: String,
        dirname: String,
        adapterFile: String,
        configFile: String,
        iteration: Int,
        family: ModelFamily,
        label: String,
        runID: String
    ) {
        self.directory = directory
        self.dirname = dirname
        self.adapterFile = adapterFile
        self.configFile = configFile
        self.iteration = iteration
        self.family = family
        self.label = label
        self.runID = runID
    }
}
