import Foundation
import Logging
import Migrations
import MigrationsOperator
import MigrationsTestSupport
import Testing

@testable import MigrationsCLI

/// A migration name that turns a terminal red when printed raw.
private let hostileName = "esc\u{1B}[31mRED"
/// How ``hostileName`` reads once escaped.
private let escapedHostileName = "esc\\u{1B}[31mRED"

/// Whether text holds nothing a terminal would obey: no control character but the line feeds between
/// lines, no bidirectional override.
private func isInert(_ text: String) -> Bool {
    !text.unicodeScalars.contains { $0 != "\n" && VisibleText.isUnsafe($0) }
}

@Suite("Terminal output is safe: names, values and errors shown escaped", .timeLimit(.minutes(5)))
struct TerminalSafetyTests {
    // MARK: - The escaper

    @Test("ESC, BEL and NUL are shown as Swift escapes in uppercase hex without padding")
    func controlCharacters() {
        #expect(VisibleText.escaping("a\u{1B}[31mb") == "a\\u{1B}[31mb")
        #expect(VisibleText.escaping("ding\u{7}") == "ding\\u{7}")
        #expect(VisibleText.escaping("nul\u{0}end") == "nul\\u{0}end")
        #expect(VisibleText.escaping("\u{1F}") == "\\u{1F}")
    }

    @Test("a carriage return, line feed or tab inside a field is escaped, so the field stays on its line")
    func lineBreaksInAField() {
        #expect(VisibleText.escaping("a\rb\nc\td") == "a\\u{D}b\\u{A}c\\u{9}d")
        #expect(VisibleText.escaping("crlf\r\n") == "crlf\\u{D}\\u{A}")
    }

    @Test("DEL and the C1 controls are escaped, U+009B (a one-byte control sequence introducer) included")
    func deleteAndC1Controls() {
        #expect(VisibleText.escaping("del\u{7F}") == "del\\u{7F}")
        #expect(VisibleText.escaping("\u{9B}31mred") == "\\u{9B}31mred")
        #expect(VisibleText.escaping("\u{80}\u{85}\u{9F}") == "\\u{80}\\u{85}\\u{9F}")
    }

    @Test("bidirectional overrides, isolates and marks are escaped")
    func bidirectionalControls() {
        #expect(VisibleText.escaping("invoice\u{202E}fdp.exe") == "invoice\\u{202E}fdp.exe")
        #expect(VisibleText.escaping("\u{2066}x\u{2069}") == "\\u{2066}x\\u{2069}")
        #expect(VisibleText.escaping("\u{202A}\u{202B}\u{202C}\u{202D}") == "\\u{202A}\\u{202B}\\u{202C}\\u{202D}")
        #expect(VisibleText.escaping("\u{200E}\u{200F}\u{061C}") == "\\u{200E}\\u{200F}\\u{61C}")
    }

    @Test("ordinary Unicode is left untouched: accents, other scripts, emoji with joiners, combining marks")
    func plainUnicodeUntouched() {
        for text in ["café", "中文のキー", "مرحبا", "🚀", "👩‍👩‍👧", "e\u{301}", "2025-01-02-import-customers", ""] {
            #expect(VisibleText.escaping(text) == text)
        }
    }

    @Test("backslashes are left alone, and escaping escaped text changes nothing")
    func backslashesAndIdempotence() {
        #expect(VisibleText.escaping("C:\\dir\\u{1B}") == "C:\\dir\\u{1B}")
        let once = VisibleText.escaping("x\u{1B}[2J\u{202E}\n")
        #expect(VisibleText.escaping(once) == once)
        #expect(isInert(once))
    }

    @Test("escapingLines keeps the line feeds between lines and escapes everything else")
    func escapingLines() {
        #expect(VisibleText.escapingLines("one\u{1B}[2J\ntwo\r\n") == "one\\u{1B}[2J\ntwo\\u{D}\n")
    }

