import Foundation

/// The results of one run: the machine, the command, and every figure, as Markdown or JSON.
struct BenchReport: Sendable, Codable {
    /// The command line, as typed.
    var command: String
    /// When the run started (ISO 8601).
    var date: String
    /// The machine.
    var machine: MachineDescription
    /// The figures, in order.
    var figures: [Figure]
    /// Benchmarks that could not produce their figures, with the reason.
    var failures: [String]
    /// `/proc/loadavg` when the run ended.
    var loadAtEnd = ""

    /// A Markdown section: the run's facts, then a table of figures, then the notes.
    var markdown: String {
        var lines = [
            "Run: `\(command)` on \(date)",
            "",
            "| machine | |",
            "|---|---|",
            "| `nproc` | \(machine.processors) |",
            "| CPU | \(machine.cpuModel) |",
            "| memory | \(String(format: "%.1f", machine.memoryGiB)) GiB |",
            "| kernel | \(machine.kernel) |",
            "| redis-server | \(machine.redisServer) |",
            "| load average (1, 5, 15 min) | \(machine.loadAtStart) at the start, \(loadAtEnd) at the end |",
            "",
            "| # | measure | ours | reference (same run) | ratio | target | verdict |",
            "|---|---|---|---|---|---|---|",
        ]
        for figure in figures {
            lines.append(
                "| \(figure.id) | \(figure.measure) | \(figure.ours) | \(figure.reference) | \(figure.ratio) "
                    + "| \(figure.target) | \(figure.verdict) |")
        }
        lines.append("")
        lines.append("Notes:")
        lines.append("")
        for figure in figures where !figure.note.isEmpty {
            lines.append("- \(figure.id), \(figure.measure): \(figure.note)")
        }
        for failure in failures {
            lines.append("- FAILED: \(failure)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Pretty JSON with sorted keys.
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
