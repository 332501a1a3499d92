import Foundation

/// A value that embeds ``ManagedServerOptions`` (a backend's server settings, a ``ManagedServerCommand``): the
/// supervision fields are read and written by their own names, `settings.healthDeadline = .seconds(5)`, as well as
/// through ``supervision``.
@dynamicMemberLookup
public protocol ManagedServerSupervised {
    var supervision: ManagedServerOptions { get set }
}

extension ManagedServerSupervised {
    /// A field of ``supervision`` by its name.
    public subscript<Value>(dynamicMember field: WritableKeyPath<ManagedServerOptions, Value>) -> Value {
        get { supervision[keyPath: field] }
        set { supervision[keyPath: field] = newValue }
    }

    /// ``ManagedServerOptions/resolvedExecutable(environment:)``.
    public func resolvedExecutable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        supervision.resolvedExecutable(environment: environment)
    }
}
