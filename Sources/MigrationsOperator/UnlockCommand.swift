import ArgumentParser
import Foundation
import Migrations
import MigrationsCLI
import MigrationsRedis

/// `migrations unlock NAME [--force]`: clears a stuck lease.
struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Clear a stuck lease.",
        discussion: """
            Prints who holds the lease. Without --force it clears only a stale lease, one its holder has \
            not renewed for a third of its TTL plus a second, and does so with a compare-and-delete on the \
            lease's token, so a lease taken meanwhile by someone else is never touched. A lease still being \
            renewed is left alone (exit 4): its holder is alive.

            --force clears the lease whoever holds it and increments the fencing token, so the old holder \
            can no longer record a result; use it only when you know the holder is stuck.

            Exits 1 when no lease is held.

            EXAMPLES:
              migrations unlock 2025-01-02-import-customers
              migrations unlock 2025-01-02-import-customers --force

            \(MigrationsExitCode.helpText)
            """
    )

    @Argument(help: "The migration whose lease to clear.")
    var name: String

    @Flag(
        name: .customLong("force"), help: "Clear the lease even while its holder renews it, and fence the holder out.")
    var force = false

    @Flag(name: .customLong("json"), help: "Print what was done as a JSON object.")
    var json = false

    @OptionGroup var redis: OperatorOptions

    func run() async throws {
        let report = try await redis.withInspector { inspector, target in
            guard let lease = try await inspector.lease(of: name) else {
                throw MigrationsCommandError(
                    .refused, "no lease is held on migration '\(name)' \(redis.place(target)); nothing to unlock")
            }
            if !json { StandardStreams.writeOutputLine(Self.describe(lease)) }
            if force {
                let cleared = try await inspector.forceUnlock(name)
                let fence = try await inspector.details(of: name).fence
                return MigrationOperatorActionReport(
                    name: name, action: .forceUnlocked,
                    holder: cleared?.holder(ttlLeftMilliseconds: nil) ?? lease.holder,
                    fence: fence, clearedKeys: [inspector.keys.lease(name)],
                    message:
                        "cleared the lease of '\(name)' and raised its fencing token to \(fence.map(String.init) ?? "?"); "
                        + "the old holder can no longer record a result")
            }
            if lease.isRecentlyRefreshed {
                let since = DisplayFormat.milliseconds(lease.millisecondsSinceRefresh ?? 0)
                let note = ProcessLiveness.note(for: lease.holder).map { "; \($0)" } ?? ""
                let message =
                    "refusing to clear the lease of '\(name)': its holder renewed it \(since) ago, so it is alive\(note); "
                    + "wait for it to finish, or pass --force to clear it anyway and fence the holder out"
                if json {
                    try JSONOutput.write(
                        MigrationOperatorActionReport(
                            name: name, action: .refused, holder: lease.holder, message: message))
                }
                throw MigrationsCommandError(.leaseHeld, message)
            }
            guard try await inspector.release(name, token: lease.value.token) else {
                throw MigrationsCommandError(
                    .refused,
                    "the lease of '\(name)' changed while it was being cleared (released or taken over); nothing cleared"
                )
            }
            let stale =
                lease.millisecondsSinceRefresh.map { "not renewed for \(DisplayFormat.milliseconds($0))" }
                ?? "without expiry"
            return MigrationOperatorActionReport(
                name: name, action: .unlocked, holder: lease.holder, clearedKeys: [inspector.keys.lease(name)],
                message: "cleared the stale lease of '\(name)' (\(stale))")
        }
        if json {
            try JSONOutput.write(report)
        } else {
            let sentence: String = report.message.prefix(1).uppercased() + report.message.dropFirst() + "."
            StandardStreams.writeOutputLine(sentence)
        }
    }

    /// `Lease on 'x': held by api-7f9c pid 4242 (deploy) since …, fencing token 3, TTL left 27.1s, renewed 2.9s ago.`
    static func describe(_ lease: RedisLeaseInspection) -> String {
        let holder = lease.holder
        var parts = [
            "Lease on '\(lease.name)': held by \(holder.host) pid \(holder.pid) (\(holder.triggeredBy))",
            "since \(DisplayFormat.timestamp(holder.acquiredAt))",
            "fencing token \(holder.fencingToken.map(String.init) ?? "-")",
        ]
        if let ttl = lease.ttlLeftMilliseconds {
            parts.append(
                "TTL left \(DisplayFormat.milliseconds(ttl)) of \(DisplayFormat.milliseconds(lease.value.ttlMs))")
        } else {
            parts.append("no expiry")
        }
        if let since = lease.millisecondsSinceRefresh {
            parts.append("renewed \(DisplayFormat.milliseconds(since)) ago")
        }
        var text = parts.joined(separator: ", ")
        if let note = ProcessLiveness.note(for: holder) { text += "; \(note)" }
        return text + "."
    }
}
