import Foundation
import MigrationsTestSupport
import Testing

/// A headless Chromium driven over the W3C WebDriver protocol by Debian's `chromedriver`: no Selenium, no
/// browser download. Every call has a timeout, so a stuck browser fails the test instead of hanging it.
struct WebDriver {
    /// Debian's `chromium` and `chromedriver`, when both are installed.
    static var tools: (browser: String, driver: String)? {
        let browser = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let browser, let driver else { return nil }
        return (browser, driver)
    }

    /// Why the browser tests do not run here, said loudly, or `nil` when they do.
    static var unavailableReason: String? {
        tools == nil
            ? "SKIPPED, NOT PASSED: no headless browser here (Debian's chromium and chromium-driver); "
                + "scripts/install-dependencies.sh installs them"
            : nil
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let driver: ChildProcess
    let endpoint: String
    let session: String
    let profile: String

    /// Starts `chromedriver` on a free port and a headless Chromium session in a 1280 × 1000 window.
    static func start() async throws -> WebDriver {
        guard let tools else { throw Failure(description: unavailableReason ?? "no browser") }
        let port = try loopbackFreePort()
        let driver = try await ChildProcess.launch(tools.driver, ["--port=\(port)", "--allowed-ips=127.0.0.1"])
        let endpoint = "http://127.0.0.1:\(port)"
        do {
            var problem = "no answer"
            do {
                try await waitUntil("chromedriver answers /status", limit: .seconds(30), interval: .milliseconds(100)) {
                    do {
                        let status = try await call(endpoint, "GET", "/status", nil, timeout: 2)
                        problem = "\(status)"
                        return ((status["value"] as? [String: Any])?["ready"] as? Bool) == true
                    } catch {
                        problem = "\(error)"
                        return false
                    }
                }
            } catch {
                throw Failure(
                    description:
                        "chromedriver did not get ready: \(problem)\n\(driver.standardOutput)\(driver.standardError)")
            }
            let profile = FileManager.default.temporaryDirectory.appending(path: "chromium-\(UUID().uuidString)").path
            let capabilities: [String: Any] = [
                "capabilities": [
                    "alwaysMatch": [
                        "browserName": "chrome",
                        "goog:chromeOptions": [
                            "binary": tools.browser,
                            "args": [
                                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--window-size=1280,1000", "--user-data-dir=\(profile)", "--no-first-run",
                                "--disable-extensions", "--force-color-profile=srgb",
                            ],
                        ],
                    ]
                ]
            ]
            let answer = try await call(endpoint, "POST", "/session", capabilities, timeout: 60)
            guard let value = answer["value"] as? [String: Any], let session = value["sessionId"] as? String else {
                throw Failure(description: "chromedriver started no session: \(answer)")
            }
            return WebDriver(driver: driver, endpoint: endpoint, session: session, profile: profile)
        } catch {
            driver.signal(SIGKILL)
            _ = try? await driver.wait()
            throw error
        }
    }

    /// Ends the session, stops chromedriver and removes the browser's profile.
    func quit() async {
        _ = try? await Self.call(endpoint, "DELETE", "/session/\(session)", nil)
        driver.signal(SIGTERM)
        _ = try? await driver.wait()
        try? FileManager.default.removeItem(atPath: profile)
    }

    // MARK: - Commands

    func open(_ url: String) async throws {
        _ = try await command("POST", "/url", ["url": url])
    }

    var currentURL: String {
        get async throws { try await command("GET", "/url") as? String ?? "" }
    }

    /// The first element matching a CSS selector, or `nil`.
    func element(_ selector: String) async throws -> String? {
        try await elements(selector).first
    }

    /// Every element matching a CSS selector.
    func elements(_ selector: String) async throws -> [String] {
        let found = try await command("POST", "/elements", ["using": "css selector", "value": selector])
        return (found as? [[String: Any]] ?? []).compactMap { $0.values.first as? String }
    }

    /// The rendered text of the first element matching `selector`, or `nil`.
    ///
    /// The dashboard swaps its live part in while it updates, so an element found a moment ago may be
    /// gone: the lookup is made again, a few times, when the browser says so.
    func text(_ selector: String) async throws -> String? {
        try await retryingStale {
            guard let element = try await element(selector) else { return nil }
            return try await command("GET", "/element/\(element)/text") as? String
        }
    }

    func click(_ selector: String) async throws {
        try await retryingStale {
            guard let element = try await element(selector) else {
                throw Failure(description: "nothing on \(try await currentURL) matches \(selector)")
            }
            _ = try await command("POST", "/element/\(element)/click", [:])
        }
    }

    private func retryingStale<Value>(_ body: () async throws -> Value) async throws -> Value {
        for _ in 0..<4 {
            do {
                return try await body()
            } catch let failure as Failure where failure.description.contains("stale element reference") {
                continue
            }
        }
        return try await body()
    }

    func type(_ text: String, into selector: String) async throws {
        guard let element = try await element(selector) else {
            throw Failure(description: "nothing on \(try await currentURL) matches \(selector)")
        }
        _ = try await command("POST", "/element/\(element)/value", ["text": text])
    }

    /// Resizes the window, as a phone's screen or a desktop's.
    func resize(width: Int, height: Int) async throws {
        _ = try await command("POST", "/window/rect", ["width": width, "height": height])
    }

    /// A PNG of the window, written to `path`.
    func screenshot(to path: String) async throws {
        guard let encoded = try await command("GET", "/screenshot") as? String,
            let png = Data(base64Encoded: encoded)
        else { throw Failure(description: "chromedriver returned no screenshot") }
        try png.write(to: URL(fileURLWithPath: path))
    }

    private func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        let answer = try await Self.call(endpoint, method, "/session/\(session)" + path, body)
        if let value = answer["value"] as? [String: Any], let error = value["error"] as? String {
            throw Failure(description: "\(method) \(path): \(error): \(value["message"] ?? "")")
        }
        return answer["value"]
    }

    /// One WebDriver call, made with `curl`: chromedriver writes its headers without a space after the colon
    /// (`Content-Length:252`), which Foundation's URLSession on Linux refuses ("Failed writing header").
    private static func call(
        _ endpoint: String, _ method: String, _ path: String, _ body: [String: Any]?, timeout: Int = 30
    ) async throws -> [String: Any] {
        var arguments = ["-sS", "--max-time", "\(timeout)", "-X", method, endpoint + path]
        if let body {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            arguments += ["-H", "Content-Type: application/json", "--data-binary", json]
        }
        let outcome = try await ChildProcess.run("/usr/bin/curl", arguments, timeout: .seconds(timeout + 5))
        guard outcome.status == 0 else {
            throw Failure(description: "\(method) \(path): curl exited \(outcome.status): \(outcome.standardError)")
        }
        let data = Data(outcome.standardOutput.utf8)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "\(method) \(path): not a JSON object: \(outcome.standardOutput.prefix(500))")
        }
        return object
    }
}
