import Synchronization

/// A `Mutex` shared by reference, for state that several objects or a task started in an initializer hold (a
/// `Mutex` itself cannot be copied). Where one object owns the state, a `Mutex` property is simpler.
public final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: sending Value) { mutex = Mutex(value) }

    /// Runs `body` with exclusive access to the value.
    @discardableResult
    public func withLock<R>(_ body: (inout sending Value) throws -> sending R) rethrows -> sending R {
        try mutex.withLock(body)
    }

    /// A copy of the current value.
    public var current: Value { withLock { $0 } }
}
