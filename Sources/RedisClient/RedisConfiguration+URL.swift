// MARK: - Parsing

extension RedisConfiguration {
    /// Creates a configuration from a Redis URL.
    ///
    /// Accepted forms:
    /// - `redis://host`, `redis://host:port`, `redis://host:port/db`
    /// - `redis://:password@host` and `redis://user:password@host` (percent-encoded, such as `p%40ss` for `p@ss`)
    /// - `redis://[::1]:6379` for IPv6 addresses
    /// - `unix:///path/to/redis.sock`, with optional `?db=N&password=…&username=…`
    ///
    /// Timeouts and keep-alive take their defaults; change them on the result.
    ///
    /// - Parameter url: The URL.
    /// - Throws: ``RedisError`` with code ``RedisError/Code-swift.struct/invalidURL`` naming the part that is
    ///   wrong. The message never contains the password.
    public init(url: String) throws(RedisError) {
        guard !url.isEmpty else {
            throw Self.invalid("the URL is empty")
        }
        guard let colon = url.firstIndex(of: ":") else {
            throw Self.invalid("the URL must start with redis:// or unix://")
        }
        let scheme = url[..<colon].lowercased()
        let rest = url[url.index(after: colon)...]
        switch scheme {
        case "redis":
            guard rest.hasPrefix("//") else {
                throw Self.invalid("a redis URL must start with redis://")
            }
            self = try Self.parseTCP(rest.dropFirst(2))
        case "unix":
            self = try Self.parseUnix(rest.hasPrefix("//") ? rest.dropFirst(2) : rest)
        case "rediss":
            throw Self.invalid(
                "TLS (rediss://) is not supported; use redis:// or unix://: hiredis 0.14 has no TLS, so reach a TLS "
                    + "Redis through a local tunnel such as stunnel (see the README, No TLS)")
        default:
            let shown = scheme.count <= 16 && scheme.allSatisfy { $0.isLetter || $0.isNumber } ? " '\(scheme)'" : ""
            throw Self.invalid("the scheme\(shown) is not supported; the URL must start with redis:// or unix://")
        }
    }

    // MARK: - redis://

    private static func parseTCP(_ rest: Substring) throws(RedisError) -> RedisConfiguration {
        var configuration = RedisConfiguration()
        var hostAndPath = rest
        // The last "@" ends the user info, so an unencoded "@" in a password still works.
        if let at = rest.lastIndex(of: "@") {
            try parseUserInfo(rest[..<at], into: &configuration)
            hostAndPath = rest[rest.index(after: at)...]
        }
        if hostAndPath.contains("?") || hostAndPath.contains("#") {
            throw invalid("query parameters and fragments are not supported in redis:// URLs")
        }
        let slash = hostAndPath.firstIndex(of: "/") ?? hostAndPath.endIndex
        let authority = hostAndPath[..<slash]
        let (host, port) = try parseHostAndPort(authority)
        configuration.endpoint = .tcp(host: host, port: port)
        if slash < hostAndPath.endIndex {
            let path = hostAndPath[hostAndPath.index(after: slash)...]
            if !path.isEmpty {
                configuration.database = try parseDatabase(path)
            }
        }
        return configuration
    }

    private static func parseUserInfo(_ userInfo: Substring, into configuration: inout RedisConfiguration)
        throws(RedisError)
    {
        guard let colon = userInfo.firstIndex(of: ":") else {
            throw invalid(
                "the user info has no ':'; write redis://:PASSWORD@host for a password, "
                    + "or redis://USER:PASSWORD@host for an ACL user"
            )
        }
        let user = userInfo[..<colon]
        let password = userInfo[userInfo.index(after: colon)...]
        if !user.isEmpty {
            guard let decoded = PercentEncoding.decode(user) else {
                throw invalid("the user name contains an invalid percent escape")
            }
            configuration.username = decoded
        }
        if !password.isEmpty {
            guard let decoded = PercentEncoding.decode(password) else {
                throw invalid("the password contains an invalid percent escape")
            }
            configuration.password = decoded
        }
    }

