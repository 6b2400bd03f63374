/// A reply from the Redis server, copied out of hiredis into plain Swift values.
///
/// Every reply is copied as soon as hiredis returns it and the C reply object is freed at once,
/// so a `RedisReply` is an ordinary value: it can be stored, compared and sent across tasks.
///
/// ```swift
/// let reply = try await connection.send(["GET", "greeting"])
/// if let text = reply.string {
///     print(text)
/// }
/// ```
///
/// Server error replies are normally thrown as ``RedisError`` by ``RedisConnection``'s `send`;
/// they appear as ``error(_:)`` only inside the results of a pipeline.
public enum RedisReply: Sendable, Equatable {
    /// A simple string reply, such as `OK` or `PONG`.
    case status(String)

    /// An error reply, such as `WRONGTYPE Operation against a key holding the wrong kind of value`.
    case error(String)

    /// An integer reply.
    case integer(Int64)

    /// A bulk string reply holding arbitrary bytes, which need not be valid UTF-8.
    case bulk([UInt8])

    /// A null reply: a missing key, a timed-out blocking pop, an aborted transaction.
    case null

    /// An array reply whose elements are replies themselves.
    case array([RedisReply])
}

// MARK: - Conveniences

extension RedisReply {
    /// The text of a status reply, or a bulk reply decoded as UTF-8; `nil` for any other reply
    /// and for bulk replies that are not valid UTF-8.
    public var string: String? {
        switch self {
        case .status(let text):
            return text
        case .bulk(let bytes):
            return String(validating: bytes, as: UTF8.self)
        case .error, .integer, .null, .array:
            return nil
        }
    }

    /// The bytes of a bulk reply, or the UTF-8 bytes of a status reply; `nil` for any other reply.
    public var bytes: [UInt8]? {
        switch self {
        case .bulk(let bytes):
            return bytes
        case .status(let text):
            return Array(text.utf8)
        case .error, .integer, .null, .array:
            return nil
        }
    }

    /// The value of an integer reply; `nil` for any other reply.
    ///
    /// Bulk replies are not parsed: `GET` of a counter returns `.bulk`, use `Int64(reply.string ?? "")`.
    public var int: Int64? {
        if case .integer(let value) = self {
            return value
        }
        return nil
    }

    /// The elements of an array reply; `nil` for any other reply.
    public var array: [RedisReply]? {
        if case .array(let elements) = self {
            return elements
        }
        return nil
    }

    /// Whether this is the null reply.
    public var isNull: Bool {
        self == .null
    }

    /// The message of an error reply; `nil` for any other reply.
    public var errorMessage: String? {
        if case .error(let message) = self {
            return message
        }
        return nil
    }
}

// MARK: - Summaries

extension RedisReply {
    /// A short description for error messages; bulk values are summarised, never printed whole.
    var summary: String {
        switch self {
        case .status(let text):
            return "status \(text)"
        case .error(let message):
            return "error \(message)"
        case .integer(let value):
            return "integer \(value)"
        case .bulk(let bytes):
            return "a bulk string of \(bytes.count) bytes"
        case .null:
            return "null"
        case .array(let elements):
            return "an array of \(elements.count) elements"
        }
    }
}
