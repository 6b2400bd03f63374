import Hummingbird

// MARK: - Failures outside the engine

extension MigrationsAPIError {
    /// The answer for a failure Hummingbird reports with a status and, at most, a short message: a body over
    /// the upload limit (413), a route that does not exist (404), a `HTTPError` thrown anywhere below the group.
    ///
    /// The code is the status's reason phrase in kebab case (`content-too-large`); the message is `message`,
    /// capped, or a sentence that says what the status means for this request.
    ///
    /// - Parameters:
    ///   - status: The status Hummingbird gave.
    ///   - message: Hummingbird's message, if it gave one; it may quote the request, so it is capped.
    ///   - headers: Headers to keep on the answer.
    ///   - request: The request answered.
    ///   - maxUploadSize: The request context's upload limit, in bytes, named in a 413 message.
    init(
        failureStatus status: HTTPResponse.Status, message: String?, headers: HTTPFields = [:], request: Request,
        maxUploadSize: Int
    ) {
        let explanation =
            message.map(EchoedInput.capped)
            ?? Self.explanation(of: status, request: request, maxUploadSize: maxUploadSize)
        self.init(status: status, code: Self.code(for: status), message: explanation, headers: headers)
    }

    /// The 404 answer for a path under the migrations group that no endpoint serves.
    ///
    /// - Parameter request: The request answered.
    static func noEndpoint(_ request: Request) -> Self {
        Self(
            status: .notFound, code: code(for: .notFound),
            message: "there is no migrations endpoint at \(describe(request))")
    }

    /// The 405 answer, with an `Allow` header, for an endpoint asked with a method it does not take.
    ///
    /// - Parameters:
    ///   - request: The request answered.
    ///   - allowed: The methods the endpoint takes.
    static func methodNotAllowed(_ request: Request, allowed: [HTTPRequest.Method]) -> Self {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        return Self(
            status: .methodNotAllowed, code: code(for: .methodNotAllowed),
            message: "the migrations endpoint '\(EchoedInput.capped(request.uri.path))' does not take "
                + "\(EchoedInput.capped(request.method.rawValue)); it takes \(allow)",
            headers: [.allow: allow])
    }

    /// The 500 answer for an error that is neither a ``MigrationError`` nor an HTTP error (one the application
    /// context threw, for instance). It names the error's type only; the server log has the rest.
    ///
    /// - Parameter error: The unexpected error.
    static func unexpected(_ error: any Error) -> Self {
        Self(
            status: .internalServerError, code: code(for: .internalServerError),
            message: "the migrations endpoint failed with an unexpected \(type(of: error)); "
                + "the server log has the details")
    }

    /// The code of a status: its reason phrase in kebab case (`Content Too Large` → `content-too-large`), or
    /// `http-` and the number when the status has no reason phrase.
    ///
    /// - Parameter status: An HTTP status.
    static func code(for status: HTTPResponse.Status) -> String {
        let words = status.reasonPhrase.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return words.isEmpty ? "http-\(status.code)" : words.joined(separator: "-")
    }

    private static func explanation(of status: HTTPResponse.Status, request: Request, maxUploadSize: Int) -> String {
        switch status {
        case .contentTooLarge:
            "the request body is larger than the limit of \(maxUploadSize) bytes"
        case .notFound:
            "there is no migrations endpoint at \(describe(request))"
        case .methodNotAllowed:
            "the migrations endpoint '\(EchoedInput.capped(request.uri.path))' does not take "
                + EchoedInput.capped(request.method.rawValue)
        default:
            "\(describe(request)) failed with \(status.code) \(status.reasonPhrase)"
        }
    }

    /// `POST '/migrations/x'`, both parts capped.
    private static func describe(_ request: Request) -> String {
        "\(EchoedInput.capped(request.method.rawValue)) '\(EchoedInput.capped(request.uri.path))'"
    }
}
