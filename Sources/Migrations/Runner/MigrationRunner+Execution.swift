import Foundation
import Logging
import Synchronization
import Tracing

/// Which step of a migration a run executes.
enum MigrationDirection: Sendable {
    case up
    case down
}

extension MigrationRunner {
    // MARK: - One run

    /// Runs one attempt in a ``MigrationSpans/run`` span and counts its outcome (``MigrationMetrics``).
    func execute(
        _ migration: any Migration<Context>,
        direction: MigrationDirection,
        app: Context,
        options: MigrationRunOptions,
        known: StoredMigrationState?
    ) async throws -> MigrationResult {
        // An attempt whose lease was taken with the completion before it keeps the id recorded in that lease.
        let runId = options.pendingRun?.prefetchedRunId(for: migration.name) ?? MigrationRunID.random()
        let instruments = AttemptInstruments(factory: configuration.metricsFactory, name: migration.name)
        return try await withSpan(MigrationSpans.run) { span in
            span.attributes["migration.name"] = migration.name
            span.attributes["migration.run_id"] = runId
            span.attributes["migration.direction"] = direction == .up ? "up" : "down"
            if options.dryRun { span.attributes["migration.dry_run"] = true }
            let result: MigrationResult
            if let sharding = migration.sharding, direction == .up, !options.dryRun {
                span.attributes["migration.shards"] = sharding.count
                result = try await executeSharded(
                    migration, sharding: sharding, app: app, options: options, known: known, runId: runId,
                    instruments: instruments)
            } else {
                result = try await attempt(
                    migration, direction: direction, app: app, options: options, known: known, runId: runId,
                    instruments: instruments)
            }
            instruments.ended(result)
            span.attributes["migration.outcome"] = AttemptInstruments.outcome(of: result)
            if let token = result.fencingToken {
                span.attributes["migration.fencing_token"] = Int64(truncatingIfNeeded: token)
            }
            if let records = result.recordsProcessed { span.attributes["migration.records_processed"] = records }
            if result.isFailure { span.setStatus(SpanStatus(code: .error, message: result.error)) }
            return result
        }
    }

    private func attempt(
        _ migration: any Migration<Context>,
        direction: MigrationDirection,
        app: Context,
        options: MigrationRunOptions,
        known: StoredMigrationState?,
        runId: String,
        instruments: AttemptInstruments
    ) async throws -> MigrationResult {
        let name = migration.name
        let progress = MigrationProgress()
        try claim(name, progress: progress)
        defer { unclaim(name) }

        let triggeredBy = options.triggeredBy ?? configuration.triggeredBy
        let logger = makeLogger(migration, options: options, runId: runId)
        let resumable = direction == .up && migration.stateHooks == nil
        let identity = AttemptIdentity(
            migration: migration, app: app, options: options, progress: progress, logger: logger, runId: runId)

        if options.dryRun {
            let run = RunRecord(
                name: name, startedAt: Date(), triggeredBy: triggeredBy, host: configuration.host, runId: runId)
            let outcome: (StepOutcome?, MigrationCheckpoint?) = try await superviseAttempt(
                lease: nil, timeout: options.timeout, progress: progress, logger: logger, instruments: instruments
            ) { [self] scope -> Result<(StepOutcome?, MigrationCheckpoint?), any Error> in
                do {
                    // A sharded migration's dry run goes through its shards in order, in this process.
                    let shards: [MigrationShard?] =
                        direction == .up ? migration.sharding?.shards.map { $0 } ?? [nil] : [nil]
                    var last: (StepOutcome?, MigrationCheckpoint?) = (nil, nil)
                    for shard in shards {
                        let unit = AttemptUnit(migration: name, shard: shard)
                        let checkpoint = resumable ? try await stateStore.state(of: unit.storageName).checkpoint : nil
                        if let checkpoint { progress.resume(from: checkpoint) }
                        let context = makeContext(
                            identity, fencingToken: nil, checkpoint: checkpoint, recorder: nil, shard: shard)
                        let work = await performWork(
                            migration, direction: direction, context: context, scope: scope, checkpoints: nil)
                        last = (work, last.1 ?? checkpoint)
                        guard let work, work.failure == nil else { break }
                    }
                    return .success(last)
                } catch {
                    return .failure(error)
                }
            }.get()
            guard let stepOutcome = outcome.0 else { throw Self.cancelledBeforeStart(name) }
            try Self.rethrowRefusal(stepOutcome)
            let result = run.result(
                stepOutcome, dryRun: true, attempts: 0, fencingToken: nil, progress: progress, resumedFrom: outcome.1)
            log(result, logger: logger)
            return result
        }

        let hooks = migration.stateHooks
        let skipIfCompleted = direction == .up && options.skipCompleted && hooks == nil
        let request = LeaseRequest(
            name: name, holder: leaseHolder(options, runId: runId), skipIfCompleted: skipIfCompleted)
        let (acquisition, acquiredAt, waited) = try await acquire(request, options, logger, instruments)
        if case .acquired = acquisition { options.pendingRun?.noteLeaseTaken() }
        // The attempt starts now that the lease is ours, not when waiting for it began.
        let run = RunRecord(
            name: name, startedAt: Date(), triggeredBy: triggeredBy, host: configuration.host, runId: runId)
        guard case .acquired(let lease, let completionChecked) = acquisition else {
            return run.skipped()
        }
        return try await runHeld(
            HeldAttempt(
                migration: migration, unit: AttemptUnit(migration: name, shard: nil), direction: direction,
                identity: identity, lease: lease, acquiredAt: acquiredAt, completionChecked: completionChecked,
                waited: waited, run: run),
            known: known, instruments: instruments
        ).result
    }

