/// Where a Redis server is and how to talk to it.
///
/// Build one from a URL, from the `REDIS_URL` environment variable, or field by field:
///
/// ```swift
/// let fromURL = try RedisConfiguration(url: "redis://:s3cret@cache.internal:6380/2")
/// let fromEnvironment = try RedisConfiguration.fromEnvironment()
/// var custom = RedisConfiguration(endpoint: .unix(path: "/run/redis.sock"))
/// custom.commandTimeout = .seconds(1)
/// ```
///
/// The ``description`` and ``redactedURL`` show `***` in place of the password, so a configuration
/// can be logged safely.
public struct RedisConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// Where the server listens.
    public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
        /// A TCP host name or IP address (IPv6 without brackets) and port.
        case tcp(host: String, port: Int)

        /// The path of a Unix domain socket.
        case unix(path: String)

        /// `host:port` (with brackets around an IPv6 address), or `unix:` followed by the path.
        public var description: String {
            switch self {
            case .tcp(let host, let port):
                return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            case .unix(let path):
                return "unix:\(path)"
            }
        }
    }

    /// The port Redis listens on unless told otherwise.
    public static let defaultPort = 6379

    // MARK: - Properties

    /// Where the server listens.
    public var endpoint: Endpoint

    /// The ACL user to authenticate as; `nil` for the `default` user.
    public var username: String?

    /// The password sent with `AUTH`; `nil` to skip authentication. Never printed.
    public var password: String?

    /// The logical database selected with `SELECT` after connecting; 0 by default.
    public var database: Int

    /// How long to wait for the TCP or Unix connection to be established.
    public var connectTimeout: Duration

    /// How long to wait for each reply; `nil` waits forever.
    ///
    /// When it expires the call throws ``RedisError/Code-swift.struct/timedOut`` and the connection is
    /// dropped; the next call reconnects. A single call can use another timeout, see
    /// ``RedisConnection/send(_:timeout:)-([String],_)``.
    public var commandTimeout: Duration?

    /// Whether to enable TCP keep-alive probes on the socket, so dead peers are noticed.
    public var keepAlive: Bool

    // MARK: - Creating a configuration

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - endpoint: Where the server listens; `127.0.0.1:6379` by default.
    ///   - username: The ACL user; `nil` for the `default` user.
    ///   - password: The password; `nil` to skip `AUTH`.
    ///   - database: The database to `SELECT`; 0 by default.
    ///   - connectTimeout: How long connecting may take; 2 seconds by default.
    ///   - commandTimeout: How long each reply may take; 5 seconds by default, `nil` for no limit.
    ///   - keepAlive: Whether to enable TCP keep-alive; `true` by default.
    public init(
        endpoint: Endpoint = .tcp(host: "127.0.0.1", port: RedisConfiguration.defaultPort),
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration? = .seconds(5),
        keepAlive: Bool = true
    ) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.keepAlive = keepAlive
    }

    // MARK: - Description

    /// The configuration with the password replaced by `***`, such as
    /// `redis://:***@127.0.0.1:6379/2 (connect timeout 2 seconds, command timeout 5 seconds, keep-alive on)`.
    public var description: String {
        let commandTimeoutText = commandTimeout.map { "\($0)" } ?? "none"
        return "\(redactedURL) (connect timeout \(connectTimeout), command timeout \(commandTimeoutText), "
            + "keep-alive \(keepAlive ? "on" : "off"))"
    }
}
