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
        try await evaluate(script, keys: keys.map { Array($0.utf8) }, arguments: arguments.map { Array($0.utf8) })
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
        let tail = [Array(String(keys.count).utf8)] + keys + arguments
        let bySHA = [Array("EVALSHA".utf8), Array(script.sha1.utf8)] + tail
        let bySource = [Array("EVAL".utf8), Array(script.source.utf8)] + tail
        // Both attempts run in one queue job, so no other caller's command slips in between.
        let reply = try await onQueue { session throws(RedisError) -> RedisReply in
            self.countRoundTrip()
            let first = try session.roundTrip([bySHA])[0]
            guard case .error(let message) = first, RedisError.classify(serverReply: message) == .noScript else {
                return first
            }
            self.countRoundTrip()
            return try session.roundTrip([bySource])[0]
        }
        if case .error(let message) = reply {
            throw RedisError(serverReply: message, command: "EVALSHA \(script.sha1.prefix(12))")
        }
        return reply
    }
}
