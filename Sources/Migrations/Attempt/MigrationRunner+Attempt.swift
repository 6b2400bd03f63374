import Foundation
import Logging

/// How the work of an attempt ended, with the warnings its validation gave.
struct StepOutcome: Sendable {
    var failure: (kind: MigrationResult.Failure, cause: any Error)?
    var warnings: [String]
    /// The operator's request that stopped the work, if one did.
    var control: MigrationControl?

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

/// What the work of an attempt may use while it runs: the interruption its supervisor raises, the kept
/// lease, and the runner's clock.
struct AttemptScope: Sendable {
    let interruption: AttemptInterruption
    let lease: KeptLease?
    let clock: RunnerClock

    /// A phase that ran on for longer than this after it was cancelled is reported as having ignored
    /// cancellation. Five seconds leave room for a loaded machine's scheduling delays (a cooperative step on two
    /// busy cores took over a second to be scheduled after its cancellation); a step that really ignores
    /// cancellation does so for longer.
    static let cooperativeGrace: Duration = .seconds(5)

    /// How one interruptible phase ended.
    struct Phase<Value: Sendable>: Sendable {
        /// What the work returned or threw; `nil` when it never started (the attempt was interrupted before).
        var result: Result<Value, any Error>?
        /// Why the phase was interrupted, if it was.
        var interruption: InterruptionReason?
        /// How long the work ran on after it was cancelled, when that exceeded ``cooperativeGrace``.
        var ignoredCancellation: Duration?

        /// Whether the work ran and returned without throwing.
        var succeeded: Bool {
            if case .success? = result { return true }
            return false
        }
    }

    private enum Event<Value: Sendable>: Sendable {
        case finished(Result<Value, any Error>)
        case interrupted(InterruptionReason?)
    }

    /// Runs `work`, cancelling it when the attempt is interrupted, and waits until it has really returned.
    ///
    /// Work that ignores cancellation keeps running (and the supervisor keeps the lease) until it returns;
    /// the phase then reports how long it ignored it.
    func interruptibly<Value: Sendable>(_ work: @escaping @Sendable () async throws -> Value) async -> Phase<Value> {
        if let reason = interruption.reason { return Phase(result: nil, interruption: reason) }
        let interruption = self.interruption
        return await withTaskGroup(of: Event<Value>.self) { group in
            group.addTask {
                do {
                    return .finished(.success(try await work()))
                } catch {
                    return .finished(.failure(error))
                }
            }
            group.addTask { .interrupted(await interruption.wait()) }
            var phase = Phase<Value>(result: nil, interruption: nil)
            // Real time, not the injected clock: how long the work really ran on is what operators need.
            var interruptedAt: ContinuousClock.Instant?
            while let event = await group.next() {
                switch event {
                case .finished(let result):
                    phase.result = result
                    group.cancelAll()
                case .interrupted(let reason?):
                    phase.interruption = reason
                    interruptedAt = .now
                    group.cancelAll()
                case .interrupted(nil):
                    break
                }
            }
            if let interruptedAt {
                let ranOn = ContinuousClock.now - interruptedAt
                if ranOn > Self.cooperativeGrace { phase.ignoredCancellation = ranOn }
            }
            return phase
        }
    }

    /// Whether the lease is still held, by the supervisor's last renewal; always `true` without a lease.
    var leaseIsHeld: Bool {
        lease?.isHeld(at: clock.now) ?? true
    }
}

extension MigrationRunner {
    // MARK: - The supervised scope

