import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Migrations
import MigrationsHTTP
import NIOCore
import Testing

/// An underlying cause as a backend would report it.
private struct RefusedConnection: Error, CustomStringConvertible {
    var description: String { "connection refused by 127.0.0.1:6379" }
}

/// `{"name":"…"}` with a name of `length` bytes.
private func runRequest(nameLength length: Int) -> ByteBuffer {
    json(#"{"name":""# + String(repeating: "x", count: length) + #""}"#)
}

@Suite("HTTP error bodies", .timeLimit(.minutes(5)))
struct ErrorBodyTests {
    @Test("a body over the upload limit answers 413 with a JSON error body, and the connection goes on")
    func oversizedBodyAnswers413WithJSON() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            for uri in ["/migrations/run", "/migrations/run-pending"] {
                try await client.execute(
                    uri: uri, method: .post, headers: authorized, body: runRequest(nameLength: 5_000_000)
                ) { response in
                    #expect(response.status == .contentTooLarge)
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                    let body = try decode(MigrationsAPIError.Body.self, response)
                    #expect(body.error.code == "content-too-large")
                    #expect(body.error.message.contains("limit"))
                }
            }
            try await client.execute(uri: "/migrations", method: .get, headers: authorized) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(harness.counter.count("import-users") == 0)
    }

    @Test("an unknown path under /migrations answers 404 with a JSON error body, after authentication")
    func unknownPathAnswers404WithJSON() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            try await client.execute(uri: "/migrations/nope/extra", method: .get, headers: authorized) { response in
                #expect(response.status == .notFound)
                let body = try decode(MigrationsAPIError.Body.self, response)
                #expect(body.error.code == "not-found")
                #expect(body.error.message.contains("GET '/migrations/nope/extra'"))
            }
            // `GET /migrations/<name>` is a migration's details: an unknown name is an unknown migration.
            try await client.execute(uri: "/migrations/nope", method: .get, headers: authorized) { response in
                #expect(response.status == .notFound)
                let decoded = try decode(MigrationsAPIError.Body.self, response)

                #expect(decoded.error.code == "unknown-migration")
            }
            try await client.execute(
                uri: "/migrations/run/extra", method: .post, headers: authorized,
                body: json(#"{"name":"import-users"}"#)
            ) { response in
                #expect(response.status == .notFound)
                let body = try decode(MigrationsAPIError.Body.self, response)
                #expect(body.error.code == "not-found")
                #expect(body.error.message.contains("POST '/migrations/run/extra'"))
            }
            try await client.execute(uri: "/migrations/nope", method: .get) { response in
                #expect(response.status == .unauthorized)
                let body = try decode(MigrationsAPIError.Body.self, response)
                #expect(body.error.code == "unauthorized")
            }
        }
        #expect(harness.counter.count("import-users") == 0)
    }

    @Test("a known path asked with the wrong method answers 405 with Allow and a JSON error body")
    func wrongMethodAnswers405WithJSON() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            try await client.execute(uri: "/migrations/run", method: .get, headers: authorized) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
                let body = try decode(MigrationsAPIError.Body.self, response)
                #expect(body.error.code == "method-not-allowed")
                #expect(body.error.message.contains("GET"))
            }
            try await client.execute(uri: "/migrations", method: .delete, headers: authorized) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
                let body = try decode(MigrationsAPIError.Body.self, response)
                #expect(body.error.code == "method-not-allowed")
            }
        }
    }

    @Test("a 2 MB unknown name answers 404 with a body under 1 KB that says it was truncated")
    func hugeUnknownNameIsTruncated() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            for uri in ["/migrations/run", "/migrations/rollback"] {
                try await client.execute(
                    uri: uri, method: .post, headers: authorized, body: runRequest(nameLength: 2_000_000)
                ) { response in
                    #expect(response.status == .notFound)
                    #expect(response.body.readableBytes < 1024)
                    let body = try decode(MigrationsAPIError.Body.self, response)
                    #expect(body.error.code == "unknown-migration")
                    #expect(body.error.message.contains("…(truncated)"))
                    #expect(body.error.message.contains("known: 'import-users'"))
                    #expect(body.error.migration?.hasSuffix("…(truncated)") == true)
                    #expect((body.error.migration?.utf8.count ?? .max) < 250)
                }
            }
        }
    }

    @Test("a failed or unreachable backend and a cancelled run answer 503 with the cause; other codes keep theirs")
    func backendFailuresAnswer503() {
        let refused = MigrationsAPIError(
            MigrationError(
                .lease, "could not take the lease of migration 'import-users'", migration: "import-users",
                cause: RefusedConnection()))
        #expect(refused.status == .serviceUnavailable)
        #expect(refused.body.error.code == "lease")
        #expect(refused.body.error.message.contains("connection refused"))

        let unavailable: [MigrationError.Code] = [.stateStore, .lease, .cancelled]
        for code in unavailable {
            #expect(MigrationsAPIError(MigrationError(code, "the backend failed")).status == .serviceUnavailable)
        }
        let kept: [(MigrationError.Code, HTTPResponse.Status)] = [
            (.unknownMigration, .notFound), (.heldElsewhere, .conflict), (.alreadyRunning, .conflict),
            (.notCompleted, .conflict), (.rollbackNotSupported, .conflict), (.leaseLost, .conflict),
            (.invalidName, .badRequest), (.invalidConfiguration, .badRequest),
        ]
        for (code, status) in kept {
            #expect(MigrationsAPIError(MigrationError(code, "refused")).status == status)
        }
    }
}