    private static func parseHostAndPort(_ authority: Substring) throws(RedisError) -> (String, Int) {
        let host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw invalid("the IPv6 address has no closing ']'")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let afterHost = authority[authority.index(after: close)...]
            if !afterHost.isEmpty {
                guard afterHost.hasPrefix(":") else {
                    throw invalid("expected ':' and a port after the IPv6 address")
                }
                portText = afterHost.dropFirst()
            }
        } else {
            let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else {
                throw invalid(
                    "the host has more than one ':'; write IPv6 addresses in brackets, as in redis://[::1]:6379"
                )
            }
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
        }
        guard !host.isEmpty else {
            throw invalid("the host is missing, as in redis://127.0.0.1:6379")
        }
        guard let portText else {
            return (String(host), defaultPort)
        }
        guard let port = Int(portText), (1...65_535).contains(port) else {
            let shown = !portText.isEmpty && portText.allSatisfy(\.isASCIIDigitCharacter) ? " \(portText)" : ""
            throw invalid("the port\(shown) must be a number from 1 to 65535")
        }
        return (String(host), port)
    }

    private static func parseDatabase(_ text: Substring) throws(RedisError) -> Int {
        guard let database = Int(text), database >= 0 else {
            let shown = !text.isEmpty && text.count <= 20 && text.allSatisfy(\.isASCIIDigitCharacter) ? " \(text)" : ""
            throw invalid("the database\(shown) must be a non-negative integer, as in redis://host:6379/2")
        }
        return database
    }

    // MARK: - unix://

    private static func parseUnix(_ rest: Substring) throws(RedisError) -> RedisConfiguration {
        var configuration = RedisConfiguration()
        let questionMark = rest.firstIndex(of: "?") ?? rest.endIndex
        let encodedPath = rest[..<questionMark]
        guard encodedPath.hasPrefix("/") else {
            throw invalid("the socket path must be absolute, as in unix:///path/to/redis.sock")
        }
        guard let path = PercentEncoding.decode(encodedPath), path.count > 1 else {
            throw invalid("the socket path is empty or contains an invalid percent escape")
        }
        configuration.endpoint = .unix(path: path)
        guard questionMark < rest.endIndex else {
            return configuration
        }
        let query = rest[rest.index(after: questionMark)...]
        for parameter in query.split(separator: "&") {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pair[0]
            let value = pair.count == 2 ? pair[1] : ""
            switch name {
            case "db":
                configuration.database = try parseDatabase(value)
            case "password":
                guard let decoded = PercentEncoding.decode(value) else {
                    throw invalid("the password contains an invalid percent escape")
                }
                configuration.password = decoded.isEmpty ? nil : decoded
            case "username", "user":
                guard let decoded = PercentEncoding.decode(value) else {
                    throw invalid("the user name contains an invalid percent escape")
                }
                configuration.username = decoded.isEmpty ? nil : decoded
            default:
                let shown = name.count <= 32 ? " '\(name)'" : ""
                throw invalid("the query parameter\(shown) is not supported; use db, password or username")
            }
        }
        return configuration
    }

    private static func invalid(_ reason: String) -> RedisError {
        RedisError(code: .invalidURL, message: "invalid Redis URL: \(reason)")
    }
}

// MARK: - Printing

extension RedisConfiguration {
    /// The configuration as a URL with the password replaced by `***`, safe to log.
    ///
    /// For example `redis://alice:***@10.0.0.5:6379/3` or `unix:///run/redis.sock?db=1&password=***`.
    public var redactedURL: String {
        switch endpoint {
        case .tcp(let host, let port):
            var userInfo = ""
            if username != nil || password != nil {
                userInfo = (username.map(PercentEncoding.encode) ?? "") + (password == nil ? "" : ":***") + "@"
            }
            let hostText = host.contains(":") ? "[\(host)]" : host
            let databaseText = database == 0 ? "" : "/\(database)"
            return "redis://\(userInfo)\(hostText):\(port)\(databaseText)"
        case .unix(let path):
            var parameters: [String] = []
            if database != 0 {
                parameters.append("db=\(database)")
            }
            if let username {
                parameters.append("username=\(PercentEncoding.encode(username))")
            }
            if password != nil {
                parameters.append("password=***")
            }
            let query = parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&")
            return "unix://\(path)\(query)"
        }
    }
}

extension Character {
    /// Whether this is one of `0`…`9`.
    fileprivate var isASCIIDigitCharacter: Bool {
        isASCII && isNumber
    }
}
