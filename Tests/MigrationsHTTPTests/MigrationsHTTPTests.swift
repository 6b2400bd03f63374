import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import HummingbirdTesting
import Logging
import Migrations
import MigrationsHTTP
import NIOCore
import NIOFoundationEssentialsCompat
import Synchronization
import Testing

/// The application context of the HTTP tests: counts `up` calls.
final class Counter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func add(_ name: String) { counts.withLock { $0[name, default: 0] += 1 } }
    func count(_ name: String) -> Int { counts.withLock { $0[name] ?? 0 } }
}

/// A real Hummingbird server on a loopback port with the migrations routes mounted.
struct HTTPHarness {
    let counter = Counter()
    let backend = InMemoryMigrationBackend()
    var store: InMemoryStateStore { backend.stateStore }
    var leases: InProcessLeaseProvider { backend.leaseProvider }
    let runner: MigrationRunner<Counter>
    static let token = "test-token-123"

    let runs = MigrationHTTPRuns()

    /// - Parameter extra: Migrations registered after the three every test has.
    init(extra: [any Migration<Counter>] = []) throws {
        let migrations: [any Migration<Counter>] =
            [
                ClosureMigration(name: "import-users", up: { $0.app.add("import-users") }, down: { _ in }),
                ClosureMigration(name: "no-down", up: { $0.app.add("no-down") }),
                ClosureMigration(name: "broken", up: { _ in throw CocoaError(.fileNoSuchFile) }),
            ] + extra
        var logger = Logger(label: "http-tests")
        logger.logLevel = .critical
        runner = MigrationRunner(
            registry: try MigrationRegistry(migrations), backend: backend, logger: logger)
    }

    func withServer(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        typealias Context = BasicAuthRequestContext<MigrationsCaller>
        let router = Router(context: Context.self)
        let counter = self.counter
        MigrationsController<Counter, Context>(runner: runner, context: { counter }, runs: runs)
            .addRoutes(
                to: router.group("migrations"),
                authenticator: BearerTokenAuthenticator<Context>(tokens: [Self.token: MigrationsCaller(name: "alice")]
                ))
        var logger = Logger(label: "http-server")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live, body)
    }
}

/// The headers of an authenticated JSON request.
let authorized: HTTPFields = [.authorization: "Bearer \(HTTPHarness.token)", .contentType: "application/json"]

/// A request body.
func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

/// Decodes a response body in the shared JSON conventions.
func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    try MigrationJSON.decoder().decode(type, from: Data(response.body.readableBytesView))
}

