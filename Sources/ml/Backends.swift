import Runs

/// The backends the `ml` command knows, and the one way every command loads a model: Runs' ``ModelLoader``.
typealias Backends = ModelLoader
