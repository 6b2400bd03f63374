public import Foundation

/// Who holds, or asks for, a migration's lease: what an operator needs to find the process.
public struct LeaseHolder: Sendable, Codable, Equatable {
    /// The host name of the holder.
    public var host: String
    /// The holder's process id.
    public var pid: Int32
    /// Who or what started the run.
    public var triggeredBy: String
    /// When the lease was acquired.
    public var acquiredAt: Date
    /// The fencing token of the acquisition, once known.
    public var fencingToken: UInt64?
    /// Milliseconds until the lease expires, when read back from a store that knows it.
    public var ttlMilliseconds: Int64?
    /// The id of the holder's run, when the store records it.
    public var runId: String?
    /// The id of the ``MigrationRunner/runPending(context:options:)`` call the holder's run belongs to,
    /// when the holder goes on to the next pending migration after this one: a replica that finds the
    /// lease held waits for that whole call to end instead of waking for every migration it completes.
    public var pendingRun: String?

    /// Creates a holder description.
    ///
    /// - Parameters:
    ///   - host: The holder's host name.
    ///   - pid: The holder's process id.
    ///   - triggeredBy: Who or what started the run.
    ///   - acquiredAt: When the lease was acquired; now by default.
    ///   - fencingToken: The fencing token of the acquisition, once known.
    ///   - ttlMilliseconds: Milliseconds until the lease expires, when read back.
    ///   - runId: The id of the holder's run.
    ///   - pendingRun: The id of the holder's `runPending` call, when it goes on after this migration.
    public init(
        host: String,
        pid: Int32,
        triggeredBy: String,
        acquiredAt: Date = Date(),
        fencingToken: UInt64? = nil,
        ttlMilliseconds: Int64? = nil,
        runId: String? = nil,
        pendingRun: String? = nil
    ) {
        self.host = host
        self.pid = pid
        self.triggeredBy = triggeredBy
        self.acquiredAt = acquiredAt
        self.fencingToken = fencingToken
        self.ttlMilliseconds = ttlMilliseconds
        self.runId = runId
        self.pendingRun = pendingRun
    }

    /// `host:pid (triggeredBy), since <ISO 8601>`.
    public var summary: String {
        "\(host) pid \(pid) (\(triggeredBy)), since \(acquiredAt.formatted(.iso8601))"
    }
}
