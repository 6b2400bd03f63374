public import Foundation

/// A run waiting for another holder's lease: who holds it, since when this run waits, and for how long
/// it will.
///
/// Read it with ``MigrationRunner/leaseWait(of:)`` to show operators what a run is waiting for.
public struct LeaseWait: Sendable, Equatable {
    /// The holder, as the lease provider last described it; `nil` when it could not say.
    public var holder: LeaseHolder?
    /// When this run started waiting.
    public var since: Date
    /// How long the run waits in all before it gives up; `nil` means it does not wait.
    public var limit: Duration?

    /// Creates a description of a wait.
    ///
    /// - Parameters:
    ///   - holder: The lease's holder, if known.
    ///   - since: When the wait began.
    ///   - limit: How long the run waits in all.
    public init(holder: LeaseHolder?, since: Date, limit: Duration?) {
        self.holder = holder
        self.since = since
        self.limit = limit
    }

    /// `gone-host pid 4242 (deploy-9), since 2026-12-01T20:00:00Z, lease TTL 9.5 s left`.
    public var holderSummary: String {
        guard let holder else { return "another process (the lease holds no holder description)" }
        let ttl = holder.ttlMilliseconds.map { ", lease TTL \(String(format: "%.1f", Double($0) / 1000)) s left" }
        return holder.summary + (ttl ?? "")
    }
}