    /// Runs the work of an attempt whose lease is held, from reading its state to recording its outcome,
    /// supervised (renewals, control, timeout) throughout; the lease is released on every path.
    func runHeld(
        _ held: HeldAttempt<Context>, known: StoredMigrationState?, instruments: AttemptInstruments
    ) async throws -> HeldOutcome {
        let (migration, direction, identity, lease) = (held.migration, held.direction, held.identity, held.lease)
        let (name, storage, shard, run) = (migration.name, held.unit.storageName, held.unit.shard, held.run)
        let options = identity.options
        let progress = identity.progress
        let hooks = migration.stateHooks
        let resumable = direction == .up && hooks == nil
        instruments.running(true)
        defer { instruments.running(false) }

        let kept = KeptLease(lease, acquiredAt: held.acquiredAt, onLoss: instruments.leaseLost)
        let fencingToken = lease.fence.fencingToken
        // From here on every line the attempt logs carries the fencing token, as the step's logger does.
        let leaseLogger = Self.logger(identity.logger, fencingToken: fencingToken)
        let store = self.stateStore
        // Control requests are the migration's, for a shard too: one pause stops every holder.
        let controlPoll = AttemptSupervisor.ControlPoll(interval: configuration.controlPollInterval) {
            try await store.control(of: name)
        }
        let attempt: Result<HeldOutcome, any Error> = await superviseAttempt(
            lease: kept, timeout: options.timeout, progress: progress, logger: leaseLogger, control: controlPoll,
            instruments: instruments
        ) { [self] scope in
            do {
                let state: StoredMigrationState
                if let known, known.isCurrent(forFencingToken: fencingToken) {
                    state = known
                } else {
                    state = try await stateStore.state(of: storage)
                }
                let checkpoint = resumable ? state.checkpoint : nil
                let recorder = resumable ? CheckpointRecorder(progress: progress) : nil
                let context = makeContext(
                    identity, fencingToken: fencingToken, checkpoint: checkpoint, recorder: recorder, shard: shard)
                let completed: Bool
                if let hooks {
                    completed = try await hooks.isCompleted(context)
                } else if held.completionChecked && direction == .up {
                    completed = false
                } else if shard != nil {
                    // A shard is done when it is, or when the whole migration is (its markers are then cleared).
                    let both = try await stateStore.states(for: [storage, name])
                    completed = both.values.contains(where: \.isCompleted)
                } else {
                    completed = try await stateStore.isCompleted(name)
                }
                if direction == .up && completed && (options.skipCompleted || hooks != nil || shard != nil) {
                    try await lease.release()
                    return .success(HeldOutcome(result: run.skipped()))
                }
                if held.waited { instruments.tookOver() }
                if direction == .down && !completed {
                    throw MigrationError(
                        .notCompleted,
                        "migration '\(name)' has not completed, so there is nothing to roll back",
                        migration: name
                    )
                }
                if direction == .up, hooks == nil, shard == nil, let control = state.control {
                    // Asked before this attempt started: pause without running, or record the cancellation.
                    leaseLogger.notice("not starting: \(control.summary)")
                    var outcome =
                        control.action == .pause
                        ? StepOutcome.succeeded(warnings: [])
                        : StepOutcome.failed(.cancelled, StepFailure(message: control.summary), warnings: [])
                    outcome.control = control
                    let result = run.result(
                        outcome, dryRun: false, attempts: state.attemptsSoFar + (control.action == .pause ? 0 : 1),
                        fencingToken: fencingToken, progress: progress, resumedFrom: nil)
                    let recorded = await record(result, held: held, context: context)
                    log(recorded.result, logger: leaseLogger)
                    return .success(recorded)
                }
                if let checkpoint {
                    progress.resume(from: checkpoint)
                    leaseLogger.notice("resuming from the checkpoint: \(checkpoint.summary)")
                }
                let writer = recorder.map { recorder in
                    CheckpointWriter(
                        name: storage, recorder: recorder, store: stateStore, lease: kept, host: configuration.host,
                        runId: identity.runId, attempt: state.attemptsSoFar + 1, clock: clock,
                        interval: configuration.checkpointInterval,
                        interruption: scope.interruption, logger: leaseLogger, instruments: instruments)
                }
                guard
                    let outcome = await performWork(
                        migration, direction: direction, context: context, scope: scope, checkpoints: writer)
                else { throw Self.cancelledBeforeStart(name) }
                try Self.rethrowRefusal(outcome)
                var result = run.result(
                    outcome, dryRun: false, attempts: state.attemptsSoFar + 1, fencingToken: fencingToken,
                    progress: progress, resumedFrom: checkpoint)
                if direction == .down, result.status == .completed { result.status = .rolledBack }
                if !options.recordsCancellation, result.failure == .cancelled, result.control == nil {
                    result.status = .interrupted
                    result.failure = nil
                }
                let recorded = await record(result, held: held, context: context)
                log(recorded.result, logger: leaseLogger, shard: shard)
                if recorded.shardCompletion?.completedMigration == true {
                    leaseLogger.info(
                        "migration completed", metadata: ["migration.shards": "\(shard?.count ?? 0)"])
                }
                return .success(recorded)
            } catch {
                try? await lease.release()
                return .failure(error)
            }
        }
        return try attempt.get()
    }

