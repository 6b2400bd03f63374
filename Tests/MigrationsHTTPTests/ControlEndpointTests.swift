import Foundation
import Hummingbird
import HummingbirdTesting
import Migrations
import MigrationsHTTP
import Testing

@Suite("HTTP control endpoints", .timeLimit(.minutes(2)))
struct ControlEndpointTests {
    @Test("pause, then run answers 409 paused; GET /migrations/<name> shows the request; resume; run completes")
    func pauseResumeOverHTTP() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            try await client.execute(
                uri: "/migrations/import-users/pause", method: .post, headers: authorized,
                body: json(#"{"reason":"replica lag"}"#)
            ) { response in
                #expect(response.status == .ok, "nothing runs it: the request applies to the next attempt")
                let answer = try decode(ControlMigrationAnswer.self, response)
                #expect(answer.outcome == "requested")
                #expect(answer.control?.by == "alice")
                #expect(answer.control?.reason == "replica lag")
            }
            try await client.execute(
                uri: "/migrations/run?wait=true", method: .post, headers: authorized,
                body: json(#"{"name":"import-users"}"#)
            ) { response in
                #expect(response.status == .conflict)
                let decoded = try decode(MigrationResult.self, response)

                #expect(decoded.status == .paused)
            }
            try await client.execute(uri: "/migrations/import-users", method: .get, headers: authorized) { response in
                #expect(response.status == .ok)
                let details = try decode(MigrationDetailsAnswer.self, response)
                #expect(details.status.state == .paused)
                #expect(details.status.control?.reason == "replica lag")
                #expect(details.history.map(\.status) == [.paused])
            }
            try await client.execute(uri: "/migrations/import-users/resume", method: .post, headers: authorized) {
                response in
                #expect(response.status == .ok)
                let decoded = try decode(ControlMigrationAnswer.self, response)

                #expect(decoded.outcome == "resumed")
            }
            try await client.execute(uri: "/migrations/import-users/resume", method: .post, headers: authorized) {
                response in
                #expect(response.status == .conflict, "not paused any more")
                let decoded = try decode(MigrationsAPIError.Body.self, response)

                #expect(decoded.error.code == "control-refused")
            }
            try await client.execute(
                uri: "/migrations/run?wait=true", method: .post, headers: authorized,
                body: json(#"{"name":"import-users"}"#)
            ) { response in
                #expect(response.status == .ok)
                let decoded = try decode(MigrationResult.self, response)

                #expect(decoded.status == .completed)
            }
        }
        #expect(harness.counter.count("import-users") == 1)
    }

    @Test("cancel of a migration not running records it cancelled by the caller; unknown names 404; no token 401")
    func cancelAndRefusals() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            try await client.execute(uri: "/migrations/broken/cancel", method: .post, headers: authorized) { response in
                #expect(response.status == .ok)
                let answer = try decode(ControlMigrationAnswer.self, response)
                #expect(answer.outcome == "recorded")
                #expect(answer.result?.failure == .cancelled)
            }
            #expect(try await harness.store.state(of: "broken").lastFailure?.control?.by == "alice")
            try await client.execute(uri: "/migrations/nope/pause", method: .post, headers: authorized) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/migrations/import-users/pause", method: .post) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/migrations/import-users/pause", method: .get, headers: authorized) {
                response in
                #expect(response.status == .methodNotAllowed)
            }
        }
        #expect(try await harness.store.control(of: "import-users") == nil)
    }
}
