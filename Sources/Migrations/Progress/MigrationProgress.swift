import Foundation
import Synchronization

/// Progress of one running migration, cheap enough to update in a hot loop.
///
/// ```swift
/// context.progress.setTotal(rows.count)
/// for row in rows {
///     try await import(row)
///     context.progress.increment()
/// }
/// ```
///
/// ``increment(by:)`` is a single relaxed atomic add: no lock, no clock read, no logging. The runner
/// samples the counters from a task of its own at a throttled interval to log percentage, rate and ETA,
/// and to publish them where the lease can (the Redis lease stores them for `migrations status`).
public final class MigrationProgress: Sendable {
    private let completedCount = Atomic<Int>(0)
    private let totalCount = Atomic<Int>(0)
    private let finished = Atomic<Bool>(false)
    private let start: ContinuousClock.Instant
    private let startDate: Date
    private let resumedCount: Atomic<Int>
    private let throttleReason = Mutex<String?>(nil)

    /// Creates progress with an optional known total.
    ///
    /// - Parameters:
    ///   - total: How many items the migration will process; `0` when unknown.
    ///   - resumedFrom: The count a previous attempt reached (its checkpoint's), from which this one
    ///     continues: the bar and the estimate go on from there instead of restarting at 0.
    public init(total: Int = 0, resumedFrom: Int = 0) {
        self.start = .now
        self.startDate = Date()
        self.resumedCount = Atomic(max(0, resumedFrom))
        totalCount.store(max(0, total), ordering: .relaxed)
        completedCount.store(max(0, resumedFrom), ordering: .relaxed)
    }

    /// The count the attempt resumed from (`0` on a first attempt).
    public var resumedFrom: Int { resumedCount.load(ordering: .relaxed) }

    /// Continues from a checkpoint, before the step starts: the count and total it recorded.
    func resume(from checkpoint: MigrationCheckpoint) {
        resumedCount.store(max(0, checkpoint.completed), ordering: .relaxed)
        completedCount.store(max(0, checkpoint.completed), ordering: .relaxed)
        if checkpoint.total > 0 { totalCount.store(checkpoint.total, ordering: .relaxed) }
    }

    /// The completed and total counts now.
    var counts: (completed: Int, total: Int) {
        (completedCount.load(ordering: .relaxed), totalCount.load(ordering: .relaxed))
    }

    /// Says why the migration is waiting (a throttle condition holds), or `nil` once it goes on.
    ///
    /// - Parameter reason: The condition's reason, or `nil`.
    public func setThrottled(_ reason: String?) {
        throttleReason.withLock { $0 = reason }
    }

    /// Sets how many items the migration will process.
    public func setTotal(_ total: Int) {
        totalCount.store(max(0, total), ordering: .relaxed)
    }

    /// Counts processed items.
    ///
    /// - Parameter count: How many items were processed since the last call.
    @inline(__always)
    public func increment(by count: Int = 1) {
        completedCount.wrappingAdd(count, ordering: .relaxed)
    }

    /// Marks the work as finished: the completed count becomes the total when a total is known.
    public func complete() {
        let total = totalCount.load(ordering: .relaxed)
        if total > 0 { completedCount.store(total, ordering: .relaxed) }
        finished.store(true, ordering: .relaxed)
    }

    /// The current counters, rate and estimate.
    public func snapshot(now: ContinuousClock.Instant = .now) -> ProgressSnapshot {
        let elapsed = start.duration(to: now)
        return ProgressSnapshot(
            completed: completedCount.load(ordering: .relaxed),
            total: totalCount.load(ordering: .relaxed),
            elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            isFinished: finished.load(ordering: .relaxed),
            startedAt: startDate,
            resumedFrom: resumedCount.load(ordering: .relaxed),
            throttled: throttleReason.withLock { $0 }
        )
    }
}