    /// The result of a migration a pause request stops before it is even tried (no lease taken).
    func pausedWithoutRunning(
        _ name: String, _ control: MigrationControl, options: MigrationRunOptions
    ) -> MigrationResult {
        let now = Date()
        var result = MigrationResult(
            name: name, status: .paused, startedAt: now, finishedAt: now,
            triggeredBy: options.triggeredBy ?? configuration.triggeredBy, host: configuration.host.host,
            pid: configuration.host.pid, attempts: 0)
        result.control = control
        return result
    }

    /// The error of a run cancelled after it took the lease but before any of its work started.
    private static func cancelledBeforeStart(_ name: String) -> MigrationError {
        MigrationError(
            .cancelled, "migration '\(name)' was cancelled before it started; nothing ran and nothing was recorded",
            migration: name)
    }

    // MARK: - Leases

    /// How long a run waits before it says how to inspect and clear the lease it waits for.
    static var waitAdviceDelay: Duration { .seconds(30) }

    /// Takes the lease, waiting for another holder as the options allow.
    ///
    /// Waiting is cancellable: on task cancellation it ends within the provider's wait slice (one second
    /// at most for the bundled providers) with ``MigrationError/Code-swift.struct/cancelled``, having
    /// released and recorded nothing.
    ///
    /// - Returns: The acquisition; the instant its successful attempt started, from which the lease's
    ///   local expiry is computed (not the start of any waiting before it); and whether it waited for
    ///   another holder first.
    private func acquire(
        _ request: LeaseRequest,
        _ options: MigrationRunOptions,
        _ logger: Logger,
        _ instruments: AttemptInstruments
    ) async throws -> (LeaseAcquisition, Duration, waited: Bool) {
        let name = request.name
        let waitStart = clock.now
        let limit = options.whenHeldElsewhere.waitLimit
        let deadline = limit.map { waitStart + $0 }
        var wait: LeaseWait?
        var waitSpan: (any Span)?
        var advised = false
        defer {
            if wait != nil {
                setWaiting(name, nil)
                instruments.waited(clock.now - waitStart)
                waitSpan?.end()
            }
        }
        var first = true
        while true {
            if Task.isCancelled { throw Self.cancelledWhileWaiting(name, wait) }
            let acquisition: LeaseAcquisition
            var attemptStart = clock.now
            // The first answer may have come with the completion of the migration before this one.
            if first, let early = options.pendingRun?.takePrefetched(for: name) {
                acquisition = early.acquisition
                attemptStart = early.attemptStart
            } else {
                do {
                    acquisition = try await leaseProvider.acquire(request)
                } catch let error as MigrationError {
                    throw error
                } catch {
                    if Task.isCancelled { throw Self.cancelledWhileWaiting(name, wait) }
                    throw MigrationError(
                        .lease, "could not take the lease of migration '\(name)'", migration: name, cause: error)
                }
            }
            first = false
            guard case .heldBy(let holder) = acquisition else {
                if case .acquired = acquisition { instruments.leaseAcquired() }
                return (acquisition, attemptStart, wait != nil)
            }
            let holderText = holder?.summary ?? "another process"
            guard let deadline, clock.now < deadline else {
                throw MigrationError(
                    .heldElsewhere,
                    "migration '\(name)' is already running: its lease is held by \(holderText)"
                        + (deadline == nil ? "" : " and was not released in time"),
                    migration: name,
                    holder: holder
                )
            }
            if wait == nil {
                let started = LeaseWait(holder: holder, since: Date(), limit: limit)
                logger.notice(
                    "waiting for \(started.holderSummary) to finish; waiting at most \(Self.seconds(deadline - waitStart))",
                    metadata: ["lease.holder": "\(holderText)"])
                wait = started
                let span = startSpan(MigrationSpans.leaseWait)
                span.attributes["migration.name"] = name
                span.attributes["lease.holder"] = holderText
                waitSpan = span
            } else {
                wait?.holder = holder
            }
            setWaiting(name, wait)
            if !advised, clock.now - waitStart >= Self.waitAdviceDelay {
                advised = true
                let advice =
                    "still waiting for the lease of '\(name)', held by \(wait?.holderSummary ?? holderText); "
                    + "if that holder is gone, `migrations leases` shows the lease and "
                    + "`migrations unlock '\(name)'` clears it"
                logger.warning("\(advice)")
            }
            do {
                if let ours = options.pendingRun, let theirs = holder?.pendingRun, theirs != ours.id {
                    // The holder goes on to the next pending migration after this one, as this call would:
                    // wait for its whole run, not for each migration it completes.
                    try await leaseProvider.waitForPendingRun(theirs, holding: name, timeout: deadline - clock.now)
                    ours.noteWaitedForAnotherRun()
                } else {
                    try await leaseProvider.waitForRelease(of: name, timeout: deadline - clock.now)
                }
            } catch {
                waitSpan?.recordError(error)
                if Task.isCancelled || error is CancellationError { throw Self.cancelledWhileWaiting(name, wait) }
                throw error
            }
        }
    }

