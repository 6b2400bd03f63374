import Foundation
public import Hummingbird
public import HummingbirdAuth
import Logging
public import Migrations

/// The migrations HTTP endpoints, as a router group any Hummingbird 2 application mounts.
///
/// ```swift
/// let router = Router(context: BasicAuthRequestContext<MigrationsCaller>.self)
/// MigrationsController(runner: runner, context: { services })
///     .addRoutes(to: router.group("migrations"), authenticator: BearerTokenAuthenticator(tokens: [token: ops]))
/// ```
///
/// | method and path | body | answer |
/// |---|---|---|
/// | `GET /migrations` | | `[MigrationStatusRow]`, as `migrate status --json` prints |
/// | `POST /migrations/run` | `{"name": "…", "dryRun": false}` | 202 ``MigrationRunTicket`` with `Location`; waiting, `MigrationResult` |
/// | `POST /migrations/run-pending` | `{"dryRun": false}` | 202 ``MigrationRunTicket``; waiting, `[MigrationResult]` |
/// | `POST /migrations/rollback` | `{"name": "…"}` | 202 ``MigrationRunTicket``; waiting, `MigrationResult` |
/// | `GET /migrations/runs/<id>` | | ``MigrationRunTicket`` |
/// | `GET /migrations/events` | | Server-Sent Events: `status` (a `MigrationStatusRow`) whenever a row changes |
/// | `GET /migrations/<name>` | | ``MigrationDetailsAnswer``: the status row and the last 50 attempts |
/// | `POST /migrations/<name>/pause` | `{"reason": "…"}` or empty | ``ControlMigrationAnswer``; 202 while a holder stops |
/// | `POST /migrations/<name>/resume` | empty | ``ControlMigrationAnswer``; 409 when it is not paused |
/// | `POST /migrations/<name>/cancel` | `{"reason": "…"}` or empty | ``ControlMigrationAnswer``; 202 while a holder stops |
///
/// Runs execute in ``runs``, not in the request: they answer `202 Accepted` at once unless the request
/// asks to wait (``RunWaitPreference``: `?wait=true`, `Prefer: wait=N`), and a client that hangs up does
/// not cancel them. Add ``runs`` to the application's `ServiceGroup` so a graceful shutdown stops them at
/// their checkpoints.
///
/// Every route requires an identity from the authenticator (401 otherwise); its
/// ``MigrationsIdentity/migrationsActor`` is recorded as `triggeredBy` (and as who paused or cancelled). A
/// run whose migration failed answers 500 with the failed result; one an operator paused or cancelled
/// 409 with the result; an unknown name 404; a migration running here or holding a lease
/// elsewhere 409 with the holder (the endpoints never wait for another replica); malformed JSON 400; a
/// state store or lease backend that failed or cannot be reached, or a run cancelled before it started, 503.
///
/// Every error answer under the group has a ``MigrationsAPIError/Body``, those Hummingbird produces included:
///
/// | request | answer |
/// |---|---|
/// | a body over the context's `maxUploadSize` (2 MiB by default) | 413 `content-too-large` |
/// | a path under the group that no endpoint serves | 404 `not-found` |
/// | a known path with another method (`GET /migrations/run`) | 405 `method-not-allowed`, with `Allow` |
/// | an error that is neither a ``MigrationError`` nor an HTTP error | 500 `internal-server-error` |
///
/// 404 and 405 come after authentication (401 first), and cover `GET`, `POST`, `PUT`, `PATCH` and `DELETE`.
/// Text the caller sent (a migration name, a path) is repeated at most 200 bytes long, then `…(truncated)`.
public struct MigrationsController<App: Sendable, Context: AuthRequestContext>: Sendable
where Context.Identity: MigrationsIdentity {
    let runner: MigrationRunner<App>
    let makeAppContext: @Sendable () async throws -> App
    /// The runs started over HTTP, each in a task of its own; add it to the application's `ServiceGroup`
    /// so a graceful shutdown stops them at their checkpoints.
    public let runs: MigrationHTTPRuns

    /// Creates the endpoints.
    ///
    /// - Parameters:
    ///   - runner: The runner the endpoints drive.
    ///   - context: Produces the application context handed to migrations, once per request.
    ///   - runs: Where runs started over HTTP execute; a new one by default.
    public init(
        runner: MigrationRunner<App>,
        context: @escaping @Sendable () async throws -> App,
        runs: MigrationHTTPRuns = MigrationHTTPRuns()
    ) {
        self.runner = runner
        self.makeAppContext = context
        self.runs = runs
    }

    /// Adds the JSON error bodies, the authenticator, the authentication requirement, the routes and the
    /// 404 and 405 answers for stray requests to `group`.
    ///
    /// Give the endpoints a group of their own: the fallback routes answer every other path under it.
    ///
    /// - Parameters:
    ///   - group: The group the endpoints live in, such as `router.group("migrations")`.
    ///   - authenticator: Finds the caller's identity; a request without one answers 401.
    public func addRoutes<Authenticator: AuthenticatorMiddleware>(
        to group: RouterGroup<Context>,
        authenticator: Authenticator
    ) where Authenticator.Context == Context {
        group
            .add(middleware: MigrationsErrorBodyMiddleware<Context>())
            .add(middleware: authenticator)
            .add(middleware: RequireIdentityMiddleware<Context>())
        let endpoints = self.endpoints
        for endpoint in endpoints {
            group.on(endpoint.path, method: endpoint.method, use: endpoint.handler)
        }
        MigrationsFallbackRoutes.add(to: group, beside: endpoints.map { (path: $0.path, method: $0.method) })
    }

    private typealias EndpointHandler = @Sendable (Request, Context) async throws -> Response

    /// Every endpoint: its path under the group, its method and its handler.
    private var endpoints: [(path: RouterPath, method: HTTPRequest.Method, handler: EndpointHandler)] {
        [
            (path: "", method: .get, handler: status),
            (path: "run", method: .post, handler: run),
            (path: "run-pending", method: .post, handler: runPending),
            (path: "rollback", method: .post, handler: rollback),
            (path: "runs/:id", method: .get, handler: runTicket),
            (path: "events", method: .get, handler: events),
            (path: ":name", method: .get, handler: details),
            (path: ":name/pause", method: .post, handler: pause),
            (path: ":name/resume", method: .post, handler: resume),
            (path: ":name/cancel", method: .post, handler: cancel),
        ]
    }

    // MARK: - Handlers

    @Sendable func status(_ request: Request, context: Context) async throws -> Response {
        try await answering(context) {
            try JSONResponse.make(
                try await runner.status(context: try await makeAppContext()).map(MigrationStatusRow.init))
        }
    }

    @Sendable func run(_ request: Request, context: Context) async throws -> Response {
        let body = try await Self.decode(RunMigrationRequest.self, request, context)
        return try await startRun(of: body.name, kind: "run", dryRun: body.dryRun, request, context) {
            try await $0.run(body.name, context: $1, options: $2)
        }
    }

    @Sendable func runPending(_ request: Request, context: Context) async throws -> Response {
        let body = try await Self.decodeOptional(RunPendingRequest.self, request, context) ?? RunPendingRequest()
        let wait = try RunWaitPreference(request)
        return try await answering(context) {
            var pendingOptions = options(context, dryRun: body.dryRun)
            pendingOptions.continueOnError = body.continueOnError ?? false
            let options = pendingOptions
            let app = try await makeAppContext()
            let runner = self.runner
            return try await startRun(
                request, kind: "run-pending", name: nil, options: options, wait: wait, answersOneResult: false
            ) {
                try await runner.runPending(context: app, options: options)
            }
        }
    }

    @Sendable func rollback(_ request: Request, context: Context) async throws -> Response {
        let body = try await Self.decode(RollbackMigrationRequest.self, request, context)
        return try await startRun(of: body.name, kind: "rollback", dryRun: body.dryRun, request, context) {
            try await $0.rollback(body.name, context: $1, options: $2)
        }
    }

    @Sendable func details(_ request: Request, context: Context) async throws -> Response {
        try await answering(context) {
            let name = try migrationName(context)
            let status = try await runner.status(context: try await makeAppContext()).first { $0.name == name }
            guard let status else {
                throw MigrationError(.unknownMigration, "unknown migration '\(name)'", migration: name)
            }
            let history = try await runner.stateStore.history(of: name, limit: 50)
            return try JSONResponse.make(MigrationDetailsAnswer(status: MigrationStatusRow(status), history: history))
        }
    }

    @Sendable func pause(_ request: Request, context: Context) async throws -> Response {
        let body = try await Self.decodeOptional(ControlMigrationRequest.self, request, context)
        return try await controlling(context) { controls, name, by in
            try await controls.pause(name, reason: body?.reason, by: by)
        }
    }

    @Sendable func resume(_ request: Request, context: Context) async throws -> Response {
        try await controlling(context) { controls, name, _ in try await controls.resume(name) }
    }

    @Sendable func cancel(_ request: Request, context: Context) async throws -> Response {
        let body = try await Self.decodeOptional(ControlMigrationRequest.self, request, context)
        return try await controlling(context) { controls, name, by in
            try await controls.cancel(name, reason: body?.reason, by: by)
        }
    }

    // MARK: - Helpers

    /// The `:name` of the path, percent-decoded, of a registered migration.
    private func migrationName(_ context: Context) throws -> String {
        let raw = context.parameters.get("name") ?? ""
        let name = raw.removingPercentEncoding ?? raw
        _ = try runner.registry.require(name)
        return name
    }

    /// Runs a pause, resume or cancel; 202 while a holder still has to stop, else 200.
    private func controlling(
        _ context: Context,
        _ body: (MigrationControls, String, String) async throws -> MigrationControls.Outcome
    ) async throws -> Response {
        try await answering(context) {
            let name = try migrationName(context)
            let by = context.identity?.migrationsActor ?? "http"
            let outcome = try await body(MigrationControls(store: runner.stateStore), name, by)
            let stopping = if case .requested(_, _?) = outcome { true } else { false }
            return try JSONResponse.make(
                ControlMigrationAnswer(name: name, outcome), status: stopping ? .accepted : .ok)
        }
    }

    /// 200 when every run ended well, 409 when one stopped at a pause or an operator's cancel, 500 when
    /// one failed otherwise.
    static func status(of results: [MigrationResult]) -> HTTPResponse.Status {
        if results.contains(where: { $0.isFailure && !($0.failure == .cancelled && $0.control != nil) }) {
            return .internalServerError
        }
        if results.contains(where: { $0.status == .paused || $0.control != nil }) { return .conflict }
        return .ok
    }

    /// A shutdown stops a run started here at its checkpoint, recording nothing, like the background worker.
    func options(_ context: Context, dryRun: Bool?) -> MigrationRunOptions {
        MigrationRunOptions(
            dryRun: dryRun ?? false,
            triggeredBy: context.identity?.migrationsActor,
            whenHeldElsewhere: .fail,
            recordsCancellation: false
        )
    }

    /// Runs an endpoint's work: a ``MigrationError`` answers as ``MigrationsAPIError/init(_:)`` says, any
    /// other error (one the application context threw, say) answers a JSON 500 and is logged.
    func answering<Value>(_ context: Context, _ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as MigrationsAPIError {
            throw error
        } catch let error as MigrationError {
            throw MigrationsAPIError(error)
        } catch {
            context.logger.error(
                "a migrations endpoint failed with an unexpected error",
                metadata: ["error.type": "\(type(of: error))", "error": "\(error)"])
            throw MigrationsAPIError.unexpected(error)
        }
    }

    /// Decodes a body that may be empty.
    private static func decodeOptional<Body: Decodable>(
        _ type: Body.Type, _ request: Request, _ context: Context
    ) async throws -> Body? {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        if buffer.readableBytes == 0 { return nil }
        return try await decode(type, request, context)
    }

    /// Decodes a JSON body; malformed JSON answers 400 with a ``MigrationsAPIError`` body.
    private static func decode<Body: Decodable>(
        _ type: Body.Type, _ request: Request, _ context: Context
    ) async throws -> Body {
        do {
            return try await request.decode(as: type, context: context)
        } catch let error as HTTPError where error.status == .badRequest {
            // The decoder's complaint may quote the body: it is capped like any other echo of the request.
            let complaint = EchoedInput.capped(error.body ?? "malformed JSON")
            throw MigrationsAPIError(
                status: .badRequest, code: "bad-request",
                message: "the request body is not a valid \(type): \(complaint)")
        }
    }
}

/// Answers 401, with a JSON body, when the authenticator found no identity.
struct RequireIdentityMiddleware<Context: AuthRequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard context.identity != nil else {
            throw MigrationsAPIError(
                status: .unauthorized, code: "unauthorized",
                message: "authentication required: send 'Authorization: Bearer <token>'")
        }
        return try await next(request, context)
    }
}
