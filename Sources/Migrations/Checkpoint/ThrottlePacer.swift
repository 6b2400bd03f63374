import Logging

/// Applies a context's ``MigrationThrottle`` between batches: waits while a condition holds (saying why
/// in the progress), and paces to the maximum rate, on the runner's clock.
struct ThrottlePacer<App: Sendable> {
    private let context: MigrationContext<App>
    private let started: Duration
    private var items = 0

    init(context: MigrationContext<App>) {
        self.context = context
        self.started = context.clock.now
    }

    /// Counts the items of a processed batch, for the rate.
    mutating func processed(_ count: Int) {
        items += count
    }

    /// Waits until no condition holds and the rate allows the next batch.
    func waitBeforeBatch() async throws {
        let throttle = context.throttle
        guard throttle.isActive else { return }
        for condition in throttle.conditions {
            guard await condition.holds() else { continue }
            let since = context.clock.now
            context.progress.setThrottled(condition.reason)
            context.logger.notice("throttled: \(condition.reason); waiting before the next batch")
            defer { context.progress.setThrottled(nil) }
            repeat {
                try await context.clock.sleep(until: context.clock.now + throttle.jitteredBackoff())
            } while await condition.holds()
            let waited = MigrationRunner<App>.seconds(context.clock.now - since)
            context.logger.notice("no longer throttled (\(condition.reason)) after \(waited); going on")
        }
        if let rate = throttle.maxItemsPerSecond, items > 0 {
            let earliest = started + .seconds(Double(items) / rate)
            if context.clock.now < earliest { try await context.clock.sleep(until: earliest) }
        }
    }
}
