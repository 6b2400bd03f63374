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

    private let tokens: [(token: [UInt8], identity: Identity)]

    /// Creates an authenticator.
    ///
    /// - Parameter tokens: Each accepted token and the identity it stands for. Empty tokens are ignored.
    public init(tokens: [String: Identity]) {
        self.tokens = tokens.filter { !$0.key.isEmpty }.map { (Array($0.key.utf8), $0.value) }
    }

    /// Returns the identity of the request's bearer token, or `nil`.
    public func authenticate(request: Request, context: Context) async throws -> Identity? {
        guard let presented = request.headers.bearer.map({ Array($0.token.utf8) }) else { return nil }
        var match: Identity?
        for entry in tokens where Self.constantTimeEquals(entry.token, presented) {
            match = entry.identity
        }
        return match
    }

    private static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