    private static func cancelledWhileWaiting(_ name: String, _ wait: LeaseWait?) -> MigrationError {
        let holder = wait.map { " for \($0.holderSummary)" } ?? ""
        return MigrationError(
            .cancelled,
            "migration '\(name)' was cancelled while waiting\(holder); nothing ran and nothing was recorded",
            migration: name, holder: wait?.holder)
    }

    // MARK: - Recording

    /// Writes the outcome (in a ``MigrationSpans/record`` span) and releases the lease unless the write did.
    private func record(
        _ result: MigrationResult, held: HeldAttempt<Context>, context: MigrationContext<Context>
    ) async -> HeldOutcome {
        await withSpan(MigrationSpans.record) { span in
            span.attributes["migration.name"] = result.name
            if let shard = held.unit.shard { span.attributes["migration.shard"] = shard.index }
            let recorded = await writeOutcome(result, held: held, context: context)
            if recorded.result.status != result.status {
                span.setStatus(SpanStatus(code: .error, message: recorded.result.error))
            }
            return recorded
        }
    }

    private func writeOutcome(
        _ result: MigrationResult, held: HeldAttempt<Context>, context: MigrationContext<Context>
    ) async -> HeldOutcome {
        let (hooks, fence, lease) = (held.migration.stateHooks, held.lease.fence, held.lease)
        var result = result
        var disposition = LeaseDisposition.stillHeld
        var shardCompletion: ShardCompletion?
        do {
            switch (result.status, hooks) {
            case (.completed, _) where held.unit.shard != nil:
                let completion = try await recordShardCompletion(result, held: held)
                shardCompletion = completion
                disposition = completion.disposition
            case (.completed, let hooks?): try await hooks.markComplete(result, context)
            case (.completed, nil):
                disposition = try await markCompleted(result, fence: fence, run: held.identity.options.pendingRun)
            case (.rolledBack, let hooks?): try await hooks.markRolledBack(result, context)
            case (.rolledBack, nil): disposition = try await stateStore.markRolledBack(result, fence: fence)
            case (.paused, _): disposition = try await stateStore.markPaused(stored(result, held), fence: fence)
            case (.interrupted, _): break
            case (_, _) where result.failure == .leaseLost: break
            case (_, let hooks?): try await hooks.markFailed(result, context)
            case (_, nil):
                disposition = try await stateStore.markFailed(stored(result, held), fence: fence)
                if let shard = held.unit.shard {
                    // The shard's failure is the migration's: recorded on it too, after the fenced write.
                    var failed = result
                    failed.error = "\(shard) failed: \(result.error ?? "failed")"
                    failed.shard = shard
                    _ = try await stateStore.markFailed(failed, fence: nil)
                    result.error = failed.error
                }
            }
        } catch let error as MigrationError where error.code == .leaseLost {
            result.status = .failed
            result.failure = .leaseLost
            result.error = error.message
        } catch {
            context.logger.error("could not record the result", metadata: ["error": "\(error)"])
            if result.status != .failed {
                result.status = .failed
                result.failure = .error
                result.error = "the step succeeded but its result could not be recorded: \(error)"
            }
        }
        if let control = result.control, control.action == .cancel, result.status == .failed {
            // The cancellation was honoured: the request is consumed, so a later run resumes. A shard's holder
            // consumes it only when no other shard is held, so that every holder sees it first.
            do {
                if try await noOtherShardHeld(held) {
                    try await stateStore.clearControl(of: result.name, expecting: control)
                }
            } catch {
                context.logger.warning("could not clear the cancel request", metadata: ["error": "\(error)"])
            }
        }
        if disposition == .stillHeld {
            do {
                try await lease.release()
            } catch {
                context.logger.warning(
                    "could not release the lease; it will expire by itself", metadata: ["error": "\(error)"])
            }
        }
        return HeldOutcome(result: result, shardCompletion: shardCompletion)
    }

