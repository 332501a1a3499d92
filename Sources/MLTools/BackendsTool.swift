extension MLTool {
    /// `ml_backends`: each backend and whether it can run here.
    public static func backends(_ environment: ToolEnvironment) -> MLTool {
        MLTool(
            name: "ml_backends", title: "Backends available here",
            description: """
                Lists the inference backends swift-ml knows (llama: a managed llama-server for GGUF models; mlx: a \
                managed mlx_lm.server for MLX models; openai: any OpenAI-compatible server) and, for each, whether it \
                can run on this machine or why not. Use it before asking for a model on a given backend.
                """,
            inputSchema: ToolSchema.object([]),
            readOnly: true
        ) { _, _ in
            let backends = environment.backends()
            let text = backends.map { "\($0.name): " + ($0.unavailableReason.map { "not available: \($0)" } ?? "available") }
                .joined(separator: "\n")
            return ToolOutput(structured: .object(["backends": .array(backends.map(\.json))]), text: text)
        }
    }
}
