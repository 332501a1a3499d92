extension MLTool {
    /// `ml_status`: training and generation progress from InfluxDB (when the server has one), the workspace's counts
    /// and the agent's latest evaluated checkpoints.
    public static func status(_ environment: ToolEnvironment) -> MLTool {
        MLTool(
            name: "ml_status", title: "What has been done so far",
            description: """
                Reports where training and evaluation stand: training progress per model (status, iteration of \
                total, loss, learning rate) and dataset-generation progress per worker from InfluxDB when the \
                server is configured with one; the training-data workspace's counts (seeds, prompts, \
                pending, answered, scored, approved, golden, exports) and, per training run, the latest checkpoint \
                the agent evaluated (iteration, probe accuracy, judge average). Sources that are missing are listed \
                as notes. Defaults to the server's store and workspace.
                """,
            inputSchema: ToolSchema.object([
                ("store", ToolSchema.string("The agent's score store (SQLite file inside the root); default: the server's.")),
                ("workspace", ToolSchema.string("A workspace: a SQLite file inside the root, or a postgres:// URL; default: the server's.")),
            ]),
            readOnly: true
        ) { arguments, _ in
            let store = try arguments.path("store", in: environment.roots) ?? environment.store
            var workspace = environment.workspace
            if let given = try arguments.string("workspace") {
                workspace = given.hasPrefix("postgres://") || given.hasPrefix("postgresql://") ? given : try environment.roots.resolve(given)
            }
            let snapshot = await StatusSnapshot.read(store: store, workspace: workspace, influx: environment.influx)
            return ToolOutput(structured: snapshot.json(), text: snapshot.text())
        }
    }
}
