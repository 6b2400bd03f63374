import Foundation
import Migrations
import MigrationsTestSupport
import RedisTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The dashboard in a real headless Chromium, against a live `example-service serve` and a real Redis.
///
/// Screenshots of every step are written as PNG to `$TEST_ARTIFACTS_DIR/dashboard`, by default
/// `.build/test-artifacts/dashboard` in the package.
@Suite(
    "Dashboard in a real browser", .serialized, .timeLimit(.minutes(5)),
    .enabled(if: WebDriver.tools != nil, Comment(rawValue: WebDriver.unavailableReason ?? "")))
struct DashboardBrowserTests {
    static let backfill = "2025-04-02-backfill-order-totals"

    /// Where the screenshots go.
    static var artifacts: String {
        let root =
            ProcessInfo.processInfo.environment["TEST_ARTIFACTS_DIR"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: ".build/test-artifacts").path
        return root + "/dashboard"
    }

    @Test("sign in, see every migration, run the backfill, watch it advance, pause, resume, see it complete")
    func operatorSession() async throws {
        try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        let work = FileManager.default.temporaryDirectory.appending(path: "dashboard-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work + "/data/uploads", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var environment = ProcessInfo.processInfo.environment
        environment.merge(
            [
                "REDIS_URL": redis.url, "EXAMPLE_DATA_DIR": "\(work)/data", "MIGRATIONS_API_TOKEN": "t0ken",
                "TENANT_ACME_PLAN": "enterprise", "TENANT_GLOBEX_PLAN": "starter",
                // 40 batches of 1,000 orders, 300 ms apart: long enough to watch, pause and resume.
                "EXAMPLE_DEMO_ORDERS": "40000", "EXAMPLE_BACKFILL_PAUSE_MS": "300",
            ]
        ) { $1 }
        let port = try loopbackFreePort()
        let service = try await ChildProcess.launch(
            "example-service", ["serve", "--port", "\(port)", "--no-background-worker", "--replica-name", "web-1"],
            environment: environment, directory: work)
        defer { service.signal(SIGKILL) }
        try await waitUntil("the service is ready", limit: .seconds(120), interval: .milliseconds(100)) {
            guard service.isRunning else { return true }
            return await Self.status(port, "/health/ready") == 200
        }
        #expect(service.isRunning, "the service exited:\n\(service.standardOutput)\(service.standardError)")

        let browser = try await WebDriver.start()
        do {
            try await drive(browser, port: port, redis: redis, work: work)
        } catch {
            try? await browser.screenshot(to: Self.artifacts + "/failure.png")
            await browser.quit()
            throw error
        }
        await browser.quit()
        service.signal(SIGTERM)
        _ = try await service.wait()
    }

    private func drive(_ browser: WebDriver, port: Int, redis: RedisServer, work: String) async throws {
        let base = "http://127.0.0.1:\(port)/dashboard"
        let shot = { (name: String) in try await browser.screenshot(to: Self.artifacts + "/\(name).png") }

        // Signed out, the dashboard sends the browser to the sign-in form.
        try await browser.open(base)
        #expect(try await browser.currentURL == base + "/login")
        try await shot("01-sign-in")
        try await browser.type("wrong", into: "#token")
        try await browser.click("#sign-in")
        try await waitUntil("the form says the token is wrong", limit: .seconds(20), interval: .milliseconds(100)) {
            try await browser.text("[role=alert]") == "That token is not accepted."
        }
        try await browser.type("t0ken", into: "#token")
        try await browser.click("#sign-in")
        try await arrive(browser, at: base)

        // Every migration, in order; the backfill pending (no background worker runs it here).
        let rows = try await browser.elements("tr[data-position]")
        #expect(rows.count == ExampleServiceTests.migrations.count)
        for (index, name) in ExampleServiceTests.migrations.enumerated() {
            #expect(try await browser.text("tr[data-position='\(index + 1)'] a.name") == name)
        }
        let row = "tr[data-position='6']"
        #expect(try await browser.text("\(row) [data-field=state]")?.contains("Pending") == true)
        try await shot("02-list")

        // Run it from the page, through its confirmation.
        try await browser.click("\(row) a[href$='/confirm/run']")
        try await arrive(browser, at: base + "/migrations/" + Self.backfill + "/confirm/run")
        try await shot("03-confirm-run")
        try await browser.click("#confirm")
        try await arrive(browser, at: base + "/migrations/" + Self.backfill)
        #expect(try await browser.text("#notice")?.contains("Run of '\(Self.backfill)'") == true)
        try await browser.open(base)

        // The list updates itself: the percentage grows between two reads, without a reload.
        var first = 0.0
        try await waitUntil("the backfill shows progress", limit: .seconds(30), interval: .milliseconds(200)) {
            first = try await percent(browser, row) ?? 0
            return first > 0
        }
        var second = first
        try await waitUntil("the percentage grows", limit: .seconds(30), interval: .milliseconds(200)) {
            second = try await percent(browser, row) ?? 0
            return second > first
        }
        #expect(second > first, "from \(first)% to \(second)%")
        #expect(
            try await browser.text("\(row) .holder")?.contains("(api-token)") == true, "the signed-in identity runs it")
        try await shot("04-progress")

        // Pause it from the page; the page and the operator tool both see it paused.
        try await browser.click("\(row) a[href$='/confirm/pause']")
        try await arrive(browser, at: base + "/migrations/" + Self.backfill + "/confirm/pause")
        try await browser.click("#confirm")
        try await arrive(browser, at: base + "/migrations/" + Self.backfill)
        try await waitUntil("the page shows it paused", limit: .seconds(30), interval: .milliseconds(200)) {
            try await browser.text("[data-field=state]")?.contains("Paused") == true
        }
        try await shot("05-paused")
        let status = try await ChildProcess.run(
            "migrations", ["status", "--json", "--redis-url", redis.url], directory: work, timeout: .seconds(30))
        let stored = try MigrationJSON.decoder().decode(
            [MigrationStatusRow].self, from: Data(status.standardOutput.utf8))
        let paused = try #require(stored.first { $0.name == Self.backfill })
        #expect(paused.state == .paused, "migrations status says \(paused.state)")
        #expect(paused.control?.by == "api-token")
        #expect((paused.checkpoint?.completed ?? 0) > 0, "it paused at a checkpoint")

        // Resume: it continues from the checkpoint on this replica and completes.
        try await browser.click("a[href$='/confirm/resume']")
        try await arrive(browser, at: base + "/migrations/" + Self.backfill + "/confirm/resume")
        try await browser.click("#confirm")
        try await arrive(browser, at: base + "/migrations/" + Self.backfill)
        try await waitUntil("the page shows it completed", limit: .seconds(90), interval: .milliseconds(250)) {
            try await browser.text("[data-field=state]")?.contains("Completed") == true
        }
        try await shot("06-completed")
        let done = try await ChildProcess.run(
            "migrations", ["status", "--json", "--redis-url", redis.url], directory: work, timeout: .seconds(30))
        let final = try MigrationJSON.decoder().decode([MigrationStatusRow].self, from: Data(done.standardOutput.utf8))
        #expect(final.first { $0.name == Self.backfill }?.state == .completed)

        try await browser.open(base)
        try await shot("07-list-completed")
        // At phone width each migration is a card, and every one is still there.
        try await browser.resize(width: 390, height: 1600)
        #expect(try await browser.elements("tr[data-position]").count == ExampleServiceTests.migrations.count)
        try await shot("08-phone-width")
    }

    /// Waits until the browser shows `url`: a click on a link or a form's button returns before the
    /// page it leads to has loaded.
    private func arrive(_ browser: WebDriver, at url: String) async throws {
        try await waitUntil("the browser shows \(url)", limit: .seconds(20), interval: .milliseconds(100)) {
            guard try await browser.currentURL == url else { return false }
            return try await browser.element("body") != nil
        }
    }

    /// The percentage the row shows, `nil` when it shows none.
    private func percent(_ browser: WebDriver, _ row: String) async throws -> Double? {
        guard let text = try await browser.text("\(row) [data-field=percent]"), text.hasSuffix("%") else { return nil }
        return Double(text.dropLast())
    }

    private static func status(_ port: Int, _ path: String) async -> Int? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.timeoutInterval = 2
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return nil }
        return (response as? HTTPURLResponse)?.statusCode
    }
}
