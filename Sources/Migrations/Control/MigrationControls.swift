import Foundation

/// Pause, resume and cancel over one state store: what the operator tool, the embedded `migrate`
/// command and the HTTP endpoints all do, in one place.
///
/// ```swift
/// let controls = MigrationControls(store: backend.stateStore)
/// let outcome = try await controls.pause("2025-04-02-backfill-order-totals", reason: "replica lag", by: "alice")
/// ```
public struct MigrationControls: Sendable {
    /// What a request did.
    public enum Outcome: Sendable, Equatable {
        /// The request is stored; `holder` is the replica that will stop at its next control check, or
        /// `nil` when nothing runs now (a pause then stops the next attempt before it starts).
        case requested(MigrationControl, holder: LeaseHolder?)
        /// The pause was lifted.
        case resumed(MigrationControl)
        /// The migration was not running, so its cancellation was recorded at once.
        case recorded(MigrationResult)
    }

    /// The store the requests are written to.
    public let store: any MigrationStateStore

    /// Creates the operations over a store.
    ///
    /// - Parameter store: The backend's state store.
    public init(store: any MigrationStateStore) {
        self.store = store
    }

    /// Asks the migration to pause.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - reason: Why.
    ///   - by: Who asks.
    /// - Throws: ``MigrationError`` (``MigrationError/Code-swift.struct/controlRefused``) when it is completed.
    public func pause(_ name: String, reason: String?, by: String) async throws -> Outcome {
        let state = try await store.state(of: name)
        guard !state.isCompleted else { throw MigrationError.controlRefused(name, "it is completed; nothing to pause") }
        let request = MigrationControl(.pause, reason: reason, by: by)
        try await store.requestControl(request, of: name)
        return .requested(request, holder: state.holder)
    }

    /// Lifts a pause: the next run goes on from the checkpoint.
    ///
    /// - Parameter name: The migration.
    /// - Throws: ``MigrationError`` (``MigrationError/Code-swift.struct/controlRefused``) when it is not paused.
    public func resume(_ name: String) async throws -> Outcome {
        guard let current = try await store.control(of: name), current.action == .pause else {
            throw MigrationError.controlRefused(name, "it is not paused; nothing to resume")
        }
        guard let cleared = try await store.clearControl(of: name, expecting: current) else {
            throw MigrationError.controlRefused(name, "its request changed meanwhile; look again")
        }
        return .resumed(cleared)
    }

    /// Cancels the migration: its holder stops at the next control check and records the attempt as
    /// cancelled; a migration not running is recorded as cancelled now. The checkpoint is kept.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - reason: Why.
    ///   - by: Who asks.
    ///   - host: Recorded as the host of a cancellation recorded at once.
    /// - Throws: ``MigrationError`` (``MigrationError/Code-swift.struct/controlRefused``) when it is completed.
    public func cancel(_ name: String, reason: String?, by: String, host: HostIdentity = .current) async throws
        -> Outcome
    {
        let state = try await store.state(of: name)
        guard !state.isCompleted else {
            throw MigrationError.controlRefused(name, "it is completed; nothing to cancel")
        }
        let request = MigrationControl(.cancel, reason: reason, by: by)
        if let holder = state.holder {
            try await store.requestControl(request, of: name)
            return .requested(request, holder: holder)
        }
        let now = Date()
        var record = MigrationResult(
            name: name, status: .failed, failure: .cancelled, startedAt: now, finishedAt: now,
            error: request.summary, triggeredBy: by, host: host.host, pid: host.pid, attempts: state.attemptsSoFar)
        record.control = request
        _ = try await store.markFailed(record, fence: nil)
        // A pause no longer applies to a cancelled migration.
        try await store.clearControl(of: name, expecting: nil)
        return .recorded(record)
    }

    /// One sentence for a person: what the outcome means.
    ///
    /// - Parameters:
    ///   - outcome: What a request did.
    ///   - name: The migration.
    public static func sentence(_ outcome: Outcome, name: String) -> String {
        switch outcome {
        case .requested(let request, let holder?):
            "asked \(holder.host) pid \(holder.pid) to \(request.action.rawValue) '\(name)'; it stops at its next "
                + "control check (its lease renewal: within a third of the lease TTL)"
        case .requested(let request, nil):
            "\(request.summary.prefix(1).lowercased() + request.summary.dropFirst()) — '\(name)' is not running; its next attempt "
                + (request.action == .pause ? "will not start until it is resumed" : "is cancelled")
        case .resumed(let request):
            "resumed '\(name)' (it was \(request.summary)); the next run goes on from its checkpoint"
        case .recorded(let result):
            "recorded '\(name)' as \(result.control?.summary ?? "cancelled"); its checkpoint, if any, is kept"
        }
    }
}

extension MigrationError {
    static func controlRefused(_ name: String, _ why: String) -> MigrationError {
        MigrationError(.controlRefused, "refused for migration '\(name)': \(why)", migration: name)
    }
}
