import Foundation

/// Completion state as files in a directory: the embedded default, no server needed.
///
/// For migration `name` with file-name stem `<stem>` (the name itself when it is made of letters,
/// digits, `-`, `_` and `.`; otherwise `~` and its base64url encoding, so no name can escape the
/// directory or collide with another):
///
/// | file | content |
/// |---|---|
/// | `<stem>.done` | the ``MigrationResult`` JSON of the completed run; its presence means completed |
/// | `<stem>.error` | the last error message |
/// | `<stem>.failure` | the ``MigrationResult`` JSON of the failed run that wrote `.error`; removed by a success |
/// | `<stem>.lock` | the ``FileLeaseProvider`` lock, with the holder while held |
/// | `<stem>.fence` | the fencing token |
/// | `<stem>.history` | the JSON array of the last ``historyLimit`` results, newest first |
/// | `<stem>.control` | an operator's pending ``MigrationControl`` JSON (pause or cancel) |
/// | `<stem>.checkpoint` | the ``MigrationCheckpoint`` JSON of the last unfinished attempt; removed by a completion or rollback |
///
/// Every write is atomic (temporary file, `fsync`, `rename`), so a crash never leaves a half-written
/// file. Pair it with ``FileLeaseProvider`` on the same directory so that two processes on one machine
/// never run the same migration at once.
public final class FileStateStore: MigrationStateStore {
    /// The directory holding the state files.
    public let directory: String
    /// How many results `<stem>.history` keeps.
    public let historyLimit: Int

    /// Creates a store, creating the directory when missing.
    ///
    /// - Parameters:
    ///   - directory: The directory for state files, `.migrations` by default.
    ///   - historyLimit: How many results the history keeps per migration; 50 by default.
    /// - Throws: ``MigrationError`` when the directory cannot be created.
    public init(directory: String = ".migrations", historyLimit: Int = 50) throws(MigrationError) {
        self.directory = directory
        self.historyLimit = max(1, historyLimit)
        try AtomicFile.createDirectory(directory)
    }

    /// Reads the files of many migrations, including the holder of any held lock.
    public func states(for names: [String]) async throws -> [String: StoredMigrationState] {
        try await BlockingIO.run { [self] in
            var states: [String: StoredMigrationState] = [:]
            for name in names { states[name] = try readState(name) }
            return states
        }
    }

    private func readState(_ name: String) throws(MigrationError) -> StoredMigrationState {
        let stem = MigrationFileName.stem(for: name)
        let done = try AtomicFile.read(path(stem, "done"))
        let error = try AtomicFile.read(path(stem, "error")).map { String(decoding: $0, as: UTF8.self) }
        let result = done.flatMap { try? MigrationResult.decode(from: $0) }
        let failureData = try AtomicFile.read(path(stem, "failure"))
        let failure = failureData.flatMap { try? MigrationResult.decode(from: $0) }
        let checkpointData = try AtomicFile.read(path(stem, "checkpoint"))
        let checkpoint = checkpointData.flatMap { try? MigrationCheckpoint.decode(from: $0) }
        let controlData = try AtomicFile.read(path(stem, "control"))
        let control = controlData.flatMap { try? MigrationControl.decode(from: $0) }
        var problems: [String] = []
        if controlData != nil && control == nil {
            problems.append("\(path(stem, "control")) does not hold a control request")
        }
        if done != nil && result == nil { problems.append("\(path(stem, "done")) does not hold a migration result") }
        if failureData != nil && failure == nil {
            problems.append("\(path(stem, "failure")) does not hold a migration result")
        }
        if checkpointData != nil && checkpoint == nil {
            problems.append("\(path(stem, "checkpoint")) does not hold a checkpoint")
        }
        let problem = problems.isEmpty ? nil : problems.joined(separator: "; ")
        return StoredMigrationState(
            isCompleted: done != nil,
            lastResult: result,
            lastError: error,
            lastFailure: error == nil ? nil : failure,
            holder: FileLeaseProvider.currentHolder(atPath: path(stem, "lock")),
            problem: problem,
            checkpoint: checkpoint,
            fencingToken: try fencingToken(stem) ?? 0
        ).with(control: control)
    }

