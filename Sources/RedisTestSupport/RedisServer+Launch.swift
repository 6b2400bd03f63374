import Foundation
import MigrationsTestSupport
import RedisClient

// MARK: - Starting

extension RedisServer {
    /// How often ``start(configuration:)`` tries another port when the chosen one was taken meanwhile.
    private static let portAttempts = 5

    /// How long a launched server has to answer `PING`.
    private static let readinessLimit = Duration.seconds(10)

    /// Starts a `redis-server` on a free port of 127.0.0.1 and waits until it answers `PING`.
    ///
    /// - Parameter configuration: Password, ACL users, persistence and extra `redis.conf` lines.
    /// - Returns: The running server.
    /// - Throws: ``RedisServerError``: no binary, no free port, or a server that exited or did not answer
    ///   within 10 seconds (the message then ends with the server's log).
    public static func start(configuration: Options = .init()) async throws -> RedisServer {
        let executable = try findExecutable()
        let directory = try makeDirectory()
        var lastError: (any Error)?
        for _ in 0..<portAttempts {
            let port = try freePort()
            do {
                let process = try await launch(
                    executable: executable,
                    port: port,
                    directory: directory,
                    options: configuration
                )
                return RedisServer(
                    options: configuration,
                    port: port,
                    directory: directory,
                    executable: executable,
                    process: process
                )
            } catch let error as RedisServerError where error.isPortTaken {
                lastError = error
            } catch {
                try? FileManager.default.removeItem(atPath: directory)
                throw error
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
        throw lastError ?? RedisServerError(code: .setupFailed, message: "no free port found")
    }

    // MARK: - Launching

    /// Writes `redis.conf`, launches the server and waits until it answers.
    static func launch(
        executable: String, port: Int, directory: String, options: Options, untilLoaded: Bool = true
    ) async throws -> ChildProcess {
        let configPath = directory + "/redis.conf"
        let config = configuration(port: port, directory: directory, options: options)
        do {
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        } catch {
            throw RedisServerError(code: .setupFailed, message: "cannot write \(configPath): \(error)")
        }
        let process: ChildProcess
        do {
            process = try await ChildProcess.launch(
                executable, [configPath], directory: directory, logFile: directory + "/stdout.log")
        } catch {
            throw RedisServerError(code: .launchFailed, message: "cannot launch \(executable): \(error)")
        }
        try await waitUntilReady(process, port: port, directory: directory, untilLoaded: untilLoaded)
        return process
    }

    /// The contents of `redis.conf`.
    private static func configuration(port: Int, directory: String, options: Options) -> String {
        var lines = [
            "port \(port)",
            "bind 127.0.0.1",
            "dir \(quoted(directory))",
            "logfile \(quoted(directory + "/redis.log"))",
            "pidfile \(quoted(directory + "/redis.pid"))",
            "daemonize no",
            "protected-mode no",
            "save \"\"",
            "appendonly \(options.appendOnly ? "yes" : "no")",
        ]
        if options.appendOnly {
            lines.append("appendfsync always")
        }
        if options.unixSocket {
            lines.append("unixsocket \(quoted(socketPath(in: directory)))")
            lines.append("unixsocketperm 700")
        }
        if let password = options.password {
            lines.append("requirepass \(quoted(password))")
        }
        for user in options.aclUsers {
            lines.append("user \(quoted(user.name)) on \(quoted(">" + user.password)) ~* &* +@all")
        }
        lines.append(contentsOf: options.extraConfig)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Quotes a `redis.conf` argument so spaces and quotes survive.
    private static func quoted(_ value: String) -> String {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    /// Where the Unix domain socket lives when ``Options/unixSocket`` is set.
    static func socketPath(in directory: String) -> String {
        directory + "/redis.sock"
    }

    // MARK: - Readiness

    /// Polls until the server has written its pid file and answers `PING` (a `NOAUTH` error counts as an
    /// answer); with `untilLoaded`, until it answers something other than `LOADING` (its data set is in
    /// memory), so that a test's first command after a restart sees the data.
    private static func waitUntilReady(
        _ process: ChildProcess, port: Int, directory: String, untilLoaded: Bool
    ) async throws {
        let deadline = ContinuousClock.now + readinessLimit
        let probe = RedisConfiguration(
            endpoint: .tcp(host: "127.0.0.1", port: port),
            connectTimeout: .milliseconds(250),
            commandTimeout: .seconds(1),
            keepAlive: false
        )
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                let log = logTail(in: directory)
                var error = RedisServerError(
                    code: .launchFailed,
                    message:
                        "redis-server on port \(port) exited with status \(process.status ?? -1); log:\n\(log)"
                )
                error.isPortTaken = log.contains("Address already in use")
                throw error
            }
            // The pid file first: another test's server that took the same port answers PING too, while
            // ours is about to exit with "Address already in use". Ours writes its pid once it has bound.
            if wrotePidFile(process, directory: directory), await answersPing(probe, untilLoaded: untilLoaded) {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.signal(SIGKILL)
        throw RedisServerError(
            code: .notReady,
            message: "redis-server on port \(port) did not answer PING within \(readinessLimit); log:\n"
                + logTail(in: directory)
        )
    }

    /// Whether `redis.pid` in `directory` holds the pid of `process`: redis-server writes it after binding.
    private static func wrotePidFile(_ process: ChildProcess, directory: String) -> Bool {
        let text = (try? String(contentsOfFile: directory + "/redis.pid", encoding: .utf8)) ?? ""
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) == process.pid
    }

    private static func answersPing(_ probe: RedisConfiguration, untilLoaded: Bool) async -> Bool {
        do {
            let connection = try await RedisConnection(configuration: probe)
            defer { connection.close() }
            try await connection.send(["PING"])
            return true
        } catch {
            if untilLoaded && error.code == .loading { return false }
            return !error.isTransport
        }
    }

    /// The last lines of the server's log and output, for error messages.
    static func logTail(in directory: String, lines: Int = 20) -> String {
        let texts = ["/redis.log", "/stdout.log"].compactMap { name in
            try? String(contentsOfFile: directory + name, encoding: .utf8)
        }
        let all = texts.joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: true)
        let tail = all.suffix(lines).joined(separator: "\n")
        return tail.isEmpty ? "(empty)" : tail
    }

    // MARK: - Setup

    /// Finds `redis-server` in `PATH`, `/usr/bin`, `/usr/sbin` or `/usr/local/bin`.
    private static func findExecutable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/usr/local/bin"]
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/redis-server"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        throw RedisServerError(
            code: .binaryNotFound,
            message: "redis-server not found in PATH, /usr/bin, /usr/sbin or /usr/local/bin; install redis-server"
        )
    }

    /// Creates a fresh directory with a short path, so the Unix socket path stays under the 107-byte limit.
    private static func makeDirectory() throws -> String {
        let temporary = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.count < 60 ? $0 : nil } ?? "/tmp"
        var template = Array((temporary.hasSuffix("/") ? temporary : temporary + "/").utf8CString.dropLast())
        template += Array("redis-test.XXXXXX".utf8CString)
        guard let result = mkdtemp(&template) else {
            throw RedisServerError(
                code: .setupFailed,
                message: "cannot create a temporary directory in \(temporary): \(String(cString: strerror(errno)))"
            )
        }
        return String(cString: result)
    }

    /// A port of 127.0.0.1 that was free a moment ago: bound with port 0, read back, closed.
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw RedisServerError(
                code: .setupFailed,
                message: "cannot create a socket: \(String(cString: strerror(errno)))"
            )
        }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            throw RedisServerError(
                code: .setupFailed,
                message: "cannot bind 127.0.0.1:0: \(String(cString: strerror(errno)))"
            )
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
