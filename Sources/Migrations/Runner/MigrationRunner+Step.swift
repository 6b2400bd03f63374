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
enum StepEnding: Sendable {
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
                group.addTask {
                    var supervisor = StepSupervisor(
                        progress: context.progress, progressInterval: interval, timeout: options.timeout,
                        lease: lease, logger: context.logger)
                    return await supervisor.run()
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

    private func logFinalProgress(_ context: MigrationContext<Context>) {
        let snapshot = context.progress.snapshot()
        if snapshot.completed > 0 || snapshot.total > 0 {
            context.logger.info("progress \(snapshot.summary)")
        }
    }
}
