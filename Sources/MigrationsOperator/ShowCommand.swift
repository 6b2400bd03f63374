import ArgumentParser
import Foundation
import Migrations
import MigrationsCLI
import MigrationsRedis

/// `migrations show NAME`: everything stored for one migration.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show everything stored for one migration.",
        discussion: """
            Reads every key of the migration in one round trip and prints its state, the completion \
            marker, the stored result (pretty-printed JSON), the last error, the lease with its holder and \
            TTL, the fencing token, the published progress, and each key's type and TTL. Exits 1 when \
            nothing is stored under that name.

            EXAMPLES:
              migrations show 2025-01-02-import-customers
              migrations show 2025-01-02-import-customers --json | jq .result.duration

            \(MigrationsExitCode.helpText)
            """
    )

    @Argument(help: "The migration's name.")
    var name: String

    @Flag(name: .customLong("json"), help: "Print the details as a JSON object.")
    var json = false

    @OptionGroup var redis: OperatorOptions

    func run() async throws {
        try await redis.withInspector { inspector, target in
            let details = try await inspector.details(of: name)
            guard details.exists else {
                let known = try await inspector.migrationNames()
                throw MigrationsCommandError(
                    .usage,
                    "nothing is stored for migration '\(name)' \(redis.place(target)); "
                        + "known: \(Self.list(known))")
            }
            var report = MigrationDetailsReport(details)
            if let count = try await inspector.discoverMigrations().shardCounts[name] {
                let shards = try await inspector.shards(
                    of: name, count: count, migrationCompleted: details.state.isCompleted)
                report.shards = shards
                report.state = MigrationStatusRow.state(of: details.state, shards: shards)
            }
            report.history = try await RedisStateStore(connection: inspector.connection, keys: inspector.keys)
                .history(of: name, limit: 10)
            if json {
                try JSONOutput.write(report)
            } else {
                StandardStreams.writeOutput(try Self.render(report, style: .forStandardOutput()))
            }
        }
    }

    /// One row per shard: its state, who holds or completed it, its items.
    static func shardTable(_ shards: MigrationShardsSummary, style: TerminalStyle) -> String {
        var table = TextTable(headers: ["SHARD", "STATE", "HOLDER / DONE BY", "ITEMS", "DETAILS"])
        table.rightAligned = [0, 3]
        for shard in shards.shards {
            let who = shard.holder.map { "\($0.host) pid \($0.pid)" } ?? shard.completedBy ?? ""
            let items =
                shard.total.map { "\(shard.completed)/\($0)" } ?? (shard.completed > 0 ? "\(shard.completed)" : "")
            let details = shard.progress?.summary ?? shard.error.map { DisplayFormat.shortened($0) } ?? ""
            table.append([
                TextTable.Cell(String(shard.index)),
                TextTable.Cell(shard.state.rawValue, MigrationStatusTable.attribute(for: shard.state)),
                TextTable.Cell(who), TextTable.Cell(items),
                TextTable.Cell(details, shard.state == .failed ? .red : nil),
            ])
        }
        return table.render(style: style)
    }

    /// Up to ten quoted names, or `none`.
    static func list(_ names: [String]) -> String {
        guard !names.isEmpty else { return "none" }
        let shown = names.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
        return names.count > 10 ? shown + " and \(names.count - 10) more" : shown
    }

    /// The human form: a field list, the result JSON, then the keys.
    ///
    /// The tables escape their cells; the result JSON, whose encoder leaves C1 controls and bidirectional
    /// overrides as they are, is escaped line by line.
    static func render(_ report: MigrationDetailsReport, style: TerminalStyle) throws -> String {
        var fields = TextTable(headers: ["FIELD", "VALUE"])
        fields.append(["name", TextTable.Cell(report.name)])
        fields.append([
            "state", TextTable.Cell(report.state.rawValue, MigrationStatusTable.attribute(for: report.state)),
        ])
        fields.append(["completed", TextTable.Cell(report.completed ? "yes" : "no")])
        fields.append(["error", TextTable.Cell(report.error ?? "-", report.error == nil ? nil : .red)])
        fields.append(["fence", TextTable.Cell(report.fence.map(String.init) ?? "-")])
        if let lease = report.lease {
            let holder = lease.holder
            var text =
                "\(holder.host) pid \(holder.pid) (\(holder.triggeredBy)), "
                + "since \(DisplayFormat.timestamp(holder.acquiredAt)), fencing token \(holder.fencingToken.map(String.init) ?? "-")"
            if let ttl = holder.ttlMilliseconds { text += ", TTL left \(DisplayFormat.milliseconds(ttl))" }
            if let note = ProcessLiveness.note(for: holder) { text += "; \(note)" }
            fields.append(["lease", TextTable.Cell(text, .yellow)])
        } else {
            fields.append(["lease", "none"])
        }
        fields.append(["progress", TextTable.Cell(report.progress?.summary ?? "-")])
        fields.append(["checkpoint", TextTable.Cell(report.checkpoint?.summary ?? "-")])
        fields.append([
            "control", TextTable.Cell(report.control?.summary ?? "-", report.control == nil ? nil : .yellow),
        ])
        if let problem = report.problem { fields.append(["problem", TextTable.Cell(problem, .magenta)]) }
        var output = fields.render(style: style)
        if let result = report.result {
            let resultJSON = try VisibleText.escapingLines(JSONOutput.encode(result))
            output += "\n" + style.apply(.bold, "RESULT") + "\n" + resultJSON + "\n"
        }
        if let shards = report.shards {
            output += "\n" + style.apply(.bold, "SHARDS (\(VisibleText.escaping(shards.summary)))") + "\n"
            output += shardTable(shards, style: style)
        }
        if !report.history.isEmpty {
            output += "\n" + style.apply(.bold, "HISTORY (last \(report.history.count), newest first)") + "\n"
            output += MigrationHistoryTable.render(report.history, style: style)
        }
        var keys = TextTable(headers: ["KEY", "TYPE", "TTL"])
        for key in report.keys {
            let missing = key.type == "none"
            let ttl: String = key.ttlMilliseconds.map(DisplayFormat.milliseconds) ?? (missing ? "" : "none")
            keys.append([TextTable.Cell(key.key), TextTable.Cell(key.type, missing ? .dim : nil), TextTable.Cell(ttl)])
        }
        return output + "\n" + keys.render(style: style)
    }
}
