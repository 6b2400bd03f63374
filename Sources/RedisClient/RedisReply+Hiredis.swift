internal import CHiredis

extension RedisReply {
    /// Copies a hiredis reply, and all its elements, into Swift values.
    ///
    /// The caller still owns `reply` and must free it with `freeReplyObject` right after.
    ///
    /// Types beyond RESP2 only exist in hiredis 1.x and only arrive after `HELLO 3`, which this client
    /// never sends; they are still mapped so a reply is never lost: double, big number and verbatim
    /// string become ``bulk(_:)``, boolean becomes ``integer(_:)``, map, set and push become ``array(_:)``.
    init(copying reply: UnsafePointer<redisReply>) {
        let type = reply.pointee.type
        switch type {
        case REDIS_REPLY_STRING:
            self = .bulk(Self.bytes(of: reply))
        case REDIS_REPLY_STATUS:
            self = .status(String(decoding: Self.bytes(of: reply), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            self = .error(String(decoding: Self.bytes(of: reply), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(reply.pointee.integer))
        case REDIS_REPLY_NIL:
            self = .null
        case REDIS_REPLY_ARRAY, Self.hiredisMap, Self.hiredisSet, Self.hiredisPush:
            self = .array(Self.elements(of: reply))
        case Self.hiredisBool:
            self = .integer(Int64(reply.pointee.integer))
        default:
            // REDIS_REPLY_DOUBLE, REDIS_REPLY_BIGNUM, REDIS_REPLY_VERB and anything newer carry text.
            self = reply.pointee.str == nil ? .null : .bulk(Self.bytes(of: reply))
        }
    }

    // MARK: - hiredis 1.x reply types (absent from the 0.14 headers)

    private static let hiredisMap: Int32 = 9
    private static let hiredisSet: Int32 = 10
    private static let hiredisPush: Int32 = 12
    private static let hiredisBool: Int32 = 8

    // MARK: - Copying

    private static func bytes(of reply: UnsafePointer<redisReply>) -> [UInt8] {
        guard let pointer = reply.pointee.str, reply.pointee.len > 0 else {
            return []
        }
        let buffer = UnsafeRawBufferPointer(start: pointer, count: Int(reply.pointee.len))
        return Array(buffer)
    }

    private static func elements(of reply: UnsafePointer<redisReply>) -> [RedisReply] {
        guard let elements = reply.pointee.element else {
            return []
        }
        return (0..<Int(reply.pointee.elements)).map { index in
            guard let element = elements[index] else {
                return .null
            }
            return RedisReply(copying: element)
        }
    }
}
