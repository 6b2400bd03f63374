public import Foundation
public import Migrations
public import MigrationsRedis

/// One lease in the output of `migrations leases --json` (and the `lease` of `show --json`).
///
/// A `:lease` key holding a value that is not ours (garbage, another tool's JSON) is listed too, with
/// `unrecognisedValue` (shown safely, cut to 80 characters) and a placeholder holder (`host` `unknown`).
///
/// ```json
/// {
///   "ageSeconds" : 12.5,
///   "holder" : { "acquiredAt" : "2026-11-29T15:05:00Z", "fencingToken" : 3, "host" : "api-7f9c",
///                "pid" : 4242, "triggeredBy" : "startup", "ttlMilliseconds" : 27140 },
///   "leaseTimeToLiveMilliseconds" : 30000,
///   "millisecondsSinceRefresh" : 2860,
///   "name" : "2025-01-02-import-customers",
///   "recentlyRefreshed" : true
/// }
/// ```
///
/// The owner token is never printed.
public struct MigrationLeaseRow: Sendable, Codable, Equatable {
    /// The migration the lease is on.
    public var name: String
    /// The holder, with the TTL left (`ttlMilliseconds`).
    public var holder: LeaseHolder
    /// Seconds since the holder acquired the lease.
    public var ageSeconds: Double
    /// The TTL each renewal sets.
    public var leaseTimeToLiveMilliseconds: Int64
    /// Milliseconds since the last renewal, inferred from the TTL left; absent when the key never expires.
    public var millisecondsSinceRefresh: Int64?
    /// Whether the holder renewed the lease within a third of its TTL plus a second: it is alive.
    public var recentlyRefreshed: Bool
    /// The value of a `:lease` key that is not a lease of ours, cut to 80 characters; absent for ours.
    public var unrecognisedValue: String?

    /// Creates a row.
    public init(
        name: String, holder: LeaseHolder, ageSeconds: Double, leaseTimeToLiveMilliseconds: Int64,
        millisecondsSinceRefresh: Int64?, recentlyRefreshed: Bool
    ) {
        self.name = name
        self.holder = holder
        self.ageSeconds = ageSeconds
        self.leaseTimeToLiveMilliseconds = leaseTimeToLiveMilliseconds
        self.millisecondsSinceRefresh = millisecondsSinceRefresh
        self.recentlyRefreshed = recentlyRefreshed
        self.unrecognisedValue = nil
    }

    /// The row of a lease read by `RedisMigrationInspector`.
    ///
    /// - Parameters:
    ///   - lease: The lease.
    ///   - now: The moment the age is measured at.
    public init(_ lease: RedisLeaseInspection, now: Date = Date()) {
        self.init(
            name: lease.name, holder: lease.holder, ageSeconds: lease.ageSeconds(at: now),
            leaseTimeToLiveMilliseconds: lease.value.ttlMs, millisecondsSinceRefresh: lease.millisecondsSinceRefresh,
            recentlyRefreshed: lease.isRecentlyRefreshed)
    }

    /// The row of a `:lease` key whose value is not ours.
    ///
    /// - Parameter foreign: The foreign value read by `RedisMigrationInspector`.
    public init(_ foreign: RedisForeignLease) {
        self.init(
            name: foreign.name,
            holder: LeaseHolder(
                host: "unknown", pid: 0, triggeredBy: "unknown", acquiredAt: Date(timeIntervalSince1970: 0),
                ttlMilliseconds: foreign.ttlLeftMilliseconds),
            ageSeconds: 0, leaseTimeToLiveMilliseconds: foreign.ttlLeftMilliseconds ?? 0,
            millisecondsSinceRefresh: nil, recentlyRefreshed: false)
        unrecognisedValue = foreign.preview()
    }
}
