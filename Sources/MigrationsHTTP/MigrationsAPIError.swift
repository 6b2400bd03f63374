import Foundation
public import Hummingbird
public import Migrations

/// An error answer of the migrations endpoints: a status, a JSON body and any extra headers.
///
/// ```json
/// {"error": {"code": "held-elsewhere", "message": "migration 'x' is already running: …",
///            "migration": "x", "holder": {"host": "api-2", "pid": 41, …}}}
/// ```
///
/// Every error answer under the migrations group has this body, those Hummingbird itself produces included
/// (a body over the upload limit, an unknown path, a wrong method): see ``MigrationsController``. Text the
/// caller sent is repeated at most 200 bytes long, then `…(truncated)`.
public struct MigrationsAPIError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// The error body.
    public let body: Body
    /// Headers the answer carries besides `Content-Type` and `Content-Length` (`Allow` for a 405, for instance).
    public let headers: HTTPFields

    /// The JSON body of an error answer.
    public struct Body: Codable, Sendable, Equatable {
        /// The error.
        public var error: Detail
    }

    /// What went wrong.
    public struct Detail: Codable, Sendable, Equatable {
        /// A stable, kebab-case code: the ``MigrationError/Code-swift.struct`` description, or for a failure
        /// outside the engine the status's reason phrase (`unauthorized`, `bad-request`, `not-found`,
        /// `method-not-allowed`, `content-too-large`, `internal-server-error`).
        public var code: String
        /// A message for the person who reads it.
        public var message: String
        /// The migration concerned, if any.
        public var migration: String?
        /// The lease holder, for `held-elsewhere`.
        public var holder: LeaseHolder?
    }

    /// Creates an error answer.
    ///
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - code: A stable, kebab-case code.
    ///   - message: A message for the person who reads it; cap any text from the request in it.
    ///   - migration: The migration concerned, if any.
    ///   - holder: The lease holder, for `held-elsewhere`.
    ///   - headers: Extra headers of the answer, such as `Allow`.
    public init(
        status: HTTPResponse.Status,
        code: String,
        message: String,
        migration: String? = nil,
        holder: LeaseHolder? = nil,
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.body = Body(error: Detail(code: code, message: message, migration: migration, holder: holder))
        self.headers = headers
    }

    /// The answer for a ``MigrationError``.
    ///
    /// | code | status |
    /// |---|---|
    /// | `unknown-migration` | 404 |
    /// | `already-running`, `held-elsewhere`, `not-completed`, `rollback-not-supported`, `lease-lost` | 409 |
    /// | `invalid-name`, `invalid-configuration` | 400 |
    /// | `state-store`, `lease` (the backend failed or refused the connection), `cancelled` | 503 |
    /// | any other | 503 |
    ///
    /// The message is the error's description: its message, then its underlying cause in parentheses (a
    /// refused connection, for instance). A migration name longer than 200 bytes (one the caller sent) is cut
    /// to 200 bytes and `…(truncated)`, in the message and in `migration`.
    ///
    /// - Parameter error: The engine's error.
    public init(_ error: MigrationError) {
        let status: HTTPResponse.Status =
            switch error.code {
            case .unknownMigration: .notFound
            case .alreadyRunning, .heldElsewhere, .notCompleted, .rollbackNotSupported, .leaseLost, .controlRefused:
                .conflict
            case .invalidName, .invalidConfiguration: .badRequest
            // A backend that failed or cannot be reached, or a run cancelled before it started, is a service
            // that is unavailable for now, not a programming error (500).
            case .stateStore, .lease, .cancelled: .serviceUnavailable
            // `duplicate-name` and codes added later keep the 503 they have always had.
            default: .serviceUnavailable
            }
        let message = error.migration.map { EchoedInput.cappingEchoes(of: $0, in: error.description) }
        self.init(
            status: status, code: error.code.description, message: message ?? error.description,
            migration: error.migration.map(EchoedInput.capped), holder: error.holder)
    }

    /// Writes the JSON body and the extra headers.
    ///
    /// - Parameters:
    ///   - request: The request answered.
    ///   - context: The request's context.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// JSON answers in the shared conventions (sorted keys, ISO 8601 dates): the same shapes as the CLI.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try MigrationJSON.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
