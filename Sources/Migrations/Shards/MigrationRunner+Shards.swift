import Foundation
import Logging
import Synchronization

extension MigrationRunner {
    /// Runs a sharded migration as one replica of the fleet: takes free shards one at a time (never one
    /// another replica holds), runs each as an attempt of its own, and keeps taking them until none is
    /// free; then waits for the held ones as for any lease, taking over a shard whose holder died.
    ///
    /// It ends when the migration is completed (by this replica's last shard or another's), when one of
    /// its shards fails, pauses or is interrupted, or when another shard's failure or an operator's
    /// request is seen after a shard (this replica finishes the shard it holds, then takes no other).
    func executeSharded(
        _ migration: any Migration<Context>,
        sharding: MigrationSharding,
        app: Context,
        options: MigrationRunOptions,
        known: StoredMigrationState?,
        runId: String,
        instruments: AttemptInstruments
    ) async throws -> MigrationResult {
        let name = migration.name
        try claim(name, progress: MigrationProgress())
        defer { unclaim(name) }
        let triggeredBy = options.triggeredBy ?? configuration.triggeredBy
        let logger = makeLogger(migration, options: options, runId: runId)
        let run = RunRecord(
            name: name, startedAt: Date(), triggeredBy: triggeredBy, host: configuration.host, runId: runId)
        let state = try await readState(name, known: known)
        if state.isCompleted { return run.skipped() }
        if let control = state.control {
            return try await honourStanding(control, name: name, sharding: sharding, run: run, logger: logger)
        }
        let holder = LeaseHolder(
            host: configuration.host.host, pid: configuration.host.pid, triggeredBy: triggeredBy, runId: runId)
        var tally = ShardTally(count: sharding.count, errorAtStart: state.lastError)
        var wait = ShardWait(limit: options.whenHeldElsewhere.waitLimit, startedAt: clock.now)
        defer { if wait.holder != nil { setWaiting(name, nil) } }
        while true {
            if Task.isCancelled { return tally.result(run, .interrupted, error: "stopped before the next shard") }
            let request = ShardLeaseRequest(
                name: name, count: sharding.count, holder: holder, startingAt: tally.nextStart,
                knownCompleted: tally.completed)
            let attemptStart = clock.now
            let acquisition: ShardAcquisition
            do {
                acquisition = try await leaseProvider.claimShard(request)
            } catch let error as MigrationError {
                throw error
            } catch {
                if Task.isCancelled { return tally.result(run, .interrupted, error: "stopped while claiming") }
                throw MigrationError(
                    .lease, "could not take a shard lease of migration '\(name)'", migration: name, cause: error)
            }
            switch acquisition {
            case .noneLeft:
                return try await finished(name, tally: tally, run: run)
            case .allHeld(let holders):
                try await waitForShards(name, holders: holders, wait: &wait, tally: tally, logger: logger)
            case .acquired(let claimed):
                instruments.leaseAcquired()
                let shard = claimed.shard
                let outcome = try await runShard(
                    migration, claimed, acquiredAt: attemptStart, waited: wait.holder != nil, app: app,
                    options: options, logger: logger, runId: runId, triggeredBy: triggeredBy, instruments: instruments)
                wait.restart(at: clock.now)
                if wait.holder != nil {
                    wait.holder = nil
                    setWaiting(name, nil)
                }
                if let stop = tally.add(outcome, shard: shard) {
                    return stop(run)
                }
            }
        }
    }

