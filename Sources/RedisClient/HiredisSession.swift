/// The connection state of one ``RedisConnection``: its hiredis context, if any.
///
/// Only ever used on the thread of its connection (it lives in a `Mutex` that is locked only there).
/// It owns the poisoning rule: after any transport error the context is freed and
/// the next call connects again, re-applying the timeout, keep-alive, `AUTH` and `SELECT`.
struct HiredisSession {
    /// What to connect to and how.
    let configuration: RedisConfiguration

    /// The open context; `nil` before the first connection, after a transport error and after closing.
    private var context: HiredisContext?

    /// Creates a session that is not connected yet.
    init(configuration: RedisConfiguration) {
        self.configuration = configuration
    }

    // MARK: - Connecting

    /// Drops any current context and connects afresh: socket, timeouts, keep-alive, `AUTH`, `SELECT`.
    ///
    /// `AUTH` and `SELECT` go out together, in one round trip.
    mutating func connect() throws(RedisError) {
        disconnect()
        let fresh = try HiredisContext.connect(to: configuration.endpoint, timeout: configuration.connectTimeout)
        do {
            try fresh.setTimeout(configuration.commandTimeout)
            if configuration.keepAlive, case .tcp = configuration.endpoint {
                try fresh.enableKeepAlive()
            }
            try handshake(on: fresh)
        } catch {
            fresh.free()
            throw error
        }
        context = fresh
    }

    /// Closes and frees the current context, if any.
    mutating func disconnect() {
        context?.free()
        context = nil
    }

    private func handshake(on context: HiredisContext) throws(RedisError) {
        var commands: [[String]] = []
        let authenticates = configuration.username != nil || configuration.password != nil
        if authenticates {
            commands.append(["AUTH"] + [configuration.username].compactMap { $0 } + [configuration.password ?? ""])
        }
        if configuration.database != 0 {
            commands.append(["SELECT", String(configuration.database)])
        }
        guard !commands.isEmpty else {
            return
        }
        let replies = try context.roundTrip(RESPCommands(commands))
        if authenticates {
            try checkAuthentication(replies[0])
        }
        if configuration.database != 0, let reply = replies.last {
            if case .error(let message) = reply {
                throw RedisError(serverReply: message, command: "SELECT \(configuration.database)")
            }
        }
    }

    private func checkAuthentication(_ reply: RedisReply) throws(RedisError) {
        switch reply {
        case .status:
            return
        case .error(let message):
            let scrubbed = redacting(message)
            var error = RedisError(serverReply: scrubbed, command: "AUTH")
            error.code = .authenticationFailed
            let user = configuration.username.map { "as user \($0) " } ?? ""
            error.message =
                "authenticating \(user)with \(configuration.endpoint) failed: the server replied \(scrubbed)"
            throw error
        case .integer, .bulk, .null, .array:
            throw RedisError.unexpectedReply(reply, expected: "OK", command: "AUTH")
        }
    }

    /// Replaces the configured password in server text with `***`, in case a server ever echoes it.
    private func redacting(_ text: String) -> String {
        guard let password = configuration.password, !password.isEmpty else {
            return text
        }
        return text.split(separator: password, omittingEmptySubsequences: false).joined(separator: "***")
    }

    // MARK: - Commands

    /// Sends `commands` in one round trip, connecting first if needed, and returns one reply each.
    ///
    /// - Parameters:
    ///   - commands: The commands; must not be empty.
    ///   - timeout: A reply timeout for this call only, instead of the configured one; `nil` keeps it.
    /// - Throws: A transport ``RedisError``; the context is then dropped, and the next call reconnects.
    ///   Server error replies are returned as ``RedisReply/error(_:)``, not thrown.
    mutating func roundTrip(_ commands: RESPCommands, timeout: Duration? = nil) throws(RedisError) -> [RedisReply] {
        if context == nil {
            try connect()
        }
        guard let context else {
            preconditionFailure("connect() returned without a context")
        }
        do {
            if let timeout {
                try context.setTimeout(timeout)
            }
            let replies = try context.roundTrip(commands)
            if timeout != nil {
                try context.setTimeout(configuration.commandTimeout)
            }
            return replies
        } catch {
            // The context is poisoned: hiredis set `err`, and a late reply could arrive for the wrong call.
            disconnect()
            throw error
        }
    }
}
