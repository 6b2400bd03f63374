internal import CHiredis

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A thin, blocking wrapper around one hiredis `redisContext`.
///
/// This is the only type that calls hiredis functions on a context. It is deliberately not `Sendable`:
/// hiredis is not thread-safe, and ``HiredisSession`` confines every context to the thread of its
/// ``RedisConnection``. The context must be released with ``free()`` exactly once.
struct HiredisContext {
    private let pointer: UnsafeMutablePointer<redisContext>
    private let endpoint: RedisConfiguration.Endpoint

    // MARK: - Connecting

    /// Opens a connection, waiting at most `timeout`.
    ///
    /// - Throws: A transport ``RedisError``: refused, timed out or I/O.
    static func connect(to endpoint: RedisConfiguration.Endpoint, timeout: Duration) throws(RedisError)
        -> HiredisContext
    {
        BrokenPipeSignal.ignore()
        let pointer: UnsafeMutablePointer<redisContext>?
        switch endpoint {
        case .tcp(let host, let port):
            pointer = redisConnectWithTimeout(host, Int32(clamping: port), timeout.hiredisTimeval)
        case .unix(let path):
            pointer = redisConnectUnixWithTimeout(path, timeout.hiredisTimeval)
        }
        guard let pointer else {
            throw RedisError(code: .io, message: "could not allocate a hiredis context for \(endpoint)")
        }
        let context = HiredisContext(pointer: pointer, endpoint: endpoint)
        if let error = context.transportError(command: nil, connecting: true) {
            context.free()
            throw error
        }
        return context
    }

    /// Closes the socket and frees the context. The value must not be used afterwards.
    func free() {
        redisFree(pointer)
    }

    // MARK: - Socket options

    /// Sets the send and receive timeout of the socket; `nil` waits forever.
    func setTimeout(_ timeout: Duration?) throws(RedisError) {
        let forever = timeval(tv_sec: 0, tv_usec: 0)  // hiredis reads zero as "no timeout"
        if redisSetTimeout(pointer, timeout?.hiredisTimeval ?? forever) != REDIS_OK {
            throw transportError(command: nil)
                ?? RedisError(code: .io, message: "could not set the socket timeout for \(endpoint)")
        }
    }

    /// Enables TCP keep-alive probes.
    func enableKeepAlive() throws(RedisError) {
        if redisEnableKeepAlive(pointer) != REDIS_OK {
            throw transportError(command: nil)
                ?? RedisError(code: .io, message: "could not enable TCP keep-alive for \(endpoint)")
        }
    }

    // MARK: - Commands

    /// Writes all commands, encoded once, and reads one reply for each: a single network round trip.
    ///
    /// Error replies are returned as ``RedisReply/error(_:)``. Arguments carry explicit lengths, so they
    /// may contain any bytes.
    ///
    /// - Throws: A transport ``RedisError``; the context is then unusable and must be freed.
    func roundTrip(_ commands: RESPCommands) throws(RedisError) -> [RedisReply] {
        let status = commands.bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { text in
                redisAppendFormattedCommand(pointer, text.baseAddress, text.count)
            }
        }
        if status != REDIS_OK {
            throw failure(commands, at: 0)
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for index in 0..<commands.count {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(pointer, &raw) == REDIS_OK, let raw else {
                throw Self.lastWord(of: replies, commands) ?? failure(commands, at: index)
            }
            replies.append(RedisReply(copying: raw.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(raw)
        }
        return replies
    }

    /// The error the server sent just before it closed the connection, if that is why the pipeline broke.
    ///
    /// Redis answers a command it cannot parse (or a large one from a client that has not authenticated)
    /// with `ERR Protocol error: …` and then closes the connection, so the rest of the pipeline reads end
    /// of file. That reply, not the end of file, says what went wrong.
    private static func lastWord(of replies: [RedisReply], _ commands: RESPCommands) -> RedisError? {
        guard let index = replies.indices.last, case .error(let message) = replies[index],
            message.hasPrefix("ERR Protocol error")
        else { return nil }
        return RedisError(
            serverReply: message, command: RedisCommandDescription.describe(commands.arguments(ofCommand: index)))
    }

    private func failure(_ commands: RESPCommands, at index: Int) -> RedisError {
        let description = RedisCommandDescription.describe(commands.arguments(ofCommand: index))
        return transportError(command: description)
            ?? RedisError(code: .io, message: "hiredis failed without reporting why", command: description)
    }
}

// MARK: - Errors

extension HiredisContext {
    /// The error hiredis recorded on the context, classified; `nil` if there is none.
    ///
    /// - Parameters:
    ///   - command: The description of the command that failed, if any.
    ///   - connecting: Whether the error happened while establishing the connection.
    fileprivate func transportError(command: String?, connecting: Bool = false) -> RedisError? {
        let code = pointer.pointee.err
        guard code != 0 else {
            return nil
        }
        let text = withUnsafeBytes(of: pointer.pointee.errstr) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        return RedisError(
            hiredisError: code,
            text: text,
            command: command,
            endpoint: endpoint,
            connecting: connecting
        )
    }
}
