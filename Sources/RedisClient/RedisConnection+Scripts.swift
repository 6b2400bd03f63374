// MARK: - Lua scripts

extension RedisConnection {
    /// Runs a Lua script by its SHA-1 (`EVALSHA`), sending the source (`EVAL`) only if the server
    /// does not know the script.
    ///
    /// A `NOSCRIPT` reply means the script did not run, so falling back to `EVAL` is safe; `EVAL`
    /// also caches the script on the server for the next call. This handles a restarted server and
    /// `SCRIPT FLUSH` transparently.
    ///
    /// - Parameters:
    ///   - script: The script.
    ///   - keys: The keys, available to the script as `KEYS`; none by default.
    ///   - arguments: The other arguments, available as `ARGV`; none by default.
    /// - Returns: The script's reply.
    /// - Throws: ``RedisError``: the script's error (code ``RedisError/Code-swift.struct/server`` for
    ///   `ERR Error running script…`, or the code of the error the script raised), or a transport error.
    public func evaluate(_ script: RedisScript, keys: [String] = [], arguments: [String] = []) async throws(RedisError)
        -> RedisReply
    {
        try await evaluate(script, encodingKeys: keys, arguments: arguments)
    }

    /// Runs a Lua script with keys and arguments given as raw bytes.
    ///
    /// - Parameters:
    ///   - script: The script.
    ///   - keys: The keys, as bytes.
    ///   - arguments: The other arguments, as bytes.
    /// - Returns: The script's reply.
    /// - Throws: ``RedisError``, as ``evaluate(_:keys:arguments:)-(_,[String],[String])`` does.
    public func evaluate(_ script: RedisScript, keys: [[UInt8]], arguments: [[UInt8]]) async throws(RedisError)
        -> RedisReply
    {
        try await evaluate(script, encodingKeys: keys, arguments: arguments)
    }

    /// Runs `script` with `keys` and `arguments`, encoded as text or bytes.
    private func evaluate<Argument: RESPArgument>(
        _ script: RedisScript, encodingKeys keys: [Argument], arguments: [Argument]
    ) async throws(RedisError) -> RedisReply {
        let bySHA = Self.scriptCall("EVALSHA", script.sha1, keys: keys, arguments: arguments)
        // Both attempts run in one visit to the connection's thread, so no other caller's command slips in
        // between; the source is encoded only if the server does not know the script.
        let reply = try await onConnectionThread { session throws(RedisError) -> RedisReply in
            self.countRoundTrip()
            let first = try session.roundTrip(bySHA)[0]
            guard case .error(let message) = first, RedisError.classify(serverReply: message) == .noScript else {
                return first
            }
            self.countRoundTrip()
            let bySource = Self.scriptCall("EVAL", script.source, keys: keys, arguments: arguments)
            return try session.roundTrip(bySource)[0]
        }
        if case .error(let message) = reply {
            throw RedisError(serverReply: message, command: "EVALSHA \(script.sha1.prefix(12))")
        }
        return reply
    }

    /// `EVALSHA <sha1>` or `EVAL <source>`, then the key count, the keys and the arguments, encoded.
    private static func scriptCall<Argument: RESPArgument>(
        _ command: String, _ script: String, keys: [Argument], arguments: [Argument]
    ) -> RESPCommands {
        var encoded = RESPCommands(reservingCapacity: 256 + script.utf8.count)
        encoded.appendHeader(arguments: 3 + keys.count + arguments.count)
        encoded.appendArgument(command)
        encoded.appendArgument(script)
        encoded.appendArgument(String(keys.count))
        for key in keys {
            encoded.appendArgument(key)
        }
        for argument in arguments {
            encoded.appendArgument(argument)
        }
        return encoded
    }
}
