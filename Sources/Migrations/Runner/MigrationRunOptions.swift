/// How one call to ``MigrationRunner`` runs migrations.
///
/// ```swift
/// var options = MigrationRunOptions(dryRun: true)
/// options.timeout = .seconds(600)
/// let results = try await runner.runPending(context: app, options: options)
/// ```
public struct MigrationRunOptions: Sendable {
    /// Run `validate` and `up` with `dryRun == true` and record nothing. Takes no lease.
    public var dryRun: Bool

    /// Cancel a step that runs longer than this; `nil`, the default, waits for ever.
    public var timeout: Duration?

    /// With ``MigrationRunner/run(_:context:options:)``, skip a migration that is already completed
    /// (the default) instead of running it again.
    public var skipCompleted: Bool

    /// With ``MigrationRunner/runPending(context:options:)``, go on after a failure instead of stopping.
    public var continueOnError: Bool

    /// Who or what started the run; `nil` uses the runner's ``MigrationRunner/Configuration/triggeredBy``.
    public var triggeredBy: String?

    /// Metadata handed to the migration and added to its logger.
    public var metadata: [String: String]

    /// What to do when another process holds a migration's lease.
    public var whenHeldElsewhere: LeaseContention

    /// A throttle for this run that replaces each migration's own ``Migration/throttle``; `nil`, the
    /// default, keeps theirs.
    public var throttle: MigrationThrottle?

    /// Whether a run its caller cancels while the step runs is recorded as a
    /// ``MigrationResult/Failure/cancelled`` failure (the default: an operator sees that the shutdown
    /// stopped it). `false`, as the background worker runs, leaves no trace: the last checkpoint is
    /// written, the lease released and the result is ``MigrationResult/Status/interrupted``, so another
    /// process resumes it as if nothing had failed.
    public var recordsCancellation: Bool

    /// The ``MigrationRunner/runPending(context:options:)`` call a run belongs to; set by that call.
    var pendingRun: PendingRun?

    /// Creates options; every parameter has the documented default.
    public init(
        dryRun: Bool = false,
        timeout: Duration? = nil,
        skipCompleted: Bool = true,
        continueOnError: Bool = false,
        triggeredBy: String? = nil,
        metadata: [String: String] = [:],
        whenHeldElsewhere: LeaseContention = .wait(timeout: .seconds(600)),
        throttle: MigrationThrottle? = nil,
        recordsCancellation: Bool = true
    ) {
        self.dryRun = dryRun
        self.timeout = timeout
        self.skipCompleted = skipCompleted
        self.continueOnError = continueOnError
        self.triggeredBy = triggeredBy
        self.metadata = metadata
        self.whenHeldElsewhere = whenHeldElsewhere
        self.throttle = throttle
        self.recordsCancellation = recordsCancellation
    }
}

/// What the runner does when another process holds a migration's lease.
public struct LeaseContention: Sendable, Equatable {
    /// How long to wait; `nil` refuses at once.
    public let waitLimit: Duration?

    /// Refuse at once with ``MigrationError/Code-swift.struct/heldElsewhere`` (an HTTP 409, say).
    public static let fail = LeaseContention(waitLimit: nil)

    /// Wait up to `timeout` for the holder to finish, then skip the migration if it completed or take
    /// it over if the holder's lease ended without completion. The default, with ten minutes: replicas
    /// starting together run each migration once and finish together.
    public static func wait(timeout: Duration) -> LeaseContention {
        LeaseContention(waitLimit: timeout)
    }
}
