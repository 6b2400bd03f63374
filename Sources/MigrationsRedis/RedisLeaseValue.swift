public import Foundation
public import Migrations

/// The JSON value stored at `<prefix>:<name>:lease` while a migration runs.
///
/// ```json
/// {"acquiredAt":"2026-11-29T15:04:05Z","fencingToken":7,"host":"api-7f9c","pendingRun":"c3d1…32 hex digits…",
///  "pid":4242,"runId":"5f0c…32 hex digits…","token":"9f8e…32 hex digits…","triggeredBy":"startup","ttlMs":30000}
/// ```
///
/// `token` is 16 random bytes from the system generator, in hex: only the holder knows it, and every
/// renew, release and fenced write compares it. `pendingRun` is there while the holder works through
/// pending migrations, so that waiting replicas wait for that whole run. The rest tells an operator who
/// holds the lease.
public struct RedisLeaseValue: Sendable, Codable, Equatable {
    /// The owner token.
    public var token: String
    /// The holder's host name.
    public var host: String
    /// The holder's process id.
    public var pid: Int32
    /// Who or what started the run.
    public var triggeredBy: String
    /// When the lease was first acquired.
    public var acquiredAt: Date
    /// The fencing token of this acquisition.
    public var fencingToken: UInt64?
    /// The lease's time to live in milliseconds (each renewal extends it by this much).
    public var ttlMs: Int64
    /// The id of the holder's run.
    public var runId: String?
    /// The id of the holder's `runPending` call, when it goes on after this migration
    /// (``Migrations/LeaseHolder/pendingRun``).
    public var pendingRun: String?

    /// Creates a value.
    public init(
        token: String, host: String, pid: Int32, triggeredBy: String, acquiredAt: Date,
        fencingToken: UInt64? = nil, ttlMs: Int64, runId: String? = nil, pendingRun: String? = nil
    ) {
        self.token = token
        self.host = host
        self.pid = pid
        self.triggeredBy = triggeredBy
        self.acquiredAt = acquiredAt
        self.fencingToken = fencingToken
        self.ttlMs = ttlMs
        self.runId = runId
        self.pendingRun = pendingRun
    }

    /// The holder as the core describes it, with the TTL left when known.
    public func holder(ttlLeftMilliseconds: Int64?) -> LeaseHolder {
        LeaseHolder(
            host: host, pid: pid, triggeredBy: triggeredBy, acquiredAt: acquiredAt,
            fencingToken: fencingToken, ttlMilliseconds: ttlLeftMilliseconds, runId: runId,
            pendingRun: pendingRun)
    }

    /// Decodes a stored value; `nil` when it is not one of ours.
    public static func decode(_ bytes: [UInt8]) -> RedisLeaseValue? {
        try? MigrationJSON.decode(RedisLeaseValue.self, from: Data(bytes))
    }
}
