import Foundation
import MigrationsTestSupport
public import RedisClient
import Synchronization

/// A real `redis-server` on a free loopback port, started for a test and removed with it.
///
/// Each server gets a fresh temporary directory (for its configuration, log, append-only file and socket)
/// and a port found by binding port 0. Nothing relies on a server left running by someone else.
///
/// ```swift
/// @Test func storesAValue() async throws {
///     let server = try await RedisServer.start()
///     let connection = try await server.connect()
///     try await connection.send(["SET", "k", "v"])
///     #expect(try await connection.send(["GET", "k"]).string == "v")
/// }
/// ```
///
/// When the last reference goes away the process is killed and the directory deleted; call ``stop()``
/// to shut it down gracefully earlier.
///
/// ## Topics
///
/// ### Starting
/// - ``start(configuration:)``
/// - ``Options``
///
/// ### Connecting
/// - ``url``
/// - ``configuration(database:)``
/// - ``connect(database:)``
/// - ``command(_:)``
/// - ``snapshot(matching:)``
///
/// ### Controlling the process
/// - ``stop()``
/// - ``restart()``
/// - ``pause()``
/// - ``resume()``
public final class RedisServer: Sendable {
    /// The options the server was started with.
    public let options: Options

    /// The TCP port on 127.0.0.1; the same after ``restart()``.
    public let port: Int

    /// The server's temporary directory: `redis.conf`, `redis.log`, the append-only file, the socket.
    public let directory: String

    /// The Unix domain socket path when ``Options/unixSocket`` is set; otherwise `nil`.
    public let unixSocketPath: String?

    /// The `redis-server` executable.
    let executable: String

    /// The server process (its signals never reach a process that reused its pid).
    let process: Mutex<ChildProcess>

    init(options: Options, port: Int, directory: String, executable: String, process: ChildProcess) {
        self.options = options
        self.port = port
        self.directory = directory
        self.unixSocketPath = options.unixSocket ? Self.socketPath(in: directory) : nil
        self.executable = executable
        self.process = Mutex(process)
    }

    deinit {
        let running = process.withLock { $0 }
        if running.isRunning {
            running.signal(SIGKILL)
            running.signal(SIGCONT)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: - Addresses

    /// The URL of the server without credentials, such as `redis://127.0.0.1:50123`.
    public var url: String {
        "redis://127.0.0.1:\(port)"
    }

    /// The process identifier of the running server, or `nil` when it is stopped.
    public var pid: Int32? {
        let running = process.withLock { $0 }
        return running.isRunning ? running.pid : nil
    }

    /// Whether the server process is running (paused counts as running).
    public var isRunning: Bool {
        pid != nil
    }

    /// A client configuration for this server over TCP, with the `default` user's password if it has one.
    ///
    /// - Parameter database: The database to select.
    /// - Returns: The configuration; adjust timeouts on it as needed.
    public func configuration(database: Int = 0) -> RedisConfiguration {
        RedisConfiguration(
            endpoint: .tcp(host: "127.0.0.1", port: port),
            password: options.password,
            database: database
        )
    }

    /// Opens a connection to this server with ``configuration(database:)``.
    ///
    /// - Parameter database: The database to select.
    /// - Returns: A new connection.
    /// - Throws: `RedisError` if connecting fails.
    public func connect(database: Int = 0) async throws(RedisError) -> RedisConnection {
        try await RedisConnection(configuration: configuration(database: database))
    }

    /// Sends one command on a fresh connection and returns the reply.
    ///
    /// ```swift
    /// try await server.command("SET", "k", "v")
    /// ```
    ///
    /// - Parameter arguments: The command and its arguments.
    /// - Returns: The reply.
    /// - Throws: `RedisError` if connecting fails or the server replies with an error.
    @discardableResult
    public func command(_ arguments: String...) async throws(RedisError) -> RedisReply {
        let connection = try await connect()
        defer { connection.close() }
        return try await connection.send(arguments)
    }

    /// Every key matching `pattern` with its `DUMP` serialisation (value and type, not the TTL): compare
    /// two snapshots to prove that nothing was written in between.
    ///
    /// - Parameter pattern: A `SCAN MATCH` pattern, such as `migration:*`.
    /// - Returns: Each key and its dump.
    /// - Throws: `RedisError` if connecting or a command fails.
    public func snapshot(matching pattern: String) async throws(RedisError) -> [String: [UInt8]] {
        let connection = try await connect()
        defer { connection.close() }
        var keys: [String] = []
        var cursor = "0"
        repeat {
            let reply = try await connection.send(["SCAN", cursor, "MATCH", pattern, "COUNT", "1000"])
            let parts = reply.array ?? []
            cursor = parts.first?.string ?? "0"
            keys += (parts.count > 1 ? parts[1].array ?? [] : []).compactMap(\.string)
        } while cursor != "0"
        var snapshot: [String: [UInt8]] = [:]
        for key in keys {
            snapshot[key] = try await connection.send(["DUMP", key]).bytes ?? []
        }
        return snapshot
    }

    // MARK: - Controlling the process

    /// Shuts the server down with `SIGTERM` and waits for it to exit, sending `SIGKILL` after 5 seconds.
    ///
    /// Idempotent. Blocks the calling thread until the process has exited, usually a few milliseconds.
    /// The directory stays, so ``restart()`` can bring the same data back.
    public func stop() {
        let running = process.withLock { $0 }
        guard running.isRunning else {
            return
        }
        running.signal(SIGTERM)
        running.signal(SIGCONT)  // a paused server must run to handle SIGTERM
        if !Self.waitForExit(of: running, within: .seconds(5)) {
            running.signal(SIGKILL)
            _ = Self.waitForExit(of: running, within: .seconds(5))
        }
    }

    /// Stops the server and starts it again on the same port, with the same directory and options.
    ///
    /// With ``Options/appendOnly`` the data written before survives. Connections opened before see a
    /// transport error on their next call and reconnect on the call after.
    ///
    /// - Parameter untilLoaded: Whether to return only once the server has loaded its data set (it
    ///   answers `LOADING` until then); `false` returns as soon as it accepts connections, to test clients
    ///   against a loading server.
    /// - Throws: ``RedisServerError`` if the server does not come back.
    public func restart(untilLoaded: Bool = true) async throws {
        stop()
        let relaunched = try await Self.launch(
            executable: executable,
            port: port,
            directory: directory,
            options: options,
            untilLoaded: untilLoaded
        )
        process.withLock { $0 = relaunched }
    }

    /// Sends a signal to the server process (`SIGKILL` for a crash), and to nobody once it has exited.
    ///
    /// - Parameter number: The signal number.
    public func signal(_ number: Int32) {
        process.withLock { $0 }.signal(number)
    }

    /// Freezes the server process with `SIGSTOP`: it accepts nothing and answers nothing until ``resume()``.
    ///
    /// Useful to provoke client timeouts.
    public func pause() {
        process.withLock { $0 }.signal(SIGSTOP)
    }

    /// Lets a server frozen by ``pause()`` run again with `SIGCONT`.
    public func resume() {
        process.withLock { $0 }.signal(SIGCONT)
    }

    private static func waitForExit(of process: ChildProcess, within limit: Duration) -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                return false
            }
            usleep(5_000)
        }
        return true
    }
}
