public import Migrations

/// What `migrations unlock` or `migrations reset` did, printed with `--json`.
///
/// ```json
/// { "action" : "force-unlocked", "fence" : 4, "holder" : { "host" : "api-7f9c", "pid" : 4242, "…" : "…" },
///   "message" : "cleared the lease of '…' held by api-7f9c pid 4242 …", "name" : "2025-01-02-import-customers" }
/// ```
public struct MigrationOperatorActionReport: Sendable, Codable, Equatable {
    /// What was done.
    public enum Action: String, Sendable, Codable, Equatable {
        /// A stale lease was cleared with a compare-and-delete on its token.
        case unlocked
        /// The lease was cleared whoever held it, and the fence bumped.
        case forceUnlocked = "force-unlocked"
        /// The lease is still renewed by its holder; nothing was changed.
        case refused
        /// The completion marker and the last error were cleared.
        case reset
        /// A pause was asked for: a running holder stops at its next control check; otherwise the next
        /// attempt does not start.
        case paused
        /// The pause was lifted: the next run goes on from the checkpoint.
        case resumed
        /// A cancel was asked of the running holder, or a migration not running was recorded as cancelled.
        case cancelled
        /// There was nothing to do.
        case none
    }

    /// The migration.
    public var name: String
    /// What was done.
    public var action: Action
    /// The lease holder concerned, for `unlock`.
    public var holder: LeaseHolder?
    /// The fencing token after the action, for `unlock --force`.
    public var fence: UInt64?
    /// The keys deleted.
    public var clearedKeys: [String]
    /// The line printed for a person.
    public var message: String

    /// Creates a report.
    public init(
        name: String, action: Action, holder: LeaseHolder? = nil, fence: UInt64? = nil, clearedKeys: [String] = [],
        message: String
    ) {
        self.name = name
        self.action = action
        self.holder = holder
        self.fence = fence
        self.clearedKeys = clearedKeys
        self.message = message
    }
}

extension MigrationOperatorActionReport {
    /// The report of a pause, resume or cancel.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - outcome: What the request did.
    public init(name: String, _ outcome: MigrationControls.Outcome) {
        let message = MigrationControls.sentence(outcome, name: name)
        switch outcome {
        case .requested(let request, let holder):
            self.init(
                name: name, action: request.action == .pause ? .paused : .cancelled, holder: holder, message: message)
        case .resumed:
            self.init(name: name, action: .resumed, message: message)
        case .recorded:
            self.init(name: name, action: .cancelled, message: message)
        }
    }
}

extension MigrationOperatorActionReport {
    /// Prints the report: as a JSON object, or as its message made a sentence (capital first, full stop).
    ///
    /// - Parameter json: Whether to print JSON.
    package func write(json: Bool) throws {
        if json {
            try JSONOutput.write(self)
        } else {
            StandardStreams.writeOutputLine(message.prefix(1).uppercased() + message.dropFirst() + ".")
        }
    }
}