    /// The result as the store keeps it for the attempt's unit: under the shard's own name for a shard.
    private func stored(_ result: MigrationResult, _ held: HeldAttempt<Context>) -> MigrationResult {
        guard let shard = held.unit.shard else { return result }
        var stored = result
        stored.name = held.unit.storageName
        stored.shard = shard
        return stored
    }

    /// Records a completed shard, and the migration's completion if it was the last, in one store write.
    private func recordShardCompletion(
        _ result: MigrationResult, held: HeldAttempt<Context>
    ) async throws -> ShardCompletion {
        guard let shard = held.unit.shard else { preconditionFailure("only a shard's attempt records a shard") }
        var completion = result
        completion.shard = nil
        completion.shardCount = shard.count
        return try await stateStore.markShardCompleted(
            stored(result, held), shard: shard, of: held.migration.name, fence: held.lease.fence,
            completion: completion)
    }

    /// Whether no shard of the migration other than this attempt's is held: always for an unsharded one.
    private func noOtherShardHeld(_ held: HeldAttempt<Context>) async throws -> Bool {
        guard let shard = held.unit.shard else { return true }
        let others = MigrationSharding.count(shard.count).shards.filter { $0 != shard }
        let states = try await stateStore.states(for: others.map { $0.storageName(of: held.migration.name) })
        return states.values.allSatisfy { $0.holder == nil }
    }

