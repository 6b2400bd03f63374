// MARK: - Single commands

extension RedisConnection {
    /// Sends one command and waits for its reply.
    ///
    /// ```swift
    /// try await connection.send(["SET", "greeting", "hello", "EX", "60"])
    /// let popped = try await connection.send(["BLPOP", "jobs", "30"], timeout: .seconds(35))
    /// ```
    ///
    /// - Parameters:
    ///   - command: The command name and its arguments.
    ///   - timeout: How long to wait for this reply, instead of the configured command timeout; for blocking
    ///     commands such as `BLPOP` that wait longer on purpose. `nil` uses the configured timeout.
    /// - Returns: The reply; never ``RedisReply/error(_:)``.
    /// - Throws: ``RedisError``: the server's error reply, classified (``RedisError/Code-swift.struct/wrongType``,
    ///   ``RedisError/Code-swift.struct/noScript``…), or a transport error after which the next call reconnects.
    @discardableResult
    public func send(_ command: [String], timeout: Duration? = nil) async throws(RedisError) -> RedisReply {
        try await send(encoding: command, timeout: timeout)
    }

    /// Sends one command given as raw bytes and waits for its reply.
    ///
    /// Every argument is passed with its length, so values may contain NUL bytes or invalid UTF-8.
    ///
    /// - Parameters:
    ///   - command: The command name and its arguments, as bytes.
    ///   - timeout: How long to wait for this reply, instead of the configured command timeout.
    /// - Returns: The reply; never ``RedisReply/error(_:)``.
    /// - Throws: ``RedisError``, as ``send(_:timeout:)-([String],_)`` does.
    @discardableResult
    public func send(_ command: [[UInt8]], timeout: Duration? = nil) async throws(RedisError) -> RedisReply {
        try await send(encoding: command, timeout: timeout)
    }

    /// Encodes and sends one command, and throws its error reply.
    private func send(encoding arguments: [some RESPArgument], timeout: Duration?) async throws(RedisError)
        -> RedisReply
    {
        let command = try RESPCommands([arguments])
        let replies = try await roundTrip(command, timeout: timeout)
        guard let reply = replies.first else {
            throw RedisError.unexpectedReply(.array([]), expected: "one reply", command: describe(command))
        }
        if case .error(let message) = reply {
            throw RedisError(serverReply: message, command: describe(command))
        }
        return reply
    }

    // MARK: - Pipelines

    /// Sends several commands in one write and reads all their replies: a single network round trip.
    ///
    /// Server error replies come back as ``RedisReply/error(_:)`` elements instead of being thrown, so
    /// each command's outcome can be inspected.
    ///
    /// ```swift
    /// let replies = try await connection.pipeline([
    ///     ["INCR", "visits"],
    ///     ["EXPIRE", "visits", "3600"],
    /// ])
    /// ```
    ///
    /// - Parameters:
    ///   - commands: The commands, in order. An empty list returns at once without a round trip.
    ///   - timeout: How long to wait for the replies, instead of the configured command timeout.
    /// - Returns: One reply for each command, in the same order.
    /// - Throws: A transport ``RedisError``; the replies are then lost, and some commands may have run. When
    ///   the server closed the connection right after refusing a command with `ERR Protocol error` (as it
    ///   does with a large command from a client that has not authenticated), the error is that refusal,
    ///   classified (``RedisError/Code-swift.struct/authenticationFailed`` for the unauthenticated one),
    ///   rather than the end of file that followed it.
    public func pipeline(_ commands: [[String]], timeout: Duration? = nil) async throws(RedisError) -> [RedisReply] {
        try await pipeline(encoding: commands, timeout: timeout)
    }

    /// Sends several commands given as raw bytes in one round trip and reads all their replies.
    ///
    /// - Parameters:
    ///   - commands: The commands, in order.
    ///   - timeout: How long to wait for the replies, instead of the configured command timeout.
    /// - Returns: One reply for each command, in the same order; server errors as ``RedisReply/error(_:)``.
    /// - Throws: A transport ``RedisError``, or the refusal the server closed the connection after, as for
    ///   ``pipeline(_:timeout:)-([[String]],_)``.
    public func pipeline(_ commands: [[[UInt8]]], timeout: Duration? = nil) async throws(RedisError) -> [RedisReply] {
        try await pipeline(encoding: commands, timeout: timeout)
    }

    /// Encodes `commands` into one buffer and sends them in one round trip; none, without a round trip.
    private func pipeline(encoding commands: [[some RESPArgument]], timeout: Duration?) async throws(RedisError)
        -> [RedisReply]
    {
        guard !commands.isEmpty else {
            return []
        }
        return try await roundTrip(RESPCommands(commands), timeout: timeout)
    }

    // MARK: - Helpers

    /// The description used in errors: the command name, and the key for common data commands.
    func describe(_ command: RESPCommands) -> String? {
        RedisCommandDescription.describe(command.arguments(ofCommand: 0))
    }
}