    /// Answers whether `<stem>.done` exists.
    public func isCompleted(_ name: String) async throws -> Bool {
        let done = path(MigrationFileName.stem(for: name), "done")
        return try await BlockingIO.run { FileManager.default.fileExists(atPath: done) }
    }

    /// Writes `<stem>.done` atomically, then removes `<stem>.error`, `<stem>.failure` and `<stem>.checkpoint`.
    public func markCompleted(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        let stem = MigrationFileName.stem(for: result.name)
        let data = try result.jsonData()
        try await BlockingIO.run { [self] in
            try append(result, stem)
            try AtomicFile.replace(path(stem, "done"), with: data)
            try AtomicFile.remove(path(stem, "error"))
            try AtomicFile.remove(path(stem, "failure"))
            try AtomicFile.remove(path(stem, "checkpoint"))
        }
        return .stillHeld
    }

    /// Writes `<stem>.failure` and `<stem>.error` atomically; the checkpoint stays for the next attempt.
    public func markFailed(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        let stem = MigrationFileName.stem(for: result.name)
        let data = try result.jsonData()
        try await BlockingIO.run { [self] in
            try append(result, stem)
            // The record first: a reader that sees the new message also sees the run that wrote it.
            try AtomicFile.replace(path(stem, "failure"), with: data)
            try AtomicFile.replace(path(stem, "error"), with: Data((result.error ?? "failed").utf8))
        }
        return .stillHeld
    }

    /// Removes `<stem>.done`, `<stem>.error`, `<stem>.failure` and `<stem>.checkpoint`.
    public func markRolledBack(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        let stem = MigrationFileName.stem(for: result.name)
        try await BlockingIO.run { [self] in try append(result, stem) }
        try await reset(result.name, keepingCheckpoint: false)
        return .stillHeld
    }

    /// Appends the paused result to `<stem>.history`.
    public func markPaused(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        let stem = MigrationFileName.stem(for: result.name)
        try await BlockingIO.run { [self] in try append(result, stem) }
        return .stillHeld
    }

    /// Reads `<stem>.history`, newest first.
    public func history(of name: String, limit: Int) async throws -> [MigrationResult] {
        let stem = MigrationFileName.stem(for: name)
        return try await BlockingIO.run { [self] in Array(try readHistory(stem).prefix(max(0, limit))) }
    }

    private func readHistory(_ stem: String) throws -> [MigrationResult] {
        try AtomicFile.read(path(stem, "history")).flatMap {
            try? MigrationJSON.decode([MigrationResult].self, from: $0)
        }
            ?? []
    }

    private func append(_ result: MigrationResult, _ stem: String) throws {
        let history = [result] + (try readHistory(stem)).prefix(historyLimit - 1)
        try AtomicFile.replace(path(stem, "history"), with: try MigrationJSON.encode(history))
    }

    /// Writes `<stem>.checkpoint` atomically, unless another acquisition came since the fence's (the
    /// fence file holds a higher token) or the stored checkpoint carries a higher fencing token.
    public func saveCheckpoint(_ checkpoint: MigrationCheckpoint, of name: String, fence: LeaseFence) async throws {
        let stem = MigrationFileName.stem(for: name)
        let data = try checkpoint.jsonData()
        try await BlockingIO.run { [self] in
            let ours = fence.fencingToken ?? 0
            let latest = try fencingToken(stem) ?? 0
            let stored =
                try AtomicFile.read(path(stem, "checkpoint"))
                .flatMap { try? MigrationCheckpoint.decode(from: $0) }?.fencingToken ?? 0
            guard latest <= ours, stored <= ours else {
                throw MigrationError.checkpointRefused(name, ours: ours, newer: max(latest, stored))
            }
            try AtomicFile.replace(path(stem, "checkpoint"), with: data)
        }
    }

    /// Writes `<stem>.control` atomically.
    public func requestControl(_ control: MigrationControl, of name: String) async throws {
        let target = path(MigrationFileName.stem(for: name), "control")
        let data = try control.jsonData()
        try await BlockingIO.run { try AtomicFile.replace(target, with: data) }
    }