    // MARK: - Helpers

    /// A step that turns out to be missing (`down` not implemented) is a refusal, not a failed run.
    private static func rethrowRefusal(_ outcome: StepOutcome) throws(MigrationError) {
        if let cause = outcome.failure?.cause as? MigrationError, cause.code == .rollbackNotSupported {
            throw cause
        }
    }

    func claim(_ name: String, progress: MigrationProgress) throws(MigrationError) {
        let claimed = running.withLock { running in
            if running[name] != nil { return false }
            running[name] = RunningMigration(progress: progress)
            return true
        }
        guard claimed else { throw MigrationError.alreadyRunningHere(name) }
    }

    func unclaim(_ name: String) {
        _ = running.withLock { $0.removeValue(forKey: name) }
    }

    func setWaiting(_ name: String, _ wait: LeaseWait?) {
        running.withLock { $0[name]?.leaseWait = wait }
    }

    func makeLogger(_ migration: any Migration<Context>, options: MigrationRunOptions, runId: String) -> Logger {
        var logger = self.logger
        // One assignment, not one a key: a handler may render its metadata again on every change
        // (swift-log's `StreamLogHandler` does), which was a tenth of a no-op attempt.
        var metadata = logger.handler.metadata
        metadata["migration.name"] = "\(migration.name)"
        metadata["migration.run_id"] = "\(runId)"
        if options.dryRun { metadata["migration.dry_run"] = "true" }
        for (key, value) in options.metadata { metadata["migration.metadata.\(key)"] = "\(value)" }
        logger.handler.metadata = metadata
        return logger
    }

    private static func logger(_ logger: Logger, fencingToken: UInt64?) -> Logger {
        var logger = logger
        if let fencingToken { logger[metadataKey: "migration.fencing_token"] = "\(fencingToken)" }
        return logger
    }

    private func makeContext(
        _ identity: AttemptIdentity<Context>,
        fencingToken: UInt64?,
        checkpoint: MigrationCheckpoint?,
        recorder: CheckpointRecorder?,
        shard: MigrationShard? = nil
    ) -> MigrationContext<Context> {
        let logger = Self.logger(identity.logger, fencingToken: fencingToken)
        return MigrationContext(
            app: identity.app,
            migrationName: identity.migration.name,
            logger: logger,
            metadata: identity.options.metadata,
            dryRun: identity.options.dryRun,
            triggeredBy: identity.options.triggeredBy ?? configuration.triggeredBy,
            progress: identity.progress,
            fencingToken: fencingToken,
            runId: identity.runId,
            checkpoint: checkpoint,
            throttle: identity.options.throttle ?? identity.migration.throttle,
            checkpoints: recorder,
            clock: clock,
            shard: shard
        )
    }

