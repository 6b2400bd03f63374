extension RedisError {
    /// The broad kind of a ``RedisError``.
    ///
    /// A struct over a private enum, so that new codes can be added without breaking anyone's
    /// exhaustive `switch`: compare with `==` or match with `case .wrongType`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case invalidURL
            case invalidCommand
            case connectionRefused
            case timedOut
            case connectionClosed
            case io
            case protocolError
            case authenticationFailed
            case wrongType
            case noScript
            case readOnly
            case loading
            case busy
            case server
            case unexpectedReply
        }

        private let wrapped: Wrapped

        private init(_ wrapped: Wrapped) {
            self.wrapped = wrapped
        }

        // MARK: - Configuration

        /// A Redis URL could not be parsed.
        public static let invalidURL = Code(.invalidURL)

        /// A command was malformed before it was sent, such as an empty argument list.
        public static let invalidCommand = Code(.invalidCommand)

        // MARK: - Transport

        /// Nothing accepted the connection: no server on that port or socket path.
        public static let connectionRefused = Code(.connectionRefused)

        /// Connecting, or waiting for a reply, took longer than the configured timeout.
        public static let timedOut = Code(.timedOut)

        /// The server closed the connection, or the connection was closed by ``RedisConnection/close()``.
        public static let connectionClosed = Code(.connectionClosed)

        /// Reading from or writing to the socket failed, or the host could not be resolved.
        public static let io = Code(.io)

        /// The server sent bytes that are not valid RESP.
        public static let protocolError = Code(.protocolError)

        // MARK: - Server replies

        /// The server refused the credentials (`WRONGPASS`, `invalid password`) or wants some (`NOAUTH`).
        public static let authenticationFailed = Code(.authenticationFailed)

        /// `WRONGTYPE`: the key holds a value of another type.
        public static let wrongType = Code(.wrongType)

        /// `NOSCRIPT`: the server does not know the script SHA; the script did not run.
        public static let noScript = Code(.noScript)

        /// `READONLY`: the server is a read-only replica.
        public static let readOnly = Code(.readOnly)

        /// `LOADING`: the server is loading its dataset into memory.
        public static let loading = Code(.loading)

        /// `BUSY`: a script or function is running and blocks the server.
        public static let busy = Code(.busy)

        /// Any other error reply from the server, such as `ERR unknown command`.
        public static let server = Code(.server)

        /// The server replied with something the caller did not expect, such as an integer instead of `OK`.
        public static let unexpectedReply = Code(.unexpectedReply)

        // MARK: - Classification

        /// Whether this code means the connection failed rather than the server refusing a command.
        var isTransport: Bool {
            switch wrapped {
            case .connectionRefused, .timedOut, .connectionClosed, .io, .protocolError:
                return true
            case .invalidURL, .invalidCommand, .authenticationFailed, .wrongType, .noScript, .readOnly, .loading, .busy,
                .server,
                .unexpectedReply:
                return false
            }
        }

        /// A short lowercase name, such as `wrong type`.
        public var description: String {
            switch wrapped {
            case .invalidURL: "invalid URL"
            case .invalidCommand: "invalid command"
            case .connectionRefused: "connection refused"
            case .timedOut: "timed out"
            case .connectionClosed: "connection closed"
            case .io: "I/O error"
            case .protocolError: "protocol error"
            case .authenticationFailed: "authentication failed"
            case .wrongType: "wrong type"
            case .noScript: "no script"
            case .readOnly: "read only"
            case .loading: "loading"
            case .busy: "busy"
            case .server: "server error"
            case .unexpectedReply: "unexpected reply"
            }
        }
    }
}
