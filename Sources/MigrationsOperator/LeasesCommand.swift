import ArgumentParser
import Foundation
import Migrations
import MigrationsCLI
import MigrationsRedis

/// `migrations leases`: the live leases, with holder, age and TTL left.
struct LeasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leases",
        abstract: "List the live leases with their holder, age and TTL left.",
        discussion: """
            A lease marks a migration as running. Its holder renews it every third of its TTL; a lease not \
            renewed for longer is marked stale: its holder is stuck or gone, and `migrations unlock` may \
            clear it.

            EXAMPLES:
              migrations leases
              migrations leases --json | jq '.[] | select(.recentlyRefreshed | not) | .name'

            \(MigrationsExitCode.helpText)
            """
    )

    @Flag(name: .customLong("json"), help: "Print a JSON array of leases.")
    var json = false

    @OptionGroup var redis: OperatorOptions

    func run() async throws {
        try await redis.withInspector { inspector, target in
            let now = Date()
            let all = try await inspector.allLeases()
            let rows =
                (all.leases.map { MigrationLeaseRow($0, now: now) } + all.foreign.map { MigrationLeaseRow($0) })
                .sorted { $0.name < $1.name }
            if json {
                try JSONOutput.write(rows)
                return
            }
            guard !rows.isEmpty else {
                StandardStreams.writeOutputLine("No leases \(redis.place(target)).")
                return
            }
            StandardStreams.writeOutput(Self.render(rows, style: .forStandardOutput()))
        }
    }

    static func render(_ rows: [MigrationLeaseRow], style: TerminalStyle) -> String {
        var table = TextTable(headers: ["NAME", "HOLDER", "TRIGGERED BY", "FENCE", "AGE", "TTL LEFT", "RENEWED"])
        table.rightAligned = [3, 4, 5]
        for row in rows {
            if let unrecognised = row.unrecognisedValue {
                table.append([
                    TextTable.Cell(row.name),
                    TextTable.Cell("unrecognised value: \(unrecognised)", .yellow),
                    TextTable.Cell("-"), TextTable.Cell("-"), TextTable.Cell("-"),
                    TextTable.Cell(row.holder.ttlMilliseconds.map(DisplayFormat.milliseconds) ?? "none"),
                    TextTable.Cell("unknown (unlock --force clears it)", .yellow),
                ])
                continue
            }
            let renewed: TextTable.Cell =
                if let since = row.millisecondsSinceRefresh {
                    TextTable.Cell(
                        "\(DisplayFormat.milliseconds(since)) ago" + (row.recentlyRefreshed ? "" : " (stale)"),
                        row.recentlyRefreshed ? .green : .yellow)
                } else {
                    TextTable.Cell("never expires (stale)", .yellow)
                }
            var holder = "\(row.holder.host) pid \(row.holder.pid)"
            if ProcessLiveness.isGone(row.holder) { holder += " (gone)" }
            table.append([
                TextTable.Cell(row.name),
                TextTable.Cell(holder),
                TextTable.Cell(row.holder.triggeredBy),
                TextTable.Cell(row.holder.fencingToken.map(String.init) ?? "-"),
                TextTable.Cell(DisplayFormat.duration(row.ageSeconds)),
                TextTable.Cell(row.holder.ttlMilliseconds.map(DisplayFormat.milliseconds) ?? "none"),
                renewed,
            ])
        }
        return table.render(style: style)
    }
}
