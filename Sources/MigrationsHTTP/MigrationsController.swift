public import Hummingbird
public import HummingbirdAuth
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
/// | `POST /migrations/run` | `{"name": "…", "dryRun": false}` | `MigrationResult` |
/// | `POST /migrations/run-pending` | `{"dryRun": false}` | `[MigrationResult]` |
/// | `POST /migrations/rollback` | `{"name": "…"}` | `MigrationResult` |
///
/// Every route requires an identity from the authenticator (401 otherwise); its
/// ``MigrationsIdentity/migrationsActor`` is recorded as `triggeredBy`. A run whose migration failed
/// answers 500 with the failed result; an unknown name 404; a migration running here or holding a lease
/// elsewhere 409 with the holder (the endpoints never wait for another replica); malformed JSON 400.
/// Error bodies are ``MigrationsAPIError/Body``.
public struct MigrationsController<App: Sendable, Context: AuthRequestContext>: Sendable
where Context.Identity: MigrationsIdentity {
    private let runner: MigrationRunner<App>
    private let makeAppContext: @Sendable () async throws -> App

    /// Creates the endpoints.
    ///
    /// - Parameters:
    ///   - runner: The runner the endpoints drive.
    ///   - context: Produces the application context handed to migrations, once per request.
    public init(runner: MigrationRunner<App>, context: @escaping @Sendable () async throws -> App) {
        self.runner = runner
        self.makeAppContext = context
    }

    /// Adds the authenticator, the authentication requirement and the routes to `group`.
    public func addRoutes<Authenticator: AuthenticatorMiddleware>(
        to group: RouterGroup<Context>,
        authenticator: Authenticator
    ) where Authenticator.Context == Context {
        group
            .add(middleware: authenticator)
            .add(middleware: RequireIdentityMiddleware<Context>())
            .get(use: status)
            .post("run", use: run)
            .post("run-pending", use: runPending)
            .post("rollback", use: rollback)
    }

    // MARK: - Handlers

    @Sendable func status(_ request: Request, context: Context) async throws -> Response {
        try await answering {
            try JSONResponse.make(
                try await runner.status(context: try await makeAppContext()).map(MigrationStatusRow.init))
        }
    }

    @Sendable func run(_ request: Request, context: Context) async throws -> Response {
        let body = try await Self.decode(RunMigrationRequest.self, request, context)
        return try await answering {
            let result = try await runner.run(
                body.name, context: try await makeAppContext(), options: options(context, dryRun: body.dryRun))
            return try JSONResponse.make(result, status: result.isFailure ? .internalServerError : .ok)
        }
    }

    @Sendable func runPending(_ request: Request, context: Context) async throws -> Response {
        let body = try await Self.decodeOptional(RunPendingRequest.self, request, context) ?? RunPendingRequest()
        return try await answering {
            var options = options(context, dryRun: body.dryRun)
            options.continueOnError = body.continueOnError ?? false
            let results = try await runner.runPending(context: try await makeAppContext(), options: options)
            return try JSONResponse.make(
                results, status: results.contains(where: \.isFailure) ? .internalServerError : .ok)
        }
    }

    @Sendable func rollback(_ request: Request, context: Context) async throws -> Response {
        let body = try await Self.decode(RollbackMigrationRequest.self, request, context)
        return try await answering {
            let result = try await runner.rollback(
                body.name, context: try await makeAppContext(), options: options(context, dryRun: body.dryRun))
            return try JSONResponse.make(result, status: result.isFailure ? .internalServerError : .ok)
        }
    }

    // MARK: - Helpers

    private func options(_ context: Context, dryRun: Bool?) -> MigrationRunOptions {
        MigrationRunOptions(
            dryRun: dryRun ?? false,
            triggeredBy: context.identity?.migrationsActor,
            whenHeldElsewhere: .fail
        )
    }

    private func answering(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as MigrationError {
            throw MigrationsAPIError(error)
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
            throw MigrationsAPIError(
                status: .badRequest, code: "bad-request",
                message: "the request body is not a valid \(type): \(error.body ?? "malformed JSON")")
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