    private func log(_ result: MigrationResult, logger: Logger, shard: MigrationShard? = nil) {
        // Formatted only when the line is logged: `String(format:)` costs more than the rest of a no-op's log.
        var duration: String { String(format: "%.3f", result.duration) }
        if let shard, result.status == .completed {
            // The migration's own completion is logged once, by the holder of its last shard.
            logger.info("\(shard) completed", metadata: ["migration.duration_s": "\(duration)"])
            return
        }
        switch result.status {
        case .paused:
            logger.notice("migration paused: \(result.control?.summary ?? "")")
        case .interrupted:
            logger.notice(
                "migration interrupted: \(result.error ?? "stopped"); its checkpoint is kept for the next attempt")
        case .failed:
            logger.error(
                "migration failed",
                metadata: [
                    "migration.failure": "\(result.failure?.rawValue ?? "error")", "error": "\(result.error ?? "")",
                ])
        default:
            logger.info("migration \(result.status.rawValue)", metadata: ["migration.duration_s": "\(duration)"])
        }
    }
}

/// What every context of one run repeats: the migration, the caller's values, the run's progress and logger.
struct AttemptIdentity<Context: Sendable>: Sendable {
    let migration: any Migration<Context>
    let app: Context
    let options: MigrationRunOptions
    let progress: MigrationProgress
    let logger: Logger
    let runId: String
}

/// A migration this runner is running: its progress, and the lease it waits for before it starts.
struct RunningMigration: Sendable {
    let progress: MigrationProgress
    var leaseWait: LeaseWait?
}

/// What one attempt leases and records: a whole migration, or one shard of a sharded one.
struct AttemptUnit: Sendable {
    /// The migration's name.
    let migration: String
    /// The shard, for a sharded migration.
    let shard: MigrationShard?

    /// The name the unit's lease, checkpoint and state are stored under.
    var storageName: String { shard?.storageName(of: migration) ?? migration }
}

/// An attempt whose lease is held: what ``MigrationRunner/runHeld(_:known:instruments:)`` runs.
struct HeldAttempt<Context: Sendable>: Sendable {
    let migration: any Migration<Context>
    let unit: AttemptUnit
    let direction: MigrationDirection
    let identity: AttemptIdentity<Context>
    let lease: any MigrationLease
    /// The instant the successful acquisition started, from which the lease's local expiry is computed.
    let acquiredAt: Duration
    /// Whether the provider verified, with the acquisition, that the unit was not completed.
    let completionChecked: Bool
    /// Whether the attempt waited for another holder first.
    let waited: Bool
    let run: RunRecord
}

/// How a held attempt ended: its result, and for a completed shard what recording it found.
struct HeldOutcome: Sendable {
    var result: MigrationResult
    var shardCompletion: ShardCompletion?
}

/// The facts of one run that every result repeats.
struct RunRecord {
    let name: String
    let startedAt: Date
    let triggeredBy: String
    let host: HostIdentity
    let runId: String

    func skipped() -> MigrationResult {
        MigrationResult(
            name: name, status: .skipped, startedAt: startedAt, finishedAt: Date(),
            triggeredBy: triggeredBy, host: host.host, pid: host.pid, attempts: 0, runId: runId)
    }

    func result(
        _ outcome: StepOutcome, dryRun: Bool, attempts: Int, fencingToken: UInt64?, progress: MigrationProgress,
        resumedFrom: MigrationCheckpoint?
    ) -> MigrationResult {
        let counts = progress.counts
        var result = MigrationResult(
            name: name, status: dryRun ? .dryRun : .completed, startedAt: startedAt, finishedAt: Date(),
            warnings: outcome.warnings, triggeredBy: triggeredBy, host: host.host, pid: host.pid,
            attempts: attempts, fencingToken: fencingToken, runId: runId,
            recordsProcessed: counts.completed > 0 || counts.total > 0 ? counts.completed : nil,
            resumedFrom: resumedFrom)
        result.control = outcome.control
        if let failure = outcome.failure {
            result.status = .failed
            result.failure = failure.kind
            result.error = StepOutcome.message(for: failure.cause)
        } else if outcome.control?.action == .pause {
            result.status = .paused
        }
        return result
    }
}

extension MigrationError {
    /// The refusal of a run of a migration this process is running already; front ends that check before
    /// starting a run (the HTTP endpoints) answer the same.
    ///
    /// - Parameter name: The migration.
    package static func alreadyRunningHere(_ name: String) -> MigrationError {
        MigrationError(
            .alreadyRunning, "migration '\(name)' is already running in this process; wait for it to finish",
            migration: name)
    }
}
