extension RedisServer {
    /// An ACL user of a test server, allowed every command on every key and channel.
    ///
    /// Becomes the `redis.conf` line `user NAME on >PASSWORD ~* &* +@all`.
    public struct ACLUser: Sendable, Hashable {
        /// The user name.
        public var name: String

        /// The user's password.
        public var password: String

        /// Creates an ACL user.
        ///
        /// - Parameters:
        ///   - name: The user name.
        ///   - password: The user's password.
        public init(name: String, password: String) {
            self.name = name
            self.password = password
        }
    }
}