    /// Removes `<stem>.control` if it still holds the expected request.
    @discardableResult
    public func clearControl(of name: String, expecting expected: MigrationControl?) async throws
        -> MigrationControl?
    {
        let target = path(MigrationFileName.stem(for: name), "control")
        return try await BlockingIO.run {
            guard let current = try AtomicFile.read(target).flatMap({ try? MigrationControl.decode(from: $0) }),
                expected == nil || current == expected
            else { return nil }
            try AtomicFile.remove(target)
            return current
        }
    }

    /// Reads `<stem>.control`.
    public func control(of name: String) async throws -> MigrationControl? {
        let target = path(MigrationFileName.stem(for: name), "control")
        return try await BlockingIO.run {
            try AtomicFile.read(target).flatMap { try? MigrationControl.decode(from: $0) }
        }
    }

    /// Removes `<stem>.done`, `<stem>.error` and `<stem>.failure`, and `<stem>.checkpoint` unless kept.
    public func reset(_ name: String, keepingCheckpoint: Bool) async throws {
        let stem = MigrationFileName.stem(for: name)
        try await BlockingIO.run { [self] in
            try AtomicFile.remove(path(stem, "done"))
            try AtomicFile.remove(path(stem, "error"))
            try AtomicFile.remove(path(stem, "failure"))
            if !keepingCheckpoint { try AtomicFile.remove(path(stem, "checkpoint")) }
        }
    }

    /// Writes the shard's `<shard stem>.done` and, holding `<stem>.shards-lock` so that processes take
    /// turns, completes the migration if every shard's `.done` is there: the migration's `.done` holds the
    /// completion (its records summed over the shards), and the shards' `.done` and `.checkpoint` files
    /// are removed (their results stay in their `.history`).
    public func markShardCompleted(
        _ result: MigrationResult, shard: MigrationShard, of name: String, fence: LeaseFence,
        completion: MigrationResult
    ) async throws -> ShardCompletion {
        let stem = MigrationFileName.stem(for: name)
        let shardStems = MigrationSharding.count(shard.count).shards.map {
            MigrationFileName.stem(for: $0.storageName(of: name))
        }
        let shardStem = shardStems[shard.index]
        let data = try result.jsonData()
        return try await BlockingIO.run { [self] in
            try FileLock.exclusively(path(stem, "shards-lock"), migration: name) {
                try append(result, shardStem)
                try AtomicFile.replace(path(shardStem, "done"), with: data)
                for suffix in ["checkpoint", "error", "failure"] { try AtomicFile.remove(path(shardStem, suffix)) }
                let results = try shardStems.map { stem in
                    try AtomicFile.read(path(stem, "done")).map { try? MigrationResult.decode(from: $0) }
                }
                let done = results.filter { $0 != nil }.count
                let alreadyCompleted = FileManager.default.fileExists(atPath: path(stem, "done"))
                var completedMigration = false
                if done == shard.count, !alreadyCompleted {
                    var final = completion
                    final.recordsProcessed = results.reduce(0) { $0 + ($1??.recordsProcessed ?? 0) }
                    try append(final, stem)
                    try AtomicFile.replace(path(stem, "done"), with: try final.jsonData())
                    try AtomicFile.remove(path(stem, "error"))
                    try AtomicFile.remove(path(stem, "failure"))
                    for shardStem in shardStems {
                        try AtomicFile.remove(path(shardStem, "done"))
                        try AtomicFile.remove(path(shardStem, "checkpoint"))
                    }
                    completedMigration = true
                }
                let error = try AtomicFile.read(path(stem, "error")).map { String(decoding: $0, as: UTF8.self) }
                let control = try AtomicFile.read(path(stem, "control")).flatMap {
                    try? MigrationControl.decode(from: $0)
                }
                return ShardCompletion(
                    completedMigration: completedMigration, completedShards: done, migrationError: error,
                    control: control, disposition: .stillHeld)
            }
        }
    }

    private func fencingToken(_ stem: String) throws(MigrationError) -> UInt64? {
        try AtomicFile.read(path(stem, "fence")).flatMap { UInt64(String(decoding: $0, as: UTF8.self)) }
    }

    private func path(_ stem: String, _ suffix: String) -> String {
        "\(directory)/\(stem).\(suffix)"
    }
}