@Suite("HTTP endpoints", .timeLimit(.minutes(5)))
struct MigrationsHTTPTests {
    @Test("requests without a valid bearer token get 401 with a JSON error")
    func unauthenticatedRequestsAreRefused() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            try await client.execute(uri: "/migrations", method: .get) { response in
                #expect(response.status == .unauthorized)
                let body = try decode(MigrationsAPIError.Body.self, response)
                #expect(body.error.code == "unauthorized")
            }
            try await client.execute(
                uri: "/migrations/run?wait=true", method: .post, headers: [.authorization: "Bearer wrong"],
                body: json(#"{"name":"import-users"}"#)
            ) { response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(harness.counter.count("import-users") == 0)
    }

    @Test("GET /migrations lists every migration with its state")
    func statusListsEveryMigration() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            try await client.execute(uri: "/migrations", method: .get, headers: authorized) { response in
                #expect(response.status == .ok)
                let statuses = try decode([MigrationStatusRow].self, response)
                #expect(statuses.map(\.name) == ["import-users", "no-down", "broken"])
                #expect(statuses.allSatisfy { $0.state == .pending })
            }
        }
    }

    @Test("POST /migrations/run runs it once, records the identity as triggeredBy, then skips")
    func runRecordsTheIdentity() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            for expected in [MigrationResult.Status.completed, .skipped] {
                try await client.execute(
                    uri: "/migrations/run?wait=true", method: .post, headers: authorized,
                    body: json(#"{"name":"import-users"}"#)
                ) { response in
                    #expect(response.status == .ok)
                    let result = try decode(MigrationResult.self, response)
                    #expect(result.status == expected)
                    #expect(result.triggeredBy == "alice")
                }
            }
        }
        #expect(harness.counter.count("import-users") == 1)
    }

    @Test("a dry run through run-pending records nothing")
    func dryRunRecordsNothing() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            try await client.execute(
                uri: "/migrations/run-pending?wait=true", method: .post, headers: authorized,
                body: json(#"{"dryRun":true,"continueOnError":true}"#)
            ) { response in
                let results = try decode([MigrationResult].self, response)
                #expect(results.map(\.status) == [.dryRun, .dryRun, .failed])
                #expect(response.status == .internalServerError)
            }
        }
        #expect(try await harness.store.states(for: ["import-users", "no-down"]).values.allSatisfy { !$0.isCompleted })
    }

    @Test("a failed migration answers 500 with the failed result")
    func failedRunAnswers500() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            try await client.execute(
                uri: "/migrations/run?wait=true", method: .post, headers: authorized, body: json(#"{"name":"broken"}"#)
            ) { response in
                #expect(response.status == .internalServerError)
                let result = try decode(MigrationResult.self, response)
                #expect(result.status == .failed)
                #expect(result.error?.isEmpty == false)
            }
        }
    }

    @Test("an unknown name answers 404 naming the known ones; bad JSON answers 400 with a message")
    func unknownNameAndBadJSON() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            try await client.execute(
                uri: "/migrations/run?wait=true", method: .post, headers: authorized, body: json(#"{"name":"nope"}"#)
            ) { response in
                #expect(response.status == .notFound)
                let body = try decode(MigrationsAPIError.Body.self, response)
                #expect(body.error.code == "unknown-migration")
                #expect(body.error.message.contains("known: 'import-users'"))
            }
            try await client.execute(
                uri: "/migrations/run?wait=true", method: .post, headers: authorized, body: json(#"{"name": "#)
            ) { response in
                #expect(response.status == .badRequest)
                let body = try decode(MigrationsAPIError.Body.self, response)
                #expect(body.error.code == "bad-request")
                #expect(body.error.message.contains("not valid"))
            }
            try await client.execute(
                uri: "/migrations/rollback?wait=true", method: .post, headers: authorized,
                body: json(#"{"dryRun": true}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("name"))
            }
        }
    }

    @Test("a migration held elsewhere answers 409 with the holder")
    func heldElsewhereAnswers409WithTheHolder() async throws {
        let harness = try HTTPHarness()
        let holder = LeaseHolder(host: "replica-3", pid: 4242, triggeredBy: "startup")
        guard
            case .acquired(let lease, _) = try await harness.leases.acquire(
                LeaseRequest(name: "import-users", holder: holder, skipIfCompleted: false))
        else {
            Issue.record("could not take the lease")
            return
        }
        try await harness.withServer { client in
            try await client.execute(
                uri: "/migrations/run?wait=true", method: .post, headers: authorized,
                body: json(#"{"name":"import-users"}"#)
            ) { response in
                #expect(response.status == .conflict)
                let body = try decode(MigrationsAPIError.Body.self, response)
                #expect(body.error.code == "held-elsewhere")
                #expect(body.error.holder?.host == "replica-3")
                #expect(body.error.holder?.pid == 4242)
            }
        }
        try await lease.release()
        #expect(harness.counter.count("import-users") == 0)
    }

    @Test("rollback answers 200 rolled-back, and 409 for a migration without down")
    func rollbackAnswers() async throws {
        let harness = try HTTPHarness()
        try await harness.withServer { client in
            for name in ["import-users", "no-down"] {
                try await client.execute(
                    uri: "/migrations/run?wait=true", method: .post, headers: authorized,
                    body: json(#"{"name":"\#(name)"}"#))
            }
            try await client.execute(
                uri: "/migrations/rollback?wait=true", method: .post, headers: authorized,
                body: json(#"{"name":"import-users"}"#)
            ) { response in
                #expect(response.status == .ok)
                let result = try decode(MigrationResult.self, response)
                #expect(result.status == .rolledBack)
            }
            try await client.execute(
                uri: "/migrations/rollback?wait=true", method: .post, headers: authorized,
                body: json(#"{"name":"no-down"}"#)
            ) { response in
                #expect(response.status == .conflict)
                let body = try decode(MigrationsAPIError.Body.self, response)
                #expect(body.error.code == "rollback-not-supported")
            }
        }
        #expect(try await harness.store.isCompleted("import-users") == false)
        #expect(try await harness.store.isCompleted("no-down"))
    }
}
