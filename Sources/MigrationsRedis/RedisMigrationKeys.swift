/// The Redis key layout of the migration state: the seed's cache pattern, readable by any Redis tool.
///
/// For migration `<name>` under prefix `<prefix>` (default `migration`):
///
/// | key | type | value |
/// |---|---|---|
/// | `<prefix>:<name>:completed` | string | `true` while the migration is completed |
/// | `<prefix>:<name>:result` | string | the last completed (or rolled-back) ``MigrationResult`` as JSON |
/// | `<prefix>:<name>:error` | string | the last error message; deleted by a completion |
/// | `<prefix>:<name>:failure` | string | the failed ``MigrationResult`` JSON of the run that wrote `:error`; deleted by a completion |
/// | `<prefix>:<name>:lease` | string, with a TTL | the ``RedisLeaseValue`` JSON of the running holder |
/// | `<prefix>:<name>:fence` | string (integer) | the fencing token, incremented by every acquisition |
/// | `<prefix>:<name>:progress` | string, with a TTL | the latest ``ProgressSnapshot`` JSON of a running migration |
/// | `<prefix>:<name>:history` | list | the ``MigrationResult`` JSON of the last attempts, newest first, capped (50 by default); pushed by the script that records each |
/// | `<prefix>:<name>:control` | string | an operator's pending ``MigrationControl`` JSON (pause or cancel), read by the renewal script |
/// | `<prefix>:<name>:checkpoint` | string | the ``MigrationCheckpoint`` JSON of the last unfinished attempt; deleted by a completion or rollback |
///
/// Replicas waiting for a lease add an id to the set `<prefix>:<name>:waiters` and block (`BLPOP`) on the
/// list `<prefix>:<name>:waiter:<id>`; whoever releases the lease pushes to every waiter's list, so they
/// wake at once instead of polling. A replica that finds the lease held by a holder working through its
/// pending migrations waits the same way on `<prefix>:<run>:run-waiters` and `…:run-waiter:<id>` for
/// that whole run (``runWaiters(_:)``). Only `:lease`, `:progress`, the waiter lists and the run-waiters
/// sets expire.
///
/// Names are used as they are: `:` and other punctuation in a name cannot make two migrations share a
/// key, because every key ends in one of the fixed suffixes above and none is a suffix of another.
public struct RedisMigrationKeys: Sendable, Hashable {
    /// The key prefix, `migration` by default. Give each application sharing a Redis its own.
    public var prefix: String

    /// Creates a layout.
    public init(prefix: String = "migration") {
        self.prefix = prefix
    }

    /// `<prefix>:<name>:completed`.
    public func completed(_ name: String) -> String { key(name, "completed") }
    /// `<prefix>:<name>:result`.
    public func result(_ name: String) -> String { key(name, "result") }
    /// `<prefix>:<name>:error`.
    public func error(_ name: String) -> String { key(name, "error") }
    /// `<prefix>:<name>:failure`.
    public func failure(_ name: String) -> String { key(name, "failure") }
    /// `<prefix>:<name>:lease`.
    public func lease(_ name: String) -> String { key(name, "lease") }
    /// `<prefix>:<name>:fence`.
    public func fence(_ name: String) -> String { key(name, "fence") }
    /// `<prefix>:<name>:progress`.
    public func progress(_ name: String) -> String { key(name, "progress") }
    /// `<prefix>:<name>:checkpoint`.
    public func checkpoint(_ name: String) -> String { key(name, "checkpoint") }
    /// `<prefix>:<name>:control`.
    public func control(_ name: String) -> String { key(name, "control") }
    /// `<prefix>:<name>:history`.
    public func history(_ name: String) -> String { key(name, "history") }
    /// `<prefix>:<name>:shards`: a sharded migration's shard count, set by the first shard claimed and
    /// removed with its completion, so that every replica splits the work the same way.
    public func shards(_ name: String) -> String { key(name, "shards") }

    /// Every key suffix that holds data, in the order ``completed(_:)`` … ``checkpoint(_:)``.
    public static let suffixes = [
        "completed", "result", "error", "failure", "lease", "fence", "progress", "checkpoint", "control", "history",
        "shards",
    ]

    /// The migration name a key belongs to, if the key is one of ours: `migration:a:b:completed` → `a:b`.
    public func migrationName(fromKey key: String) -> (name: String, suffix: String)? {
        let head = prefix + ":"
        guard key.hasPrefix(head) else { return nil }
        for suffix in Self.suffixes where key.hasSuffix(":" + suffix) {
            let start = key.index(key.startIndex, offsetBy: head.count)
            let end = key.index(key.endIndex, offsetBy: -(suffix.count + 1))
            guard start < end else { return nil }
            return (String(key[start..<end]), suffix)
        }
        return nil
    }

    /// A `SCAN MATCH` pattern for one suffix, with the prefix's glob characters escaped.
    public func scanPattern(suffix: String) -> String {
        Self.escapeGlob(prefix) + ":*:" + suffix
    }

    static func escapeGlob(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "*?[]\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    fileprivate func key(_ name: String, _ suffix: String) -> String {
        "\(prefix):\(name):\(suffix)"
    }
}

// MARK: - Waiting

extension RedisMigrationKeys {
    /// `<prefix>:<name>:waiters`: the set of ids of replicas waiting for the lease to be released.
    public func waiters(_ name: String) -> String { key(name, "waiters") }

    /// `<prefix>:<name>:waiter:`: the prefix of each waiter's wake-up list (`…:waiter:<id>`).
    public func waiterListPrefix(_ name: String) -> String { key(name, "waiter:") }

    /// `<prefix>:<run>:run-waiters`: the set of ids of replicas waiting for a whole run of pending
    /// migrations to end (``Migrations/LeaseHolder/pendingRun``).
    ///
    /// - Parameter run: The run's id.
    public func runWaiters(_ run: String) -> String { key(run, "run-waiters") }

    /// `<prefix>:<run>:run-waiter:`: the prefix of each such waiter's wake-up list (`…:run-waiter:<id>`).
    ///
    /// - Parameter run: The run's id.
    public func runWaiterListPrefix(_ run: String) -> String { key(run, "run-waiter:") }
}
