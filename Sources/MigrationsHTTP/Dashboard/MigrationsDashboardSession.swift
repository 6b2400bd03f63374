/// What the dashboard keeps for a signed-in browser, in the session store, behind its session cookie.
///
/// A browser never sees it: the cookie holds only the session's random id.
public struct MigrationsDashboardSession<Identity: MigrationsIdentity & Codable>: Codable, Sendable {
    /// Who signed in: recorded as `triggeredBy` of the runs they start and as who paused or cancelled.
    public var identity: Identity
    /// The token every state-changing form of this session carries.
    public var csrfToken: String
    /// The outcome of the last action, shown once on the next page.
    var notice: DashboardNotice?

    /// Creates a session for an identity, with a fresh CSRF token.
    ///
    /// - Parameter identity: Who signed in.
    public init(identity: Identity) {
        self.identity = identity
        self.csrfToken = Self.randomToken()
        self.notice = nil
    }

    /// 32 random bytes in hexadecimal, from the system's cryptographic generator.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }
}

/// One sentence about what an action did, and whether it went wrong.
struct DashboardNotice: Codable, Sendable, Equatable {
    /// The sentence.
    var text: String
    /// Whether the action failed or was refused.
    var isError: Bool
}
