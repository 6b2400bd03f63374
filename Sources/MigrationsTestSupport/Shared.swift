import Synchronization

/// A value shared between a test and the closures it hands to a migration.
public final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    /// Creates the box.
    public init(_ value: Value) {
        storage = Mutex(value)
    }

    /// The value now.
    public var value: Value {
        storage.withLock { $0 }
    }

    /// Replaces the value.
    public func set(_ value: Value) {
        storage.withLock { $0 = value }
    }

    /// Changes the value under the lock.
    @discardableResult
    public func update<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        storage.withLock { body(&$0) }
    }
}

extension Shared where Value == Bool {
    /// Sets the flag to `false` and answers whether it was `true`: a one-shot trigger.
    public func take() -> Bool {
        update { flag in
            defer { flag = false }
            return flag
        }
    }
}
