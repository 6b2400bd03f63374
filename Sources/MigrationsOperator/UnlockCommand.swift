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
            Prints who holds the lease. A holder is alive while it renews its lease (within a third of its \
            TTL plus a second, as a live holder does), unless its host is this host and its pid is not \
            running; the pid check counts only on the holder's own host. Without --force unlock clears only a lease \
            whose holder is not alive (not renewed, no expiry, or its process gone from this host), with a \
            compare-and-delete on the lease's token, so a lease taken meanwhile is never touched; an alive \
            holder's lease, and a :lease key holding a value that is not ours, are left alone (exit 4).

            --force clears the lease whatever its holder or value, with a compare-and-delete on the exact \
            value it printed, and increments the fencing token, so the old holder can no longer record a \
            result; use it only when you know the holder is stuck.

            Exits 1 when the migration holds no lease, 2 when nothing at all is stored for the name.

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
            if let foreign = try await inspector.foreignLease(of: name) {
                return try await clearForeign(foreign, inspector: inspector)
            }
            guard let lease = try await inspector.lease(of: name) else {
                // Nothing stored at all is an unknown name (2); a known migration without a lease is 1.
                let known = try await inspector.details(of: name).exists
                throw MigrationsCommandError(
                    known ? .refused : .usage,
                    "no lease is held on migration '\(name)' \(redis.place(target)); nothing to unlock"
                        + (known ? "" : " (nothing is stored for it at all: is the name right?)"))
            }
            if !json { StandardStreams.writeOutputLine(Self.describe(lease)) }
            if force {
                guard let shown = try await inspector.rawLease(of: name),
                    try await inspector.forceUnlock(name, expecting: shown)
                else { throw Self.changedMeanwhile(name) }
                let fence = try await inspector.details(of: name).fence
                return MigrationOperatorActionReport(
                    name: name, action: .forceUnlocked, holder: lease.holder,
                    fence: fence, clearedKeys: [inspector.keys.lease(name)],
                    message:
                        "cleared the lease of '\(name)' and raised its fencing token to \(fence.map(String.init) ?? "?"); "
                        + "the old holder can no longer record a result")
            }
            let gone = ProcessLiveness.isGone(lease.holder)
            if lease.isRecentlyRefreshed && !gone {
                let since = DisplayFormat.milliseconds(lease.millisecondsSinceRefresh ?? 0)
                let interval = DisplayFormat.milliseconds(lease.value.ttlMs / 3)
                let here = ProcessLiveness.note(for: lease.holder).map { " (\($0))" } ?? ""
                let message =
                    "refusing to clear the lease of '\(name)': its holder renewed it \(since) ago (a live holder renews "
                    + "every \(interval)), so it is alive\(here); wait for it to finish, or pass --force to clear it "
                    + "anyway and fence the holder out"
                if json {
                    try JSONOutput.write(
                        MigrationOperatorActionReport(
                            name: name, action: .refused, holder: lease.holder, message: message))
                }
                throw MigrationsCommandError(.leaseHeld, message)
            }
            guard try await inspector.release(name, value: lease.value) else { throw Self.changedMeanwhile(name) }
            let stale =
                gone
                ? "its holder, pid \(lease.holder.pid) on this host, is not running"
                : lease.millisecondsSinceRefresh.map { "not renewed for \(DisplayFormat.milliseconds($0))" }
                    ?? "without expiry"
            return MigrationOperatorActionReport(
                name: name, action: .unlocked, holder: lease.holder, clearedKeys: [inspector.keys.lease(name)],
                message: "cleared the stale lease of '\(name)' (\(stale))")
        }
        try report.write(json: json)
    }

    /// A `:lease` key holding a value that is not ours: nobody can say whether its writer is alive, so it is
    /// cleared only with `--force`, by a compare-and-delete on the exact value shown.
    private func clearForeign(
        _ foreign: RedisForeignLease, inspector: RedisMigrationInspector
    ) async throws -> MigrationOperatorActionReport {
        let ttl = foreign.ttlLeftMilliseconds.map { "TTL left \(DisplayFormat.milliseconds($0))" } ?? "no expiry"
        if !json {
            StandardStreams.writeOutputLine(
                "Lease on '\(name)': \(foreign.key) holds an unrecognised value (\(foreign.preview())), \(ttl).")
        }
        guard force else {
            throw MigrationsCommandError(
                .leaseHeld,
                "refusing to clear the lease of '\(name)': its value is not a lease of this tool, so whether its "
                    + "writer is alive cannot be told; pass --force to clear it (it blocks every run until then)")
        }
        guard try await inspector.forceUnlock(name, expecting: foreign.raw) else { throw Self.changedMeanwhile(name) }
        let fence = try await inspector.details(of: name).fence
        return MigrationOperatorActionReport(
            name: name, action: .forceUnlocked, fence: fence, clearedKeys: [foreign.key],
            message:
                "cleared the unrecognised lease value of '\(name)' and raised its fencing token to "
                + "\(fence.map(String.init) ?? "?")")
    }

    private static func changedMeanwhile(_ name: String) -> MigrationsCommandError {
        MigrationsCommandError(
            .refused,
            "the lease of '\(name)' changed while it was being cleared (released or taken over); nothing cleared")
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
