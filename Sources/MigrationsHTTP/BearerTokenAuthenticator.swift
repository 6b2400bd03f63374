public import Hummingbird
public import HummingbirdAuth

/// Authenticates `Authorization: Bearer <token>` against a fixed set of tokens.
///
/// ```swift
/// let token = ProcessInfo.processInfo.environment["MIGRATIONS_API_TOKEN"]!
/// let authenticator = BearerTokenAuthenticator<BasicAuthRequestContext<MigrationsCaller>>(
///     tokens: [token: MigrationsCaller(name: "ops")]
/// )
/// ```
///
/// Tokens are compared in constant time. A request without a matching token gets no identity, and the
/// migrations endpoints answer it with 401.
public struct BearerTokenAuthenticator<Context: AuthRequestContext>: AuthenticatorMiddleware
where Context.Identity: MigrationsIdentity {
    /// The identity type.
    public typealias Identity = Context.Identity

    private let tokens: AccessTokens<Identity>

    /// Creates an authenticator.
    ///
    /// - Parameter tokens: Each accepted token and the identity it stands for. Empty tokens are ignored.
    public init(tokens: [String: Identity]) {
        self.tokens = AccessTokens(tokens)
    }

    /// Returns the identity of the request's bearer token, or `nil`.
    public func authenticate(request: Request, context: Context) async throws -> Identity? {
        guard let presented = request.headers.bearer?.token else { return nil }
        return tokens.identity(presenting: presented)
    }
}
