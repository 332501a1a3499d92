import Inference

extension LoadOptions {
    /// `base` with `slots` generations served at once (a local server's `--parallel`) and, when `contextPerSlot` is
    /// given, a context of `slots × contextPerSlot` tokens (llama-server divides it among the slots).
    public static func slots(_ slots: Int, contextPerSlot: Int?, base: LoadOptions) -> LoadOptions {
        var options = base
        options.parallelSlots = max(1, slots)
        if let contextPerSlot { options.contextLength = max(1, slots) * contextPerSlot }
        return options
    }
}
