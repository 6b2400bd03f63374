internal import CHiredis

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension RedisError {
    /// `REDIS_ERR_TIMEOUT`, defined by hiredis 1.x only; 0.14 reports timeouts as `REDIS_ERR_IO` with `EAGAIN`.
    private static let hiredisTimeout: Int32 = 6

    /// Classifies the error hiredis recorded on a context (`err` and `errstr`).
    ///
    /// hiredis fills `errstr` with `strerror(errno)` for I/O errors, so the text is matched against
    /// `strerror` of the interesting `errno` values rather than trusting `errno` itself, which later
    /// clean-up calls may have overwritten.
    ///
    /// - Parameters:
    ///   - code: `context->err`.
    ///   - text: `context->errstr`.
    ///   - command: The description of the command that failed, if any.
    ///   - endpoint: Where the connection goes, for the message.
    ///   - connecting: Whether the error happened while establishing the connection.
    init(
        hiredisError code: Int32,
        text: String,
        command: String?,
        endpoint: RedisConfiguration.Endpoint,
        connecting: Bool
    ) {
        let errorCode: Code
        let explanation: String
        switch code {
        case REDIS_ERR_EOF:
            errorCode = .connectionClosed
            explanation = "the server at \(endpoint) closed the connection"
        case REDIS_ERR_PROTOCOL:
            errorCode = .protocolError
            explanation = "the server at \(endpoint) sent an invalid reply"
        case Self.hiredisTimeout:
            errorCode = .timedOut
            explanation = Self.timeoutExplanation(endpoint: endpoint, connecting: connecting)
        case REDIS_ERR_IO:
            (errorCode, explanation) = Self.classifyIO(text, endpoint: endpoint, connecting: connecting)
        default:
            // REDIS_ERR_OTHER (such as an unresolvable host name) and REDIS_ERR_OOM.
            errorCode = .io
            explanation = connecting ? "could not connect to \(endpoint)" : "the connection to \(endpoint) failed"
        }
        let subject = command.map { "\($0): " } ?? ""
        self.init(code: errorCode, message: "\(subject)\(explanation) (\(text))", command: command)
    }

    private static func timeoutExplanation(endpoint: RedisConfiguration.Endpoint, connecting: Bool) -> String {
        connecting ? "connecting to \(endpoint) timed out" : "no reply from \(endpoint) within the timeout"
    }

    private static func classifyIO(_ text: String, endpoint: RedisConfiguration.Endpoint, connecting: Bool)
        -> (Code, String)
    {
        func matches(_ number: Int32) -> Bool {
            text.hasSuffix(String(cString: strerror(number)))
        }
        if matches(ECONNREFUSED) || (connecting && matches(ENOENT)) {
            return (.connectionRefused, "nothing accepted the connection at \(endpoint)")
        }
        if matches(ETIMEDOUT) || matches(EAGAIN) || matches(EWOULDBLOCK) || matches(EINPROGRESS) {
            return (.timedOut, timeoutExplanation(endpoint: endpoint, connecting: connecting))
        }
        if matches(ECONNRESET) || matches(EPIPE) || matches(ENOTCONN) {
            return (.connectionClosed, "the connection to \(endpoint) was reset")
        }
        let explanation =
            connecting ? "could not connect to \(endpoint)" : "reading from or writing to \(endpoint) failed"
        return (.io, explanation)
    }
}
