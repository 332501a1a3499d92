extension MLTool {
    /// Every tool, in the order `tools/list` gives them.
    public static func catalogue(_ environment: ToolEnvironment) -> [MLTool] {
        [generate(environment), score(environment), probe(environment), compare(environment), report(environment),
         status(environment), backends(environment)]
    }
}
