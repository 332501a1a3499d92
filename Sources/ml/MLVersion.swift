/// The toolkit's version, shown by `ml version` and recorded in score files.
enum MLVersion {
    static let current = "0.1.0"
}
