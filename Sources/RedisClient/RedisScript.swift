/// A Lua script run with ``RedisConnection/evaluate(_:keys:arguments:)-(_,[String],[String])``.
///
/// The SHA-1 digest of the source is computed once, when the script is created. Evaluation sends
/// `EVALSHA` with the digest, so the source crosses the network only when the server does not know
/// it yet (first use, after a restart or `SCRIPT FLUSH`).
///
/// ```swift
/// let compareAndDelete = RedisScript("""
///     if redis.call('GET', KEYS[1]) == ARGV[1] then
///         return redis.call('DEL', KEYS[1])
///     end
///     return 0
///     """)
/// let deleted = try await connection.evaluate(compareAndDelete, keys: ["lock"], arguments: [token])
/// ```
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String

    /// The SHA-1 digest of ``source`` as 40 lowercase hex digits: the name Redis knows the script by.
    public let sha1: String

    /// Creates a script from its Lua source.
    ///
    /// - Parameter source: The Lua source, as passed to `EVAL`.
    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(of: Array(source.utf8))
    }
}
