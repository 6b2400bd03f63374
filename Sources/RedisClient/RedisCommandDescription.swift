/// Describes a command for errors and logs without leaking its values.
///
/// The description is the command name in upper case, followed by the key for common data commands
/// whose first argument is a key (`"GET user:1"`). Other arguments never appear, so neither the
/// password of `AUTH`, `HELLO` or `MIGRATE` nor stored values can end up in an error message.
enum RedisCommandDescription {
    /// The longest command name or key printed; longer ones are cut with an ellipsis.
    private static let maximumLength = 64

    /// Commands whose first argument is a key that is safe and useful to show.
    private static let keyedCommands: Set<String> = [
        "APPEND", "BLMOVE", "BLPOP", "BRPOP", "BZPOPMAX", "BZPOPMIN", "DECR", "DECRBY", "DEL", "DUMP", "EXISTS",
        "EXPIRE", "EXPIREAT", "GET", "GETDEL", "GETEX", "GETRANGE", "GETSET", "HDEL", "HEXISTS", "HGET",
        "HGETALL", "HINCRBY", "HINCRBYFLOAT", "HKEYS", "HLEN", "HMGET", "HMSET", "HSCAN", "HSET", "HSETNX",
        "HVALS", "INCR", "INCRBY", "INCRBYFLOAT", "LINDEX", "LINSERT", "LLEN", "LMOVE", "LPOP", "LPOS", "LPUSH",
        "LPUSHX", "LRANGE", "LREM", "LSET", "LTRIM", "MGET", "PERSIST", "PEXPIRE", "PEXPIREAT", "PTTL", "RENAME",
        "RPOP", "RPOPLPUSH", "RPUSH", "RPUSHX", "SADD", "SCARD", "SET", "SETEX", "SETNX", "SETRANGE",
        "SISMEMBER", "SMEMBERS", "SMOVE", "SPOP", "SRANDMEMBER", "SREM", "SSCAN", "STRLEN", "TTL", "TYPE",
        "UNLINK", "WATCH", "XACK", "XADD", "XAUTOCLAIM", "XCLAIM", "XDEL", "XLEN", "XPENDING", "XRANGE",
        "XREVRANGE", "XTRIM", "ZADD", "ZCARD", "ZCOUNT", "ZINCRBY", "ZPOPMAX", "ZPOPMIN", "ZRANGE",
        "ZRANGEBYSCORE", "ZRANK", "ZREM", "ZREVRANGE", "ZREVRANK", "ZSCAN", "ZSCORE", "PSETEX", "PFADD",
        "PFCOUNT", "GETBIT", "SETBIT", "BITCOUNT",
    ]

    /// Describes a command given as its arguments, such as `["GET", "user:1"]` → `"GET user:1"`.
    ///
    /// - Parameter arguments: The command and its arguments.
    /// - Returns: The description, or `nil` for an empty command.
    static func describe(_ arguments: [[UInt8]]) -> String? {
        guard let first = arguments.first else {
            return nil
        }
        let name = printable(first).uppercased()
        guard keyedCommands.contains(name), arguments.count > 1 else {
            return name
        }
        return "\(name) \(printable(arguments[1]))"
    }

    /// Decodes bytes as UTF-8 (replacing invalid sequences), replaces control characters and
    /// shortens the result to ``maximumLength`` characters.
    private static func printable(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(maximumLength * 4), as: UTF8.self)
        var result = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }
            )
        )
        if result.count > maximumLength {
            result = String(result.prefix(maximumLength)) + "…"
        }
        return result
    }
}
