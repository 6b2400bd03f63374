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
///
/// Every write is atomic (temporary file, `fsync`, `rename`), so a crash never leaves a half-written
/// file. Pair it with ``FileLeaseProvider`` on the same directory so that two processes on one machine
/// never run the same migration at once.
public final class FileStateStore: MigrationStateStore {
    /// The directory holding the state files.
    public let directory: String

    /// Creates a store, creating the directory when missing.
    ///
    /// - Parameter directory: The directory for state files, `.migrations` by default.
    /// - Throws: ``MigrationError`` when the directory cannot be created.
    public init(directory: String = ".migrations") throws(MigrationError) {
        self.directory = directory
        try AtomicFile.createDirectory(directory)
    }

    /// Reads the files of many migrations, including the holder of any held lock.
    public func states(for names: [String]) async throws -> [String: StoredMigrationState] {
        var states: [String: StoredMigrationState] = [:]
        for name in names {
            let stem = MigrationFileName.stem(for: name)
            let done = try AtomicFile.read(path(stem, "done"))
            let error = try AtomicFile.read(path(stem, "error")).map { String(decoding: $0, as: UTF8.self) }
            let result = done.flatMap { try? MigrationResult.decode(from: $0) }
            let failureData = try AtomicFile.read(path(stem, "failure"))
            let failure = failureData.flatMap { try? MigrationResult.decode(from: $0) }
            var problems: [String] = []
            if done != nil && result == nil { problems.append("\(path(stem, "done")) does not hold a migration result") }
            if failureData != nil && failure == nil {
                problems.append("\(path(stem, "failure")) does not hold a migration result")
            }
            let problem = problems.isEmpty ? nil : problems.joined(separator: "; ")
            states[name] = StoredMigrationState(
                isCompleted: done != nil,
                lastResult: result,
                lastError: error,
                lastFailure: error == nil ? nil : failure,
                holder: FileLeaseProvider.currentHolder(atPath: path(stem, "lock")),
                problem: problem
            )
        }
        return states
    }

    /// Answers whether `<stem>.done` exists.
    public func isCompleted(_ name: String) async throws -> Bool {
        FileManager.default.fileExists(atPath: path(MigrationFileName.stem(for: name), "done"))
    }

    /// Writes `<stem>.done` atomically, then removes `<stem>.error`.
    public func markCompleted(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        let stem = MigrationFileName.stem(for: result.name)
        try AtomicFile.replace(path(stem, "done"), with: try result.jsonData())
        try AtomicFile.remove(path(stem, "error"))
        try AtomicFile.remove(path(stem, "failure"))
        return .stillHeld
    }

    /// Writes `<stem>.error` atomically.
    public func markFailed(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        let stem = MigrationFileName.stem(for: result.name)
        // The record first: a reader that sees the new message also sees the run that wrote it.
        try AtomicFile.replace(path(stem, "failure"), with: try result.jsonData())
        try AtomicFile.replace(path(stem, "error"), with: Data((result.error ?? "failed").utf8))
        return .stillHeld
    }

    /// Removes `<stem>.done` and `<stem>.error`.
    public func markRolledBack(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        try await reset(result.name)
        return .stillHeld
    }

    /// Removes `<stem>.done` and `<stem>.error`.
    public func reset(_ name: String) async throws {
        let stem = MigrationFileName.stem(for: name)
        try AtomicFile.remove(path(stem, "done"))
        try AtomicFile.remove(path(stem, "error"))
        try AtomicFile.remove(path(stem, "failure"))
    }

    private func path(_ stem: String, _ suffix: String) -> String {
        "\(directory)/\(stem).\(suffix)"
    }
}
