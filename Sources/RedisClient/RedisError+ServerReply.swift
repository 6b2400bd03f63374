// MARK: - Server error replies

extension RedisError {
    /// Creates the error for an error reply of the server, classified by its prefix.
    ///
    /// - Parameters:
    ///   - serverMessage: The error reply, verbatim, such as `WRONGTYPE Operation against a key…`.
    ///   - command: The command description from ``RedisCommandDescription``.
    init(serverReply serverMessage: String, command: String?) {
        let code = Self.classify(serverReply: serverMessage)
        let subject = command.map { "\($0) failed" } ?? "command failed"
        let hint =
            Self.isUnauthenticatedRefusal(serverMessage) ? " (it wants credentials this connection has not given)" : ""
        self.init(
            code: code,
            message: "\(subject): the server replied \(serverMessage)\(hint)",
            command: command,
            serverMessage: serverMessage
        )
    }

    /// The error for an error reply found inside a pipeline's replies, classified like the one `send` throws.
    ///
    /// Pipelines return error replies in place, so that one failing command does not hide the others'
    /// replies; use this to turn one into a ``RedisError`` when it is about the server (`LOADING`, `NOAUTH`)
    /// rather than about one key (`WRONGTYPE`).
    ///
    /// - Parameters:
    ///   - reply: An ``RedisReply/error(_:)`` reply; any other reply gives ``Code-swift.struct/unexpectedReply``.
    ///   - command: What was sent, for the message, such as `GET migration:a:completed`.
    /// - Returns: The classified error.
    public static func serverReply(_ reply: RedisReply, command: String?) -> RedisError {
        guard case .error(let message) = reply else {
            return .unexpectedReply(reply, expected: "an error reply", command: command)
        }
        return RedisError(serverReply: message, command: command)
    }

    /// Whether the reply is how a server that wants a password refuses a large command from a client that
    /// has not given one: "ERR Protocol error: unauthenticated multibulk length" (or "bulk length"), not
    /// NOAUTH. The server closes the connection after it.
    static func isUnauthenticatedRefusal(_ message: String) -> Bool {
        message.lowercased().hasPrefix("err protocol error: unauthenticated")
    }

    /// Maps the first word of an error reply to a ``Code``.
    static func classify(serverReply message: String) -> Code {
        let prefix = message.prefix { $0 != " " }
        switch prefix {
        case "WRONGTYPE":
            return .wrongType
        case "NOSCRIPT":
            return .noScript
        case "NOAUTH", "WRONGPASS":
            return .authenticationFailed
        case "READONLY":
            return .readOnly
        case "LOADING":
            return .loading
        case "BUSY":
            return .busy
        case "ERR":
            // Redis before 6 answered a bad password with "ERR invalid password", and AUTH without any
            // configured password with "ERR Client sent AUTH, but no password is set" (or, since 6,
            // "ERR AUTH <password> called without any password configured…").
            let lowercased = message.lowercased()
            if lowercased.hasPrefix("err invalid password") || lowercased.hasPrefix("err client sent auth")
                || lowercased.hasPrefix("err auth") || isUnauthenticatedRefusal(message)
            {
                return .authenticationFailed
            }
            return .server
        default:
            return .server
        }
    }
}

// MARK: - Unexpected replies

extension RedisError {
    /// Creates the error for a reply of an unexpected shape.
    ///
    /// - Parameters:
    ///   - reply: The reply the server sent.
    ///   - expected: What the caller wanted, such as `"OK"` or `"an integer"`.
    ///   - command: The command that got the reply.
    /// - Returns: An error with code ``Code-swift.struct/unexpectedReply``.
    public static func unexpectedReply(_ reply: RedisReply, expected: String, command: String? = nil) -> RedisError {
        let subject = command.map { "\($0): " } ?? ""
        return RedisError(
            code: .unexpectedReply,
            message: "\(subject)expected \(expected) but the server replied \(reply.summary)",
            command: command
        )
    }
}
