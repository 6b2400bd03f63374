import Foundation
public import Hummingbird
public import Migrations

/// An error answer of the migrations endpoints: a status and a JSON body.
///
/// ```json
/// {"error": {"code": "held-elsewhere", "message": "migration 'x' is already running: …",
///            "migration": "x", "holder": {"host": "api-2", "pid": 41, …}}}
/// ```
public struct MigrationsAPIError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// The error body.
    public let body: Body

    /// The JSON body of an error answer.
    public struct Body: Codable, Sendable, Equatable {
        /// The error.
        public var error: Detail
    }

    /// What went wrong.
    public struct Detail: Codable, Sendable, Equatable {
        /// A stable, kebab-case code (the ``MigrationError/Code-swift.struct`` description, or
        /// `unauthorized` / `bad-request`).
        public var code: String
        /// A message for the person who reads it.
        public var message: String
        /// The migration concerned, if any.
        public var migration: String?
        /// The lease holder, for `held-elsewhere`.
        public var holder: LeaseHolder?
    }

    /// Creates an error answer.
    public init(
        status: HTTPResponse.Status, code: String, message: String, migration: String? = nil, holder: LeaseHolder? = nil
    ) {
        self.status = status
        self.body = Body(error: Detail(code: code, message: message, migration: migration, holder: holder))
    }

    /// The answer for a ``MigrationError``: 404 unknown, 409 running or held elsewhere or not
    /// completed or not reversible, 400 invalid name, 503 store or lease unavailable.
    public init(_ error: MigrationError) {
        let status: HTTPResponse.Status =
            switch error.code {
            case .unknownMigration: .notFound
            case .alreadyRunning, .heldElsewhere, .notCompleted, .rollbackNotSupported, .leaseLost: .conflict
            case .invalidName, .invalidConfiguration: .badRequest
            default: .serviceUnavailable
            }
        self.init(
            status: status, code: error.code.description, message: error.message, migration: error.migration,
            holder: error.holder)
    }

    /// Writes the JSON body.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(body, status: status)
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