    /// Runs one shard's attempt with its own progress, which ``progress(of:)`` reports while it runs.
    private func runShard(
        _ migration: any Migration<Context>, _ claimed: ClaimedShard, acquiredAt: Duration, waited: Bool,
        app: Context, options: MigrationRunOptions, logger: Logger, runId: String, triggeredBy: String,
        instruments: AttemptInstruments
    ) async throws -> HeldOutcome {
        let shard = claimed.shard
        let progress = MigrationProgress()
        running.withLock { $0[migration.name] = RunningMigration(progress: progress) }
        var shardLogger = logger
        shardLogger[metadataKey: "migration.shard"] = "\(shard.index)"
        let identity = AttemptIdentity(
            migration: migration, app: app, options: options, progress: progress, logger: shardLogger, runId: runId)
        let run = RunRecord(
            name: migration.name, startedAt: Date(), triggeredBy: triggeredBy, host: configuration.host,
            runId: runId)
        let held = HeldAttempt(
            migration: migration, unit: AttemptUnit(migration: migration.name, shard: shard), direction: .up,
            identity: identity, lease: claimed.lease, acquiredAt: acquiredAt,
            completionChecked: claimed.completionChecked, waited: waited, run: run)
        return try await runHeld(held, known: claimed.state, instruments: instruments)
    }

    /// Waits until a held shard might be free, as long as the options allow waiting for other holders.
    private func waitForShards(
        _ name: String, holders: [Int: LeaseHolder?], wait: inout ShardWait, tally: ShardTally, logger: Logger
    ) async throws {
        let (index, holder) = holders.min { $0.key < $1.key }!
        if wait.held != Set(holders.keys) {
            // Another shard finished (or was taken) since the last look: the fleet is moving.
            wait.restart(at: clock.now)
            wait.held = Set(holders.keys)
        }
        let holderText = holder?.summary ?? "another process"
        guard let deadline = wait.deadline, clock.now < deadline else {
            throw MigrationError(
                .heldElsewhere,
                "every shard of migration '\(name)' that is not completed is held elsewhere (\(holders.count) of "
                    + "\(tally.count), shard \(index) by \(holderText))"
                    + (wait.deadline == nil ? "" : ", and none was released in time"),
                migration: name, holder: holder)
        }
        if wait.holder == nil {
            logger.notice(
                "waiting for the \(holders.count) shards other processes hold, shard \(index) by \(holderText)")
        }
        let current = LeaseWait(holder: holder, since: wait.since ?? Date(), limit: wait.limit)
        wait.holder = current
        wait.since = current.since
        setWaiting(name, current)
        let storage = MigrationShard(index: index, count: tally.count).storageName(of: name)
        do {
            try await leaseProvider.waitForRelease(of: storage, timeout: deadline - clock.now)
        } catch {
            if Task.isCancelled || error is CancellationError {
                throw MigrationError(
                    .cancelled,
                    "migration '\(name)' was cancelled while waiting for the shards other processes hold; "
                        + "the shards this process completed stay completed",
                    migration: name, holder: holder)
            }
            throw error
        }
    }

    /// The result once no shard is left to take: completed if the migration is.
    private func finished(_ name: String, tally: ShardTally, run: RunRecord) async throws -> MigrationResult {
        if try await stateStore.isCompleted(name) {
            let ran = tally.shardsRun.map(String.init).joined(separator: ", ")
            logger.notice(
                "the migration is completed; this process ran \(tally.shardsRun.isEmpty ? "none of its shards" : "shards " + ran)",
                metadata: ["migration.name": "\(name)"])
            return tally.shardsRun.isEmpty ? run.skipped() : tally.result(run, .completed, error: nil)
        }
        throw MigrationError(
            .stateStore,
            "every shard of migration '\(name)' is completed but its completion is not recorded; "
                + "`migrations reset '\(name)'` runs it again",
            migration: name)
    }

    /// A request that stood before this run started: a pause stops it at once; a cancellation is recorded
    /// (and consumed) once no shard is held any more, as for an unsharded migration.
    private func honourStanding(
        _ control: MigrationControl, name: String, sharding: MigrationSharding, run: RunRecord, logger: Logger
    ) async throws -> MigrationResult {
        logger.notice("not starting: \(control.summary)")
        if control.action == .pause {
            return pausedWithoutRunning(name, control, options: MigrationRunOptions(triggeredBy: run.triggeredBy))
        }
        var result = run.result(
            .failed(.cancelled, StepFailure(message: control.summary), warnings: []), dryRun: false, attempts: 1,
            fencingToken: nil, progress: MigrationProgress(), resumedFrom: nil)
        result.control = control
        result.shardCount = sharding.count
        let shards = sharding.shards.map { $0.storageName(of: name) }
        if try await stateStore.states(for: shards).values.allSatisfy({ $0.holder == nil }) {
            _ = try await stateStore.markFailed(result, fence: nil)
            try await stateStore.clearControl(of: name, expecting: control)
        }
        return result
    }

