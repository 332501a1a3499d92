extension ProbeReport {
    /// The probes' answers as scoring-engine input lines (domain `capability`, so the capability judge applies).
    public func responseItems(model: String, set: ProbeSet) -> [ResponseItem] {
        results.map { result in
            ResponseItem(id: result.id, domain: "capability", prompt: set.probe(result.id)?.prompt ?? "",
                         response: result.response, model: model)
        }
    }
}