    @Test("a substring can be escaped without copying it first")
    func substrings() {
        let text = "ab\u{7}cd"
        #expect(VisibleText.escaping(text.dropFirst(2)) == "\\u{7}cd")
    }

    // MARK: - Where text is printed

    @Test("a table escapes a hostile cell, aligns by the escaped text, and still colours it")
    func hostileTableCell() {
        var table = TextTable(headers: ["NAME", "STATE"])
        table.append([TextTable.Cell(hostileName), TextTable.Cell("failed", .red)])
        table.append([TextTable.Cell("ok"), TextTable.Cell("a\tb\r\nc\u{202E}", .green)])

        let plain = table.render(style: .plain)
        #expect(
            plain == """
                NAME              STATE
                esc\\u{1B}[31mRED  failed
                ok                a\\u{9}b\\u{D}\\u{A}c\\u{202E}

                """)
        let colored = table.render(style: TerminalStyle(colors: true))
        #expect(colored.contains("\u{1B}[31mfailed\u{1B}[0m"), "our own colour escapes still work")
        let stripped = colored.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == plain, "the only escapes left are the colours")
    }

    @Test("the status table escapes the holder's host and the error it shows")
    func statusTableRows() {
        let holder = LeaseHolder(
            host: "api\u{1B}]0;owned\u{7}", pid: 42, triggeredBy: "deploy\u{202E}",
            acquiredAt: Date(timeIntervalSince1970: 0))
        let rows = [
            MigrationStatusRow(name: "a", state: .running, triggeredBy: "deploy\u{202E}", holder: holder),
            MigrationStatusRow(name: hostileName, state: .failed, error: "boom\u{9B}2J"),
        ]
        let text = MigrationStatusTable.render(rows, style: TerminalStyle(colors: true))
        let stripped = text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(isInert(stripped), "\(stripped)")
        #expect(stripped.contains("api\\u{1B}]0;owned\\u{7} pid 42"))
        #expect(stripped.contains("deploy\\u{202E}"))
        #expect(stripped.contains(escapedHostileName))
        #expect(stripped.contains("boom\\u{9B}2J"))
    }

    @Test("progress and finished lines escape the name and the reason, before colouring them")
    func progressLines() {
        let start = Date()
        var result = MigrationResult(
            name: hostileName, status: .failed, startedAt: start, finishedAt: start.addingTimeInterval(1.5),
            triggeredBy: "t", host: "h", pid: 1)
        result.error = "bad\u{1B}]0;title\u{7}"
        let colors = TerminalStyle(colors: true)
        #expect(
            ProgressBar.finishedLine(name: hostileName, snapshot: nil, result: result, style: colors)
                == "\u{1B}[31m✘\u{1B}[0m \(escapedHostileName)  \u{1B}[31mfailed\u{1B}[0m after 1.50s: "
                + "bad\\u{1B}]0;title\\u{7}")

        let line = ProgressBar.line(name: hostileName, snapshot: nil, nameWidth: 0, width: 80, style: .plain)
        #expect(line.hasPrefix(escapedHostileName), "\(line)")
        #expect(isInert(line))

        let wait = LeaseWait(
            holder: LeaseHolder(host: "gone\u{1B}[2J", pid: 7, triggeredBy: "cron\u{2066}"), since: start, limit: nil)
        let waiting = ProgressBar.waitingLine(name: hostileName, wait: wait, nameWidth: 0)
        #expect(waiting.hasPrefix("\(escapedHostileName)  waiting for gone\\u{1B}[2J pid 7 (cron\\u{2066})"))
        #expect(isInert(waiting))
    }

    @Test("console log lines escape the message and the metadata values")
    func consoleLogLines() throws {
        let pipe = Pipe()
        let console = TerminalConsole(style: .plain, descriptor: pipe.fileHandleForWriting.fileDescriptor)
        let logger = Logger(label: "terminal-safety") { _ in ConsoleLogHandler(console: console, logLevel: .info) }
        logger.warning("failed: \u{1B}[2J\ngone", metadata: ["migration.name": .string(hostileName)])
        try pipe.fileHandleForWriting.close()
        let written = String(decoding: try pipe.fileHandleForReading.readToEnd() ?? Data(), as: UTF8.self)

        #expect(written.hasSuffix(" warning [migration.name=\(escapedHostileName)] failed: \\u{1B}[2J\\u{A}gone\n"))
        #expect(written.filter { $0 == "\n" }.count == 1, "one log line, whatever the message holds")
        #expect(isInert(written), "\(written)")
    }

    // MARK: - The tools, end to end

    @Test("migrations status shows a key name holding ESC escaped, on standard output and standard error")
    func statusOfHostileKey() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        try await fixture.redis("SET", "migration:\(hostileName):completed", "true")

        let outcome = try await fixture.tool(["status"])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(!outcome.standardOutput.utf8.contains(0x1B), "\(outcome)")
        #expect(!outcome.standardError.utf8.contains(0x1B), "\(outcome)")
        #expect(outcome.standardOutput.contains(escapedHostileName), "\(outcome)")
        #expect(outcome.standardOutput.contains("1 migrations under prefix 'migration'"), "\(outcome)")

        let json = try await fixture.tool(["status", "--json"])
        #expect(json.status == 0, "\(json)")
        let rows = try fixture.decode([MigrationStatusRow].self, json)
        #expect(rows.map(\.name) == [hostileName], "--json stays exact")
        #expect(!json.standardOutput.contains(escapedHostileName), "--json is not escaped a second time")
    }

    @Test("migrations show escapes the name, a stored error holding a bidirectional override, and the keys")
    func showOfHostileValues() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        try await fixture.redis("SET", "migration:\(hostileName):completed", "true")
        try await fixture.redis("SET", "migration:\(hostileName):error", "boom \u{202E}gnp.exe\u{1B}[2J")

        let outcome = try await fixture.tool(["show", hostileName])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(isInert(outcome.standardOutput), "\(outcome)")
        #expect(isInert(outcome.standardError), "\(outcome)")
        #expect(outcome.standardOutput.contains(escapedHostileName), "\(outcome)")
        #expect(outcome.standardOutput.contains("boom \\u{202E}gnp.exe\\u{1B}[2J"), "\(outcome)")
        #expect(outcome.standardOutput.contains("migration:\(escapedHostileName):error"), "\(outcome)")

        let json = try await fixture.tool(["show", hostileName, "--json"])
        #expect(json.status == 0, "\(json)")
        let report = try fixture.decode(MigrationDetailsReport.self, json)
        #expect(report.error == "boom \u{202E}gnp.exe\u{1B}[2J", "--json stays exact")
    }

    @Test("error lines escape what they quote, from the command and from ArgumentParser alike")
    func errorLines() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        try await fixture.redis("SET", "migration:\(hostileName):completed", "true")

        let unknown = try await fixture.tool(["show", "nope\u{1B}[2J"])
        #expect(unknown.status == 2, "\(unknown)")
        #expect(!unknown.standardError.utf8.contains(0x1B), "\(unknown)")
        #expect(
            unknown.standardError.hasPrefix("error: nothing is stored for migration 'nope\\u{1B}[2J'"), "\(unknown)")
        #expect(unknown.standardError.contains("known: '\(escapedHostileName)'"), "\(unknown)")
        #expect(unknown.standardError.filter { $0 == "\n" }.count == 1, "\(unknown)")

        let usage = try await fixture.tool(["status", "--bogus\u{1B}[2J"])
        #expect(usage.status == 2, "\(usage)")
        #expect(!usage.standardError.utf8.contains(0x1B), "\(usage)")
        #expect(usage.standardError.contains("--bogus\\u{1B}[2J"), "\(usage)")
        #expect(usage.standardError.contains("\nUsage: "), "ArgumentParser's lines stay lines: \(usage)")
    }
}
