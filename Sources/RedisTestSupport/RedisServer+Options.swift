extension RedisServer {
    /// How to configure a test ``RedisServer``.
    ///
    /// ```swift
    /// let server = try await RedisServer.start(configuration: .init(password: "s3cret", appendOnly: true))
    /// ```
    public struct Options: Sendable {
        /// The password of the `default` user (`requirepass`); `nil` for none.
        public var password: String?

        /// Extra ACL users, each with all permissions on all keys and channels.
        public var aclUsers: [ACLUser]

        /// Whether to write an append-only file with `appendfsync always`, so data survives ``RedisServer/restart()``.
        public var appendOnly: Bool

        /// Whether to listen on a Unix domain socket as well, at ``RedisServer/unixSocketPath``.
        public var unixSocket: Bool

        /// More lines for `redis.conf`, such as `"maxmemory 10mb"` or `"enable-debug-command yes"`.
        public var extraConfig: [String]

        /// Creates options; every default gives a plain server without password or persistence.
        ///
        /// - Parameters:
        ///   - password: The password of the `default` user.
        ///   - aclUsers: Extra ACL users.
        ///   - appendOnly: Whether to persist every write to an append-only file.
        ///   - unixSocket: Whether to listen on a Unix domain socket too.
        ///   - extraConfig: More `redis.conf` lines.
        public init(
            password: String? = nil,
            aclUsers: [ACLUser] = [],
            appendOnly: Bool = false,
            unixSocket: Bool = false,
            extraConfig: [String] = []
        ) {
            self.password = password
            self.aclUsers = aclUsers
            self.appendOnly = appendOnly
            self.unixSocket = unixSocket
            self.extraConfig = extraConfig
        }
    }
}
