extension MigrationRunner {
    /// The state of every registered migration, in run order.
    ///
    /// The store is read once for all of them; migrations with ``Migration/stateHooks`` ask their hooks.
    /// A migration is ``MigrationStatus/State/running`` while this process runs it or a lease on it is
    /// visible in the store, with the holder and the latest progress where known.
    ///
    /// - Parameter context: The application context, handed to state hooks.
    public func status(context: Context) async throws -> [MigrationStatus] {
        // One read for every migration and every shard of the sharded ones.
        let shardNames = registry.migrations.flatMap { migration in
            (migration.sharding?.shards ?? []).map { $0.storageName(of: migration.name) }
        }
        let states = try await stateStore.states(for: registry.names + shardNames)
        var statuses: [MigrationStatus] = []
        for (index, migration) in registry.migrations.enumerated() {
            var stored = states[migration.name] ?? .pending
            if let hooks = migration.stateHooks {
                let hookContext = MigrationContext(
                    app: context, migrationName: migration.name, logger: logger,
                    triggeredBy: configuration.triggeredBy)
                stored.isCompleted = try await hooks.isCompleted(hookContext)
            }
            let localProgress = progress(of: migration.name)
            let shards = migration.sharding.map { sharding in
                MigrationShardsSummary(
                    states: sharding.shards.map { states[$0.storageName(of: migration.name)] ?? .pending },
                    migrationCompleted: stored.isCompleted)
            }
            // Running here counts before the store shows the lease; otherwise the one rule every report uses.
            let state =
                localProgress != nil ? .running : MigrationStatusRow.state(of: stored, shards: shards)
            statuses.append(
                MigrationStatus(
                    name: migration.name,
                    description: migration.description,
                    position: index + 1,
                    state: state,
                    lastResult: stored.lastResult,
                    lastError: stored.lastError,
                    lastFailure: stored.lastFailure,
                    holder: stored.holder,
                    progress: shards == nil ? localProgress ?? stored.progress : nil,
                    problem: stored.problem,
                    canRollback: migration.canRollback,
                    checkpoint: stored.checkpoint
                ).with(control: stored.control).with(shards: shards))
        }
        return statuses
    }
}
