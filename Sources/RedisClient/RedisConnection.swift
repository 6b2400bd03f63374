import Synchronization

/// One connection to a Redis server, safe to share between tasks.
///
/// ```swift
/// let connection = try await RedisConnection(configuration: .fromEnvironment())
/// try await connection.send(["SET", "greeting", "hello"])
/// let greeting = try await connection.send(["GET", "greeting"]).string
/// ```
///
/// ## Threading
///
/// hiredis is blocking and not thread-safe, so every hiredis call of a connection runs on a thread the
/// connection owns (its ``executor``), never on Swift's cooperative thread pool. The calling task moves to
/// that thread for the call and back, rather than handing the call over and waiting. Calls from many tasks
/// queue and run one after another, each a complete request and reply. Use several connections for
/// parallelism. Task cancellation does not interrupt a command in flight; the command timeout bounds how
/// long one can take.
///
/// ## Failures and reconnection
///
/// A server error reply (`WRONGTYPE`, `NOSCRIPT`…) is thrown as a ``RedisError`` and leaves the
/// connection usable. A transport failure (connection refused, timed out, closed by the server, broken)
/// is thrown too, and the connection is dropped; the next call connects again and re-applies the
/// timeout, keep-alive, `AUTH` and `SELECT`. The failed call is never retried: a command that timed out
/// may still have run on the server.
///
/// ## Topics
///
/// ### Sending commands
/// - ``send(_:timeout:)-([String],_)``
/// - ``send(_:timeout:)-([[UInt8]],_)``
/// - ``pipeline(_:timeout:)-([[String]],_)``
/// - ``pipeline(_:timeout:)-([[[UInt8]]],_)``
/// - ``evaluate(_:keys:arguments:)-(_,[String],[String])``
/// - ``evaluate(_:keys:arguments:)-(_,[[UInt8]],[[UInt8]])``
///
/// ### Managing the connection
/// - ``reconnect()``
/// - ``close()``
/// - ``roundTrips``
/// - ``executor``
public final class RedisConnection: Sendable {
    /// The configuration this connection was opened with.
    public let configuration: RedisConfiguration

    /// The thread that runs every hiredis call of this connection, one at a time, off the cooperative pool.
    ///
    /// A task that makes many calls in a row can run under `withTaskExecutorPreference(connection.executor)`,
    /// so that no call has to move it to the thread and back; see ``RedisConnectionExecutor``.
    public let executor: RedisConnectionExecutor

    /// The hiredis context. Locked only on the executor's thread, so the lock is never contended; it makes
    /// the confinement explicit and the class `Sendable` without `@unchecked`.
    private let session: Mutex<HiredisSession>

    /// Bookkeeping readable from any thread without waiting for the connection's thread.
    private let status = Mutex(Status())

    private struct Status {
        var isClosed = false
        var roundTrips = 0
    }

    // MARK: - Opening and closing

    /// Connects to the server, then applies the command timeout and keep-alive and sends `AUTH` and
    /// `SELECT` as configured.
    ///
    /// - Parameter configuration: Where the server is and how to talk to it.
    /// - Throws: ``RedisError``: a transport error if the server cannot be reached,
    ///   ``RedisError/Code-swift.struct/authenticationFailed`` if the credentials are refused.
    public init(configuration: RedisConfiguration) async throws(RedisError) {
        self.configuration = configuration
        self.executor = RedisConnectionExecutor()
        self.session = Mutex(HiredisSession(configuration: configuration))
        // If this throws, deinit still runs and ends the thread.
        try await onConnectionThread { session throws(RedisError) in
            try session.connect()
        }
    }

    deinit {
        session.withLock { $0.disconnect() }
        executor.stop {}
    }

    /// Drops the current connection, if any, and connects again.
    ///
    /// Calls reconnect by themselves after a transport error; use this to move to a restarted server
    /// eagerly or to check that the server is reachable.
    ///
    /// - Throws: ``RedisError``, as ``init(configuration:)`` does;
    ///   ``RedisError/Code-swift.struct/connectionClosed`` after ``close()``.
    public func reconnect() async throws(RedisError) {
        try await onConnectionThread { session throws(RedisError) in
            try session.connect()
        }
    }

    /// Closes the connection. Idempotent; later calls throw ``RedisError/Code-swift.struct/connectionClosed``.
    ///
    /// A call already running finishes first; the socket is closed right after it.
    public func close() {
        let wasClosed = status.withLock { status in
            defer { status.isClosed = true }
            return status.isClosed
        }
        guard !wasClosed else {
            return
        }
        executor.stop { [weak self] in
            // Without `self`, deinit has disconnected already.
            self?.session.withLock { $0.disconnect() }
        }
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool {
        status.withLock { $0.isClosed }
    }

    /// How many network round trips this connection has made for its callers: one for each command
    /// sent with `send`, one for each pipeline, one or two for each `evaluate`.
    ///
    /// The `AUTH` and `SELECT` sent while (re)connecting are not counted. Useful in tests and benchmarks.
    public var roundTrips: Int {
        status.withLock { $0.roundTrips }
    }

    // MARK: - Running on the connection's thread

    /// Runs `work` on the connection's thread with exclusive access to the session.
    ///
    /// The calling task moves to the thread for the call (unless it already runs there, preferring
    /// ``executor``) and the runtime moves it back to its own executor when the call returns, so the
    /// caller's code never holds up the connection (a test checks this).
    ///
    /// - Throws: ``RedisError/Code-swift.struct/connectionClosed`` if the connection was closed, or what
    ///   `work` throws.
    func onConnectionThread<Value: Sendable>(
        _ work: @Sendable (inout HiredisSession) throws(RedisError) -> Value
    ) async throws(RedisError) -> Value {
        let result = await withTaskExecutorPreference(executor) {
            await runOnThread(work)
        }
        return try result.get()
    }

    /// Runs `work` under the session lock; `@concurrent`, so it runs on the preferred executor (the
    /// connection's thread) whatever the caller's isolation.
    @concurrent
    private func runOnThread<Value: Sendable>(
        _ work: @Sendable (inout HiredisSession) throws(RedisError) -> Value
    ) async -> Result<Value, RedisError> {
        guard !isClosed else {
            // After close() the thread ends, and the executor hands work to the global one: no hiredis there.
            return .failure(
                RedisError(
                    code: .connectionClosed,
                    message: "the connection to \(configuration.endpoint) was closed by close()"))
        }
        precondition(executor.isCurrent, "a hiredis call must run on its connection's thread")
        return session.withLock { session in
            Result { () throws(RedisError) -> Value in try work(&session) }
        }
    }

    /// Sends encoded commands in one round trip on the connection's thread and counts it.
    func roundTrip(_ commands: RESPCommands, timeout: Duration? = nil) async throws(RedisError) -> [RedisReply] {
        try await onConnectionThread { session throws(RedisError) in
            self.countRoundTrip()
            return try session.roundTrip(commands, timeout: timeout)
        }
    }

    /// Adds one to ``roundTrips``.
    func countRoundTrip() {
        status.withLock { $0.roundTrips += 1 }
    }
}
