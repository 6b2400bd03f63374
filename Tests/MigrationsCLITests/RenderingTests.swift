import Foundation
import Migrations
import Testing

@testable import MigrationsCLI

@Suite("Human output: tables, colour, progress bars", .timeLimit(.minutes(5)))
struct RenderingTests {
    @Test("tables align columns by their plain text, colour or not, with no trailing spaces")
    func tableAlignment() {
        var table = TextTable(headers: ["NAME", "STATE", "DURATION"])
        table.rightAligned = [2]
        table.append([TextTable.Cell("a"), TextTable.Cell("completed", .green), TextTable.Cell("0.21s")])
        table.append([TextTable.Cell("longer-name"), TextTable.Cell("failed", .red), TextTable.Cell("12.5s")])

        let plain = table.render(style: .plain)
        #expect(
            plain == """
                NAME         STATE      DURATION
                a            completed     0.21s
                longer-name  failed        12.5s

                """)
        let colored = table.render(style: TerminalStyle(colors: true))
        #expect(colored.contains("\u{1B}[32mcompleted\u{1B}[0m"))
        let stripped = colored.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == plain)
    }

    @Test("colour only on a terminal, and never with NO_COLOR or TERM=dumb")
    func colourDetection() {
        #expect(TerminalStyle.detect(isTerminal: true, environment: [:]).colors)
        #expect(!TerminalStyle.detect(isTerminal: false, environment: [:]).colors)
        #expect(!TerminalStyle.detect(isTerminal: true, environment: ["NO_COLOR": "1"]).colors)
        #expect(TerminalStyle.detect(isTerminal: true, environment: ["NO_COLOR": ""]).colors)
        #expect(!TerminalStyle.detect(isTerminal: true, environment: ["TERM": "dumb"]).colors)
        #expect(TerminalStyle.plain.apply(.red, "x") == "x")
    }

    @Test("a progress bar shows fraction, counts, rate and ETA, and fits the terminal")
    func progressBar() {
        let snapshot = ProgressSnapshot(
            completed: 2500, total: 5000, elapsedSeconds: 2, isFinished: false, startedAt: Date())
        let line = ProgressBar.line(name: "import", snapshot: snapshot, nameWidth: 10, width: 80, style: .plain)
        #expect(line.hasPrefix("import      ["))
        #expect(line.contains("█"))
        #expect(
            line.hasSuffix("] 50.0%  2500/5000  1250.0/s  ETA 2s")
                || line.contains(" 50.0%  2500/5000  1250.0/s  ETA 2s"))
        #expect(line.count < 80)

        let long = ProgressBar.line(
            name: String(repeating: "n", count: 120), snapshot: snapshot, nameWidth: 120, width: 70, style: .plain)
        #expect(long.count < 70)
        #expect(long.contains("…"))

        let unknownTotal = ProgressSnapshot(
            completed: 42, total: 0, elapsedSeconds: 1, isFinished: false, startedAt: Date())
        #expect(
            ProgressBar.line(name: "x", snapshot: unknownTotal, nameWidth: 1, style: .plain).contains("42 done  42.0/s")
        )
    }

    @Test("status lines are cut by visible width, colour escapes not counted")
    func fittingColouredLines() {
        let line = "ab\u{1B}[32mcdef\u{1B}[0mgh"
        #expect(TerminalConsole.fit(line, to: 8) == line)
        #expect(TerminalConsole.fit(line, to: 5) == "ab\u{1B}[32mcd\u{1B}[0m…")
    }

    @Test("the finished line says how the migration ended")
    func finishedLine() {
        let start = Date()
        var result = MigrationResult(
            name: "m", status: .completed, startedAt: start, finishedAt: start.addingTimeInterval(1.5),
            triggeredBy: "t", host: "h", pid: 1)
        #expect(
            ProgressBar.finishedLine(name: "m", snapshot: nil, result: result, style: .plain)
                == "✔ m  completed in 1.50s")
        result.status = .failed
        result.error = "boom"
        #expect(
            ProgressBar.finishedLine(name: "m", snapshot: nil, result: result, style: .plain)
                == "✘ m  failed after 1.50s: boom")
    }

    @Test("status DETAILS shows the holder and progress while running, the shortened error when failed")
    func statusDetails() {
        let holder = LeaseHolder(
            host: "api-1", pid: 42, triggeredBy: "deploy", acquiredAt: Date(timeIntervalSince1970: 0),
            fencingToken: 3, ttlMilliseconds: 27_100)
        let running = MigrationStatusRow(name: "a", state: .running, holder: holder)
        #expect(MigrationStatusTable.details(of: running) == "api-1 pid 42, since 1970-01-01T00:00:00Z, TTL 27.1s")
        let failed = MigrationStatusRow(name: "b", state: .failed, error: String(repeating: "x", count: 100))
        #expect(MigrationStatusTable.details(of: failed).count == 60)
    }

    @Test("durations and TTLs read naturally")
    func formats() {
        #expect(DisplayFormat.duration(0.214) == "0.21s")
        #expect(DisplayFormat.duration(12.34) == "12.3s")
        #expect(DisplayFormat.duration(185) == "3m05s")
        #expect(DisplayFormat.milliseconds(850) == "850ms")
        #expect(DisplayFormat.milliseconds(27_140) == "27.1s")
    }
}
