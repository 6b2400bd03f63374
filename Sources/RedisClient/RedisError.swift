/// An error from ``RedisConnection`` or ``RedisConfiguration``.
///
/// Every error has a broad ``code-swift.property`` to switch on, a ``message`` written for the person
/// reading a log, and, for errors the server replied with, the ``serverMessage`` verbatim.
///
/// Errors fall into two families:
/// - transport errors (``isTransport`` is `true`): the connection was refused, timed out, closed or
///   broke. The connection is re-established by the next call. A command that timed out may still
///   have run on the server, so it is never retried automatically.
/// - server errors: Redis received the command and refused it (`WRONGTYPE`, `NOSCRIPT`, `NOAUTH`…).
///   The connection stays usable.
///
/// A password never appears in an error: ``command`` holds only the command name (and the key
/// for common data commands), never the arguments of `AUTH`.
///
/// ```swift
/// do {
///     try await connection.send(["LPUSH", "name", "x"])
/// } catch let error where error.code == .wrongType {
///     // "name" holds a string, not a list
/// }
/// ```
public struct RedisError: Error, Sendable, CustomStringConvertible {
    /// The broad kind of failure.
    public var code: Code

    /// What went wrong, for a person to read.
    public var message: String

    /// The command that failed, such as `"GET"` or `"GET user:1"`; `nil` when no command was involved.
    public var command: String?

    /// The error reply of the server, verbatim, when the server refused a command.
    public var serverMessage: String?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The broad kind of failure.
    ///   - message: What went wrong, for a person to read. Must not contain a password.
    ///   - command: The command that failed: its name, and the key when that helps.
    ///   - serverMessage: The error reply of the server, verbatim.
    public init(code: Code, message: String, command: String? = nil, serverMessage: String? = nil) {
        self.code = code
        self.message = message
        self.command = command
        self.serverMessage = serverMessage
    }

    /// Whether the connection itself failed (refused, timed out, closed, broken or garbled),
    /// as opposed to the server refusing a command.
    ///
    /// After a transport error the next call on the same ``RedisConnection`` reconnects.
    public var isTransport: Bool {
        code.isTransport
    }

    /// The code followed by the message, such as `timed out: GET user:1: no reply from 127.0.0.1:6379 within 5 s`.
    public var description: String {
        "\(code): \(message)"
    }
}
