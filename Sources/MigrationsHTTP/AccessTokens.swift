/// The tokens a service accepts and the identity each stands for, compared in constant time.
///
/// The JSON endpoints' ``BearerTokenAuthenticator`` and the dashboard's login form both check a token
/// here, so a token that opens one opens the other.
struct AccessTokens<Identity: Sendable>: Sendable {
    private let entries: [(token: [UInt8], identity: Identity)]

    /// Creates the table; empty tokens are ignored.
    ///
    /// - Parameter tokens: Each accepted token and the identity it stands for.
    init(_ tokens: [String: Identity]) {
        entries = tokens.filter { !$0.key.isEmpty }.map { (Array($0.key.utf8), $0.value) }
    }

    /// Whether no token is accepted at all.
    var isEmpty: Bool { entries.isEmpty }

    /// The identity of `presented`, or `nil`; every accepted token is compared, all the way through.
    ///
    /// - Parameter presented: The token a caller sent.
    /// - Returns: The identity it stands for, or `nil` when no accepted token equals it.
    func identity(presenting presented: String) -> Identity? {
        let bytes = Array(presented.utf8)
        var match: Identity?
        for entry in entries where Self.constantTimeEquals(entry.token, bytes) {
            match = entry.identity
        }
        return match
    }

    /// Whether two byte strings are equal, in a time that depends on their lengths only.
    ///
    /// - Parameters:
    ///   - lhs: One byte string.
    ///   - rhs: The other.
    /// - Returns: `true` when they are equal.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
