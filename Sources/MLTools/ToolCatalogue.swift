extension MLTool {
    /// Every tool, in the order `tools/list` gives them.
    public static func catalogue(_ environment: ToolEnvironment) -> [MLTool] {
        [generate(environment), status(environment), backends(environment), compare(environment), report(environment)]
    }
}
