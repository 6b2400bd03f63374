/// How fast a batched migration may go: a maximum rate, and conditions under which it backs off.
///
/// ```swift
/// var throttle: MigrationThrottle {
///     MigrationThrottle(maxItemsPerSecond: 5_000)
///         .throttled(on: "replication lag above 2 s") { await database.replicationLag() > .seconds(2) }
/// }
/// ```
///
/// The batch helpers (``MigrationContext/iterate(from:fetch:process:)`` and its variants) apply it between
/// batches: while any condition holds they wait ``backoff`` (with ``jitter``) and ask again, the progress
/// snapshot says ``ProgressSnapshot/throttled`` with the condition's reason, and the lease keeps being
/// renewed. Shopify's `maintenance_tasks` `throttle_on` is the model.
public struct MigrationThrottle: Sendable {
    /// A condition that, while it holds, keeps the next batch from starting.
    public struct Condition: Sendable {
        /// Why the migration waits while the condition holds, shown in progress and logs.
        public var reason: String
        /// Answers whether to wait.
        public var holds: @Sendable () async -> Bool

        /// Creates a condition.
        ///
        /// - Parameters:
        ///   - reason: Shown in progress and logs while it holds.
        ///   - holds: Answers whether to wait before the next batch.
        public init(reason: String, holds: @escaping @Sendable () async -> Bool) {
            self.reason = reason
            self.holds = holds
        }
    }

    /// At most this many items per second, averaged from the start of the attempt; `nil` for no limit.
    public var maxItemsPerSecond: Double?
    /// The conditions asked between batches, in order.
    public var conditions: [Condition]
    /// How long to wait before asking a holding condition again; five seconds by default.
    public var backoff: Duration
    /// The fraction of ``backoff`` added or removed at random, so that replicas do not ask in step;
    /// `0.2` by default.
    public var jitter: Double

    /// No limit and no conditions.
    public static let none = MigrationThrottle()

    /// Creates a throttle.
    ///
    /// - Parameters:
    ///   - maxItemsPerSecond: The rate limit; `nil` for none.
    ///   - conditions: Conditions that make the migration wait.
    ///   - backoff: The wait before asking a holding condition again.
    ///   - jitter: The random fraction of `backoff` added or removed, from 0 to 1.
    public init(
        maxItemsPerSecond: Double? = nil,
        conditions: [Condition] = [],
        backoff: Duration = .seconds(5),
        jitter: Double = 0.2
    ) {
        self.maxItemsPerSecond = maxItemsPerSecond.flatMap { $0 > 0 ? $0 : nil }
        self.conditions = conditions
        self.backoff = max(backoff, .milliseconds(1))
        self.jitter = min(max(jitter, 0), 1)
    }

    /// This throttle with one more condition.
    ///
    /// - Parameters:
    ///   - reason: Shown in progress and logs while the condition holds.
    ///   - holds: Answers whether to wait before the next batch.
    public func throttled(on reason: String, when holds: @escaping @Sendable () async -> Bool) -> MigrationThrottle {
        var copy = self
        copy.conditions.append(Condition(reason: reason, holds: holds))
        return copy
    }

    /// Whether the throttle can make a migration wait.
    public var isActive: Bool {
        maxItemsPerSecond != nil || !conditions.isEmpty
    }

    /// One wait of ``backoff`` with jitter applied.
    func jitteredBackoff() -> Duration {
        guard jitter > 0 else { return backoff }
        return backoff * (1 + Double.random(in: -jitter...jitter))
    }
}
