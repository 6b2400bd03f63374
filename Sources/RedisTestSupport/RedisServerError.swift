/// A failure to start or control a test ``RedisServer``.
public struct RedisServerError: Error, Sendable, CustomStringConvertible {
    /// The broad kind of a ``RedisServerError``; a struct over a private enum so codes can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case binaryNotFound
            case setupFailed
            case launchFailed
            case notReady
        }

        private let wrapped: Wrapped

        private init(_ wrapped: Wrapped) {
            self.wrapped = wrapped
        }

        /// No `redis-server` executable was found in `PATH`, `/usr/bin`, `/usr/sbin` or `/usr/local/bin`.
        public static let binaryNotFound = Code(.binaryNotFound)

        /// The temporary directory, configuration file or a free port could not be set up.
        public static let setupFailed = Code(.setupFailed)

        /// `redis-server` could not be launched, or exited right away.
        public static let launchFailed = Code(.launchFailed)

        /// `redis-server` did not answer `PING` in time.
        public static let notReady = Code(.notReady)

        /// A short lowercase name, such as `not ready`.
        public var description: String {
            switch wrapped {
            case .binaryNotFound: "binary not found"
            case .setupFailed: "setup failed"
            case .launchFailed: "launch failed"
            case .notReady: "not ready"
            }
        }
    }

    /// The broad kind of failure.
    public var code: Code

    /// What went wrong, including the end of the server's log when there is one.
    public var message: String

    /// Whether the server exited because another process took its port; ``RedisServer/start(configuration:)``
    /// then tries another one.
    var isPortTaken = false

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The broad kind of failure.
    ///   - message: What went wrong.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The code followed by the message.
    public var description: String {
        "\(code): \(message)"
    }
}
