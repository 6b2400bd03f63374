import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import HummingbirdTesting
import Logging
import Migrations
import MigrationsTestSupport
import NIOCore
import Testing

@testable import MigrationsHTTP

/// An error whose message is hostile HTML and terminal control.
private struct HostileError: Error, CustomStringConvertible {
    var description: String { "</td><script>alert('boom')</script>\u{1B}[2J\u{202E}exe.txt" }
}

/// A migration name with markup, quotes and a right-to-left override, all allowed in names.
private let hostileName = "<img src=x onerror=alert(1)> \"quoted\" 'single' \u{202E}gnp.exe"

private typealias DashboardContext = BasicSessionRequestContext<
    MigrationsDashboardSession<MigrationsCaller>, MigrationsCaller
>

/// The dashboard at `/dashboard` beside the JSON endpoints, on the test harness's runner.
private func withDashboard(
    _ harness: HTTPHarness,
    configuration: MigrationsDashboard<Counter, DashboardContext>.Configuration = .init(),
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let router = Router(context: DashboardContext.self)
    let counter = harness.counter
    let tokens = [HTTPHarness.token: MigrationsCaller(name: "alice")]
    let controller = MigrationsController<Counter, DashboardContext>(
        runner: harness.runner, context: { counter }, runs: harness.runs)
    controller.addRoutes(
        to: router.group("migrations"), authenticator: BearerTokenAuthenticator<DashboardContext>(tokens: tokens))
    MigrationsDashboard(controller: controller, tokens: tokens, configuration: configuration)
        .addRoutes(to: router, atPath: "/dashboard", sessions: MemoryPersistDriver())
    var logger = Logger(label: "dashboard-tests")
    logger.logLevel = .critical
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
    try await app.test(.router, body)
}

/// A signed-in browser: its session cookie and the CSRF token its pages carry.
private struct Browser {
    var cookie: String
    var csrf: String