    private func readState(_ name: String, known: StoredMigrationState?) async throws -> StoredMigrationState {
        if let known { return known }
        return try await stateStore.state(of: name)
    }
}

/// How long a replica may wait for shards other processes hold: the options' limit, counted again from
/// every change in which shards are held, so a fleet that keeps finishing shards is never given up on.
private struct ShardWait {
    let limit: Duration?
    var startedAt: Duration
    var held: Set<Int> = []
    var holder: LeaseWait?
    var since: Date?

    init(limit: Duration?, startedAt: Duration) {
        self.limit = limit
        self.startedAt = startedAt
    }

    var deadline: Duration? { limit.map { startedAt + $0 } }

    mutating func restart(at now: Duration) {
        startedAt = now
        since = nil
    }
}

/// What one replica's shards did so far, and when it must stop taking more.
private struct ShardTally {
    let count: Int
    /// The migration's last error when the run started: a different one later means another shard failed.
    let errorAtStart: String?
    var completed: Set<Int> = []
    var shardsRun: [Int] = []
    var records = 0
    var nextStart = 0

    init(count: Int, errorAtStart: String?) {
        self.count = count
        self.errorAtStart = errorAtStart
    }

    /// Adds a shard's outcome; returns how the run ends when it must stop now.
    mutating func add(_ outcome: HeldOutcome, shard: MigrationShard) -> ((RunRecord) -> MigrationResult)? {
        let result = outcome.result
        nextStart = shard.index + 1
        switch result.status {
        case .skipped:
            completed.insert(shard.index)
            return nil
        case .completed:
            completed.insert(shard.index)
            shardsRun.append(shard.index)
            records += result.recordsProcessed ?? 0
        default:
            let tally = self
            return { run in tally.ended(run, by: result) }
        }
        let tally = self
        guard let completion = outcome.shardCompletion else { return nil }
        if completion.completedMigration { return { run in tally.result(run, .completed, error: nil) } }
        if let control = completion.control {
            return { run in
                var result = tally.result(run, control.action == .pause ? .paused : .failed, error: nil)
                if control.action == .cancel {
                    result.failure = .cancelled
                    result.error = control.summary
                }
                result.control = control
                return result
            }
        }
        if let error = completion.migrationError, error != errorAtStart {
            return { run in
                var result = tally.result(run, .failed, error: "another shard failed: \(error)")
                result.failure = .error
                return result
            }
        }
        return nil
    }

    /// This replica's result for the migration: its shards and their records.
    func result(_ run: RunRecord, _ status: MigrationResult.Status, error: String?) -> MigrationResult {
        var result = MigrationResult(
            name: run.name, status: status, startedAt: run.startedAt, finishedAt: Date(), error: error,
            triggeredBy: run.triggeredBy, host: run.host.host, pid: run.host.pid, attempts: 1, runId: run.runId,
            recordsProcessed: records)
        result.shardCount = count
        result.shardsRun = shardsRun
        return result
    }

    /// The run's result when one of its shards did not complete: that shard's outcome, named by the migration.
    private func ended(_ run: RunRecord, by shardResult: MigrationResult) -> MigrationResult {
        var result = shardResult
        result.name = run.name
        result.startedAt = run.startedAt
        result.duration = max(0, result.finishedAt.timeIntervalSince(run.startedAt))
        result.recordsProcessed = records + (shardResult.recordsProcessed ?? 0)
        result.shardCount = count
        result.shardsRun = shardsRun
        return result
    }
}
