/// One saved adapter of a training run, as found by ``CheckpointDiscovery``.
package struct Checkpoint: Sendable, Hashable {
    /// Absolute directory holding the adapter file.
    package var directory: String
    /// `directory` relative to the adapter base (e.g. "smollm2-135m-lek" or "adapters-1b/gemma-3-1b-x"); the base's
    /// own last component for an adapter directly in the base.
    package var dirname: String
    /// Absolute path of the `*.safetensors` file.
    package var adapterFile: String
    /// `directory` + "/adapter_config.json".
    package var configFile: String
    package var iteration: Int
    /// The matched family, its `short` including the variant; for unknown families
    /// `ModelFamily(prefix: name, tag: name, short: short)`.
    package var family: ModelFamily
    /// "\(short) @\(digits)", the digits exactly as in the file name, e.g. "S135-lek @0000100".
    package var label: String
    /// "\(stem)-capability-auto".
    package var runID: String

    package init(
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
