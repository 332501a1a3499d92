/// The warning for a requested concurrency above what a model serves at once, so that cap is never silent.
public enum ConcurrencyCap {
    /// `nil` when the model serves `requested` at once.
    public static func message(requested: Int, capacity: Int, of model: String) -> String? {
        guard requested > capacity else { return nil }
        return "\(model) serves \(capacity) request(s) at once; of --concurrency \(requested), the rest wait in its queue"
    }
}
