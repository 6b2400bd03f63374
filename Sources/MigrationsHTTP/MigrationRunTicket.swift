public import Foundation
public import Migrations

/// A run started over HTTP: what `202 Accepted` answers and `GET /migrations/runs/<id>` reports.
///
/// ```json
/// {"id": "9f2c…", "kind": "run", "name": "2025-04-02-backfill-order-totals", "state": "running",
///  "location": "/migrations/runs/9f2c…", "startedAt": "…", "triggeredBy": "ops", "dryRun": false,
///  "progress": {"completed": 41000, "total": 200000, …}, "results": []}
/// ```
public struct MigrationRunTicket: Codable, Sendable, Equatable {
    /// Where the run is.
    public enum State: String, Codable, Sendable, CaseIterable {
        /// It runs (or waits to start) in the service's own task.
        case running
        /// It ended; ``MigrationRunTicket/results`` holds what happened, ``MigrationRunTicket/answerStatus``
        /// the status a waiting request would have answered (200, 409 paused or cancelled, 500 failed).
        case finished
        /// The runner refused it (held elsewhere, not completed, a backend that failed);
        /// ``MigrationRunTicket/error`` says why.
        case refused
    }

    /// The run's id, also the last component of ``location``.
    public var id: String
    /// `run`, `run-pending` or `rollback`: the endpoint that started it.
    public var kind: String
    /// The migration, for `run` and `rollback`.
    public var name: String?
    /// Whether it is a dry run.
    public var dryRun: Bool
    /// Who started it: the caller's identity.
    public var triggeredBy: String
    /// Where it is.
    public var state: State
    /// The path to poll: `<group>/runs/<id>`.
    public var location: String
    /// When the request started it.
    public var startedAt: Date
    /// When it ended, once it has.
    public var finishedAt: Date?
    /// The progress of the migration it runs, while it runs in this process.
    public var progress: ProgressSnapshot?
    /// The results, once finished: one for `run` and `rollback`, one per migration attempted for
    /// `run-pending`.
    public var results: [MigrationResult]
    /// Why it was refused, for ``State/refused``.
    public var error: MigrationsAPIError.Detail?
    /// The HTTP status a request that waited for it answers (or answered), once it ended.
    public var answerStatus: Int?
}