    /// Runs `body` as one supervised attempt: the supervisor renews `lease`, publishes progress and raises
    /// the timeout from the start of `body` until `body` returns, whatever `body` awaits meanwhile.
    ///
    /// The caller's cancellation does not cancel `body`: it raises the attempt's interruption, which
    /// cancels the running phase, so the outcome is still recorded (and the lease kept meanwhile) even
    /// while the process is shutting down. `body` runs in a task of its own for that reason; this
    /// function always waits for it.
    func superviseAttempt<Value: Sendable>(
        lease: KeptLease?,
        timeout: Duration?,
        progress: MigrationProgress,
        logger: Logger,
        control: AttemptSupervisor.ControlPoll? = nil,
        instruments: AttemptInstruments,
        _ body: @escaping @Sendable (AttemptScope) async -> Value
    ) async -> Value {
        let interruption = AttemptInterruption()
        let scope = AttemptScope(interruption: interruption, lease: lease, clock: clock)
        let supervisor = AttemptSupervisor(
            clock: clock, timer: supervisorTimer, progress: progress, progressInterval: configuration.progressInterval,
            timeout: timeout,
            lease: lease, interruption: interruption, logger: logger, control: control, instruments: instruments)
        // Unstructured on purpose: the attempt must outlive the caller's cancellation (see above). It is
        // awaited on every path, so it never outlives this call.
        let attempt = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var supervisor = supervisor
                    await supervisor.run()
                }
                let value = await body(scope)
                group.cancelAll()
                instruments.progressed(progress.snapshot())
                return value
            }
        }
        return await withTaskCancellationHandler {
            await attempt.value
        } onCancel: {
            interruption.interrupt(.cancelled)
        }
    }

    // MARK: - The work

    /// Validates (for `up`), confirms the lease, then runs the step; each phase is interruptible.
    ///
    /// While the step runs, `checkpoints` writes its saves every interval; when it ends other than by
    /// succeeding (a completion clears the checkpoint anyway), the latest save is written once more.
    ///
    /// - Returns: `nil` when the attempt was cancelled before any of its work started.
    func performWork(
        _ migration: any Migration<Context>,
        direction: MigrationDirection,
        context: MigrationContext<Context>,
        scope: AttemptScope,
        checkpoints: CheckpointWriter?
    ) async -> StepOutcome? {
        if scope.interruption.reason == .cancelled { return nil }
        var warnings: [String] = []
        if direction == .up {
            let phase = await scope.interruptibly { [self] in
                try await withSpan(MigrationSpans.validate) { _ in try await migration.validate(context) }
            }
            if let failure = Self.interrupted(phase, what: "validate", warnings: warnings) { return failure }
            switch phase.result {
            case .success(let validation)?:
                warnings = validation.warnings
                for warning in warnings { context.logger.warning("validation warning: \(warning)") }
                if !validation.isValid {
                    let message = "validation failed: \(validation.message ?? "no reason given")"
                    return .failed(.validation, StepFailure(message: message), warnings: warnings)
                }
            case .failure(let error)?:
                return .failed(.validation, StepFailure(message: "validation threw: \(error)"), warnings: warnings)
            case nil:
                return nil
            }
        }
        guard scope.leaseIsHeld else {
            let message = "lease lost: it expired before the step could start; the step did not run"
            return .failed(.leaseLost, StepFailure(message: message), warnings: warnings)
        }

        context.logger.info(direction == .up ? "migration started" : "rollback started")
        let phase = await withTaskGroup(of: Void.self) { group in
            if let checkpoints { group.addTask { await checkpoints.run() } }
            let phase = await scope.interruptibly { [self] in
                switch direction {
                case .up: try await withSpan(MigrationSpans.up) { _ in try await migration.up(context) }
                case .down: try await withSpan(MigrationSpans.down) { _ in try await migration.down(context) }
                }
            }
            group.cancelAll()
            return phase
        }
        if let checkpoints, phase.interruption != nil || !phase.succeeded {
            await checkpoints.writeLatest()
        }
        logFinalProgress(context)
        if let failure = Self.interrupted(phase, what: "the step", warnings: warnings) { return failure }
        switch phase.result {
        case .success?, nil: return .succeeded(warnings: warnings)
        case .failure(let error)?: return .failed(.error, error, warnings: warnings)
        }
    }

    /// The failure of an interrupted phase, saying how long it ignored cancellation if it did.
    private static func interrupted<Value>(
        _ phase: AttemptScope.Phase<Value>, what: String, warnings: [String]
    ) -> StepOutcome? {
        guard let reason = phase.interruption else { return nil }
        let ignored = phase.ignoredCancellation.map { "; \(what) ignored cancellation for \(Self.seconds($0))" } ?? ""
        switch reason {
        case .timedOut(let limit):
            let message = "timed out: \(what) did not finish within \(Self.seconds(limit)) and was cancelled\(ignored)"
            return .failed(.timeout, StepFailure(message: message), warnings: warnings)
        case .leaseLost(let why):
            return .failed(.leaseLost, StepFailure(message: "lease lost: \(why)\(ignored)"), warnings: warnings)
        case .cancelled:
            let message =
                "cancelled before it finished (the process is shutting down or the caller gave up)\(ignored)"
            return .failed(.cancelled, StepFailure(message: message), warnings: warnings)
        case .controlled(let control):
            var outcome: StepOutcome =
                control.action == .pause
                ? .succeeded(warnings: warnings)
                : .failed(.cancelled, StepFailure(message: control.summary + ignored), warnings: warnings)
            outcome.control = control
            return outcome
        }
    }

    /// `3.7 s`, `0.25 s`.
    static func seconds(_ duration: Duration) -> String {
        let value = duration.timeInterval
        if value >= 10 { return "\(Int(value.rounded())) s" }
        return String(format: value >= 1 ? "%.1f s" : "%.2f s", value)
    }

    private func logFinalProgress(_ context: MigrationContext<Context>) {
        let snapshot = context.progress.snapshot()
        if snapshot.completed > 0 || snapshot.total > 0 {
            context.logger.info("progress \(snapshot.summary)")
        }
    }
}