    var headers: HTTPFields { [.cookie: cookie] }
    var formHeaders: HTTPFields { [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"] }

    static func signIn(_ client: some TestClientProtocol, token: String = HTTPHarness.token) async throws -> Browser {
        let setCookie = try await client.execute(
            uri: "/dashboard/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "token=\(token)")
        ) { response in
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/dashboard")
            return try #require(response.headers[.setCookie])
        }
        let cookie = String(try #require(setCookie.split(separator: ";").first))
        let page = try await client.execute(uri: "/dashboard", method: .get, headers: [.cookie: cookie]) {
            String(buffer: $0.body)
        }
        let marker = #"name="csrf" value=""#
        let start = try #require(page.range(of: marker)).upperBound
        let csrf = String(page[start...].prefix { $0 != "\"" })
        #expect(csrf.count == 64)
        return Browser(cookie: cookie, csrf: csrf)
    }
}

@Suite("Dashboard: rendering, sign-in, CSRF and headers", .timeLimit(.minutes(2)))
struct DashboardTests {
    @Test("a page without a session redirects to the sign-in form; the events stream answers 401")
    func unauthenticated() async throws {
        try await withDashboard(try HTTPHarness()) { client in
            for path in [
                "/dashboard", "/dashboard/migrations/import-users", "/dashboard/migrations/import-users/confirm/run",
            ] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .seeOther, "\(path)")
                    #expect(response.headers[.location] == "/dashboard/login", "\(path)")
                }
            }
            try await client.execute(uri: "/dashboard/events", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(
                uri: "/dashboard/migrations/import-users/run", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "csrf=x")
            ) { #expect($0.status == .seeOther) }
            try await client.execute(uri: "/dashboard/login", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains(#"<form method="post" action="/dashboard/login">"#))
                #expect(html.contains(#"name="token""#))
            }
        }
    }

    @Test("a wrong token is refused without a session; the right one gets an HttpOnly SameSite=Strict cookie")
    func signIn() async throws {
        try await withDashboard(try HTTPHarness()) { client in
            try await client.execute(
                uri: "/dashboard/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=wrong")
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.setCookie] == nil)
                #expect(String(buffer: response.body).contains("That token is not accepted."))
                #expect(!String(buffer: response.body).contains("wrong"))
            }
            try await client.execute(
                uri: "/dashboard/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=\(HTTPHarness.token)")
            ) { response in
                #expect(response.status == .seeOther)
                let cookie = try #require(response.headers[.setCookie])
                #expect(cookie.hasPrefix("migrations_dashboard="))
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Strict"))
                #expect(cookie.contains("Path=/dashboard"))
                #expect(!cookie.contains("Secure"))
                #expect(!cookie.contains(HTTPHarness.token))
            }
            let browser = try await Browser.signIn(client)
            try await client.execute(uri: "/dashboard", method: .get, headers: browser.headers) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("Signed in as alice"))
            }
            try await client.execute(
                uri: "/dashboard/logout", method: .post, headers: browser.formHeaders,
                body: ByteBuffer(string: "csrf=\(browser.csrf)")
            ) { #expect($0.headers[.location] == "/dashboard/login") }
            try await client.execute(uri: "/dashboard", method: .get, headers: browser.headers) { response in
                #expect(response.status == .seeOther, "the session ended at sign-out")
            }
        }
    }

    @Test("served over TLS, the session cookie is Secure")
    func secureCookie() async throws {
        try await withDashboard(try HTTPHarness(), configuration: .init(servedOverTLS: true)) { client in
            try await client.execute(
                uri: "/dashboard/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=\(HTTPHarness.token)")
            ) { response in
                let cookie = try #require(response.headers[.setCookie])
                #expect(cookie.contains("; Secure"))
            }
        }
    }

    @Test("every response carries the Content-Security-Policy, nosniff and Referrer-Policy")
    func securityHeaders() async throws {
        try await withDashboard(try HTTPHarness()) { client in
            let browser = try await Browser.signIn(client)
            for path in [
                "/dashboard", "/dashboard/login", "/dashboard/migrations/import-users",
                "/dashboard/assets/dashboard.js",
                "/dashboard/assets/dashboard.css", "/dashboard/migrations/nope",
            ] {
                try await client.execute(uri: path, method: .get, headers: browser.headers) { response in
                    let policy = try #require(response.headers[.contentSecurityPolicy], "\(path)")
                    #expect(policy.contains("script-src 'self'"))
                    #expect(policy.contains("default-src 'none'"))
                    #expect(policy.contains("frame-ancestors 'none'"))
                    #expect(!policy.contains("unsafe-inline"))
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                }
            }
            try await client.execute(uri: "/dashboard", method: .get, headers: browser.headers) { response in
                let html = String(buffer: response.body)
                #expect(!html.contains("<script>"), "no inline script")
                #expect(!html.contains(" style="), "no inline style")
                #expect(html.contains(#"<script src="/dashboard/assets/dashboard.js" defer></script>"#))
                #expect(html.contains(#"<noscript><meta http-equiv="refresh" content="5"></noscript>"#))
            }
        }
    }

    @Test("a form without the session's CSRF token, or from another origin, is refused and changes nothing")
    func csrfRefusal() async throws {
        let harness = try HTTPHarness()
        try await withDashboard(harness) { client in
            let browser = try await Browser.signIn(client)
            for body in ["", "csrf=", "csrf=\(String(repeating: "0", count: 64))"] {
                try await client.execute(
                    uri: "/dashboard/migrations/import-users/pause", method: .post, headers: browser.formHeaders,
                    body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .forbidden, "body '\(body)'")
                    #expect(String(buffer: response.body).contains("reload the page"))
                }
            }
            var foreign = browser.formHeaders
            foreign[.origin] = "http://evil.example"
            try await client.execute(
                uri: "/dashboard/migrations/import-users/pause", method: .post, headers: foreign,
                body: ByteBuffer(string: "csrf=\(browser.csrf)")
            ) { #expect($0.status == .forbidden) }
            #expect(try await harness.store.control(of: "import-users") == nil, "nothing was paused")

            try await client.execute(
                uri: "/dashboard/migrations/import-users/pause", method: .post, headers: browser.formHeaders,
                body: ByteBuffer(string: "csrf=\(browser.csrf)")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/dashboard/migrations/import-users")
            }
            let control = try #require(try await harness.store.control(of: "import-users"))
            #expect(control.action == .pause)
            #expect(control.by == "alice")
            try await client.execute(uri: "/dashboard/migrations/import-users", method: .get, headers: browser.headers)
            {
                let html = String(buffer: $0.body)
                #expect(html.contains(#"class="notice""#))
                #expect(html.contains("Paused"))
            }
        }
    }

    @Test("a dry run from the page runs it with dryRun, records nothing, and shows its outcome")
    func dryRunAction() async throws {
        let harness = try HTTPHarness()
        // Waits for the run as long as a loaded machine may need, so the page shows the result.
        try await withDashboard(harness, configuration: .init(actionWait: .seconds(60))) { client in
            let browser = try await Browser.signIn(client)
            try await client.execute(
                uri: "/dashboard/migrations/import-users/confirm/dry-run", method: .get, headers: browser.headers
            ) { response in
                let html = String(buffer: response.body)
                #expect(html.contains(#"action="/dashboard/migrations/import-users/dry-run""#))
                #expect(html.contains(#"value="\#(browser.csrf)""#))
            }
            try await client.execute(
                uri: "/dashboard/migrations/import-users/dry-run", method: .post, headers: browser.formHeaders,
                body: ByteBuffer(string: "csrf=\(browser.csrf)")
            ) { #expect($0.status == .seeOther) }
            try await client.execute(uri: "/dashboard/migrations/import-users", method: .get, headers: browser.headers)
            {
                #expect(String(buffer: $0.body).contains("Dry run of &#39;import-users&#39;: dry-run in"))
            }
            #expect(try await harness.store.state(of: "import-users").isCompleted == false)
        }
    }

    @Test("reset asks for the name typed out, and refuses a mismatch")
    func resetNeedsTheName() async throws {
        let harness = try HTTPHarness()
        _ = try await harness.runner.run("import-users", context: harness.counter)
        try await withDashboard(harness) { client in
            let browser = try await Browser.signIn(client)
            try await client.execute(
                uri: "/dashboard/migrations/import-users/confirm/reset", method: .get, headers: browser.headers
            ) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("Destructive."))
                #expect(html.contains(#"name="confirmation""#))
            }
            try await client.execute(
                uri: "/dashboard/migrations/import-users/reset", method: .post, headers: browser.formHeaders,
                body: ByteBuffer(string: "csrf=\(browser.csrf)&confirmation=import-user")
            ) { #expect($0.status == .seeOther) }
            #expect(try await harness.store.state(of: "import-users").isCompleted, "a mismatch resets nothing")
            try await client.execute(
                uri: "/dashboard/migrations/import-users/reset", method: .post, headers: browser.formHeaders,
                body: ByteBuffer(string: "csrf=\(browser.csrf)&confirmation=import-users")
            ) { #expect($0.status == .seeOther) }
            #expect(try await harness.store.state(of: "import-users").isCompleted == false)
        }
    }

    @Test("hostile names, errors and authors are escaped: no markup, control or bidi character reaches the page")
    func hostileValuesAreEscaped() async throws {
        let hostile = ClosureMigration<Counter>(
            name: hostileName, description: "<b>bold</b> & \u{1B}[31mred", up: { _ in throw HostileError() })
        let harness = try HTTPHarness(extra: [hostile])
        var options = MigrationRunOptions()
        options.triggeredBy = "\"><script>alert(2)</script>\u{202E}"
        _ = try? await harness.runner.run(hostileName, context: harness.counter, options: options)
        try await withDashboard(harness) { client in
            let browser = try await Browser.signIn(client)
            let encoded = hostileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            for path in [
                "/dashboard", "/dashboard/migrations/\(encoded)", "/dashboard/migrations/\(encoded)/confirm/reset",
            ] {
                try await client.execute(uri: path, method: .get, headers: browser.headers) { response in
                    #expect(response.status == .ok, "\(path)")
                    let html = String(buffer: response.body)
                    #expect(!html.contains("<img"), "\(path)")
                    #expect(!html.contains("<script>"), "\(path)")
                    #expect(!html.contains("<b>"), "\(path)")
                    #expect(!html.unicodeScalars.contains("\u{1B}"), "\(path): a raw ESC")
                    #expect(!html.unicodeScalars.contains("\u{202E}"), "\(path): a raw bidi override")
                    #expect(html.contains("&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &#39;single&#39;"))
                    #expect(html.contains(#"\u{202E}gnp.exe"#), "\(path): the override shown as an escape")
                }
            }
            try await client.execute(uri: "/dashboard", method: .get, headers: browser.headers) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("&lt;/td&gt;&lt;script&gt;alert(&#39;boom&#39;)&lt;/script&gt;\\u{1B}[2J"))
                #expect(html.contains("&lt;b&gt;bold&lt;/b&gt; &amp; \\u{1B}[31mred"))
                #expect(html.contains("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;\\u{202E}"))
                // The link to its page encodes the name as one path segment.
                #expect(html.contains("/dashboard/migrations/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E"))
            }
        }
    }

    @Test("no template renders a value unescaped")
    func templatesEscapeEverything() {
        let html = DashboardTemplates.all.values.joined()
        #expect(!html.contains("{{{"))
        #expect(!html.contains("{{&"))
        #expect(html.contains("{{name}}"))
    }
}
