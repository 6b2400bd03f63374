import Logging

/// How a step ended, with the warnings its validation gave.
struct StepOutcome: Sendable {
    var failure: (kind: MigrationResult.Failure, cause: any Error)?
    var warnings: [String]

    static func succeeded(warnings: [String]) -> StepOutcome {
        StepOutcome(failure: nil, warnings: warnings)
    }

    static func failed(_ kind: MigrationResult.Failure, _ cause: any Error, warnings: [String]) -> StepOutcome {
        StepOutcome(failure: (kind, cause), warnings: warnings)
    }

    /// The message recorded for a cause: a ``MigrationError``'s or ``StepFailure``'s own, else its description.
    static func message(for cause: any Error) -> String {
        switch cause {
        case let error as MigrationError: error.message
        case let error as StepFailure: error.message
        default: String(describing: cause)
        }
    }
}

/// A failure the runner describes itself: a validation verdict, a timeout, a lost lease, a cancellation.
struct StepFailure: Error, Sendable {
    let message: String
}

/// A held lease and the monotonic instant its acquisition started, from which its expiry is computed.
struct LeaseKeeping: Sendable {
    let lease: any MigrationLease
    let acquiredAt: ContinuousClock.Instant
}

/// What ended the group of tasks around a step.
private enum StepEnding: Sendable {
    case finished
    case timedOut(Duration)
    case leaseLost(String)
}

extension MigrationRunner {
    /// Validates (for `up`), then runs the step beside its timeout, lease renewal and progress reporting.
    func perform(
        _ migration: any Migration<Context>,
        direction: MigrationDirection,
        context: MigrationContext<Context>,
        lease: LeaseKeeping?,
        _ options: MigrationRunOptions
    ) async -> StepOutcome {
        var warnings: [String] = []
        if direction == .up {
            do {
                let validation = try await migration.validate(context)
                warnings = validation.warnings
                for warning in warnings { context.logger.warning("validation warning: \(warning)") }
                if !validation.isValid {
                    let message = "validation failed: \(validation.message ?? "no reason given")"
                    return .failed(.validation, StepFailure(message: message), warnings: warnings)
                }
            } catch {
                return .failed(.validation, StepFailure(message: "validation threw: \(error)"), warnings: warnings)
            }
        }

        context.logger.info(direction == .up ? "migration started" : "rollback started")
        let interval = configuration.progressInterval
        do {
            let ending = try await withThrowingTaskGroup(of: StepEnding?.self) { group in
                group.addTask {
                    switch direction {
                    case .up: try await migration.up(context)
                    case .down: try await migration.down(context)
                    }
                    return .finished
                }
                if let timeout = options.timeout {
                    group.addTask {
                        do { try await Task.sleep(for: timeout) } catch { return nil }
                        return .timedOut(timeout)
                    }
                }
                if let lease, let timeToLive = lease.lease.timeToLive {
                    group.addTask { await Self.keepAlive(lease, timeToLive: timeToLive, logger: context.logger) }
                }
                group.addTask {
                    await Self.reportProgress(
                        context.progress, every: interval, lease: lease?.lease, logger: context.logger)
                }
                while let next = try await group.next() {
                    if let ending = next {
                        group.cancelAll()
                        return ending
                    }
                }
                return StepEnding.finished
            }
            logFinalProgress(context)
            switch ending {
            case .finished:
                return .succeeded(warnings: warnings)
            case .timedOut(let timeout):
                let message = "did not finish within \(timeout) and was cancelled"
                return .failed(.timeout, StepFailure(message: message), warnings: warnings)
            case .leaseLost(let reason):
                return .failed(.leaseLost, StepFailure(message: "lease lost: \(reason)"), warnings: warnings)
            }
        } catch {
            logFinalProgress(context)
            if Task.isCancelled {
                let message = "cancelled before it finished (the process is shutting down or the caller gave up)"
                return .failed(.cancelled, StepFailure(message: message), warnings: warnings)
            }
            return .failed(.error, error, warnings: warnings)
        }
    }

    // MARK: - Companion tasks

    /// Renews the lease every third of its time to live until cancelled; ends the step if the lease is
    /// refused, or if its local deadline (acquisition start + TTL − 10 % drift) passes without a renewal.
    private static func keepAlive(
        _ keeping: LeaseKeeping,
        timeToLive: Duration,
        logger: Logger
    ) async -> StepEnding? {
        let drift = timeToLive / 10
        let interval = timeToLive / 3
        var expiry = keeping.acquiredAt + timeToLive - drift
        var nextRenewal = keeping.acquiredAt + interval
        while !Task.isCancelled {
            do {
                try await Task.sleep(until: min(nextRenewal, expiry), clock: .continuous)
            } catch {
                return nil
            }
            if ContinuousClock.now >= expiry {
                return .leaseLost("it could not be renewed before it expired")
            }
            let attempt = ContinuousClock.now
            do {
                guard try await keeping.lease.renew() else {
                    return .leaseLost("another process took it over or an operator cleared it")
                }
                expiry = attempt + timeToLive - drift
                nextRenewal = attempt + interval
            } catch {
                if Task.isCancelled { return nil }
                logger.warning("could not renew the lease; retrying", metadata: ["error": "\(error)"])
                nextRenewal = ContinuousClock.now + min(interval, .milliseconds(250))
            }
        }
        return nil
    }

    /// Logs and publishes progress at a throttled interval until cancelled.
    private static func reportProgress(
        _ progress: MigrationProgress,
        every interval: Duration,
        lease: (any MigrationLease)?,
        logger: Logger
    ) async -> StepEnding? {
        var lastLogged = 0
        while true {
            do { try await Task.sleep(for: interval) } catch { return nil }
            let snapshot = progress.snapshot()
            if snapshot.completed != lastLogged {
                logger.info("progress \(snapshot.summary)")
                lastLogged = snapshot.completed
            }
            await lease?.publish(progress: snapshot)
        }
    }

    private func logFinalProgress(_ context: MigrationContext<Context>) {
        let snapshot = context.progress.snapshot()
        if snapshot.completed > 0 || snapshot.total > 0 {
            context.logger.info("progress \(snapshot.summary)")
        }
    }
}
