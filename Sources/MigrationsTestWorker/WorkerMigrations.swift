import Migrations

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The migrations a worker registers.
enum WorkerMigrations {
    /// `<stem>-0` … `<stem>-<count-1>`: each `up` records its execution, then sleeps `step`; with
    /// `stubborn`, it then runs that long ignoring cancellation and records when it really returned.
    /// `validation` makes `validate` take that long.
    static func counting(
        stem: String, count: Int, step: Duration, validation: Duration, stubborn: Duration
    ) -> [ClosureMigration<WorkerApp>] {
        (0..<count).map { index in
            ClosureMigration<WorkerApp>(
                name: "\(stem)-\(index)",
                validate: { _ in
                    if validation > .zero { try await Task.sleep(for: validation) }
                    return .valid
                },
                up: { context in
                    try await context.app.recordExecution(of: context.migrationName)
                    if step > .zero { try await Task.sleep(for: step) }
                    if stubborn > .zero {
                        await ignoringCancellation(for: stubborn)
                        try await context.app.recordEnd(of: context.migrationName)
                    }
                })
        }
    }

    /// `backfill`: items `0..<total` in batches of `size` with the batch helper, sleeping `pause` and
    /// busy-spinning `spin` per batch, and appending `<item> <pid>` lines to the journal for every
    /// processed batch.
    ///
    /// With `shards`, the backfill is sharded: shard `k` does its ``MigrationShard/slice(of:)`` of the items,
    /// and each attempt first records `RPUSH <prefix>-shard-runs:<k> "<pid> <fencing token>"`.
    static func backfill(
        total: Int, size: Int, pause: Duration, spin: Duration, shards: Int? = nil
    ) -> ClosureMigration<WorkerApp> {
        ClosureMigration<WorkerApp>(name: "backfill", sharding: shards.map(MigrationSharding.count)) { context in
            let items = context.shard?.slice(of: 0..<total) ?? 0..<total
            if let shard = context.shard {
                try await context.app.recordShardAttempt(shard.index, fencingToken: context.fencingToken ?? 0)
            }
            context.progress.setTotal(items.count)
            try await context.iterate(from: nil as Int?) { (after: Int?) -> MigrationBatch<Int, Int>? in
                let start = after ?? items.lowerBound
                guard start < items.upperBound else { return nil }
                let end = min(items.upperBound, start + size)
                return MigrationBatch(items: Array(start..<end), cursor: end)
            } process: { items in
                if pause > .zero { try await Task.sleep(for: pause) }
                if spin > .zero {
                    let end = ContinuousClock.now + spin
                    while ContinuousClock.now < end {}
                    await Task.yield()
                }
                try context.app.journal(items)
            }
        }
    }

    /// Runs for `duration` of wall time, swallowing cancellation: a step that ignores it.
    private static func ignoringCancellation(for duration: Duration) async {
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(10))
            if Task.isCancelled { usleep(10_000) }
        }
    }
}
