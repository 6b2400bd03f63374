public import Foundation

/// An operator's request to stop a migration: pause it (it resumes from its checkpoint once resumed) or
/// cancel it (recorded as cancelled; a later run resumes from the checkpoint unless it is reset).
///
/// The request is durable (Redis `<prefix>:<name>:control`, the file store's `<stem>.control`), so it
/// reaches whichever replica holds the migration, and a pause also applies to an attempt that has not
/// started yet. The holder learns of it with its next lease renewal (Redis: the renewal script returns
/// it, at no extra round trip, so within a third of the TTL) or its next control poll (leases without a
/// TTL, every ``MigrationRunner/Configuration/controlPollInterval``).
///
/// ```json
/// {"action":"pause","at":"2026-12-01T10:04:05Z","by":"alice","reason":"replica lag"}
/// ```
public struct MigrationControl: Sendable, Codable, Equatable {
    /// What is asked.
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// Stop at the next batch, write the checkpoint, release the lease; run again once resumed.
        case pause
        /// Stop like a pause, but record the attempt as cancelled; the request is then consumed.
        case cancel
    }

    /// What is asked.
    public var action: Action
    /// Why, in the operator's words.
    public var reason: String?
    /// Who asked: the operating-system user or the HTTP identity.
    public var by: String
    /// When it was asked.
    public var at: Date

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - action: Pause or cancel.
    ///   - reason: Why.
    ///   - by: Who asks.
    ///   - at: When; now by default.
    public init(_ action: Action, reason: String? = nil, by: String, at: Date = Date()) {
        self.action = action
        self.reason = reason
        self.by = by
        self.at = at
    }

    /// `paused by alice at 2026-12-01T10:04:05Z: replica lag`.
    public var summary: String {
        let verb = action == .pause ? "paused" : "cancelled"
        return "\(verb) by \(by) at \(at.formatted(.iso8601))" + (reason.map { ": \($0)" } ?? "")
    }

    /// Encodes the request in the shared JSON conventions.
    public func jsonData() throws -> Data {
        try MigrationJSON.encode(self)
    }

    /// Decodes a request written by ``jsonData()``.
    ///
    /// - Parameter data: The stored JSON.
    public static func decode(from data: Data) throws -> MigrationControl {
        try MigrationJSON.decode(MigrationControl.self, from: data)
    }
}
