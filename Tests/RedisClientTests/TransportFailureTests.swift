import Foundation
import RedisClient
import RedisTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Transport failures and reconnection", .timeLimit(.minutes(5)))
struct TransportFailureTests {
    @Test("Connecting to a closed port fails quickly with connectionRefused")
    func aClosedPortRefusesQuickly() async throws {
        // A port bound but not listening refuses connections, and nobody else can take it meanwhile (a
        // stopped server's port could be given to another test's server at once).
        let held = try HeldClosedPort()
        defer { held.release() }
        let port = held.port
        // A connect timeout far longer than the test may take: a refusal must not wait for it.
        var configuration = RedisConfiguration(endpoint: .tcp(host: "127.0.0.1", port: port))
        configuration.connectTimeout = .seconds(60)
        let clock = ContinuousClock()
        let start = clock.now

        let error = await #expect(throws: RedisError.self) {
            try await RedisConnection(configuration: configuration)
        }

        #expect(error?.code == .connectionRefused)
        #expect(error?.isTransport == true)
        #expect(clock.now - start < .seconds(30))
    }

    @Test("A missing Unix socket fails with connectionRefused")
    func aMissingUnixSocketIsRefused() async {
        let error = await #expect(throws: RedisError.self) {
            try await RedisConnection(
                configuration: RedisConfiguration(endpoint: .unix(path: "/nonexistent/redis.sock"))
            )
        }

        #expect(error?.code == .connectionRefused)
    }

    @Test("A command timeout throws timedOut, and the next command reconnects with AUTH and SELECT")
    func aTimeoutPoisonsThenReconnects() async throws {
        let server = try await RedisServer.start(configuration: .init(password: "pw-for-timeouts"))
        var configuration = server.configuration(database: 3)
        configuration.commandTimeout = .milliseconds(200)
        let connection = try await RedisConnection(configuration: configuration)
        try await connection.send(["SET", "in-three", "yes"])
        let firstClient = try await connection.send(["CLIENT", "ID"]).int
        let clock = ContinuousClock()
        let start = clock.now

        let error = await #expect(throws: RedisError.self) {
            try await connection.send(["BLPOP", "never-filled", "10"])
        }

        #expect(error?.code == .timedOut)
        #expect(error?.command == "BLPOP never-filled")
        // The 200 ms command timeout ended the wait, not the server's 10 s BLPOP timeout.
        #expect(clock.now - start < .seconds(5))
        #expect(try await connection.send(["GET", "in-three"]).string == "yes", "AUTH and SELECT 3 re-applied")
        #expect(try await connection.send(["CLIENT", "ID"]).int != firstClient, "a new connection")
    }

    @Test("A paused server times out, and the connection recovers after it resumes")
    func aPausedServerTimesOut() async throws {
        let server = try await RedisServer.start()
        var configuration = server.configuration()
        configuration.commandTimeout = .milliseconds(200)
        let connection = try await RedisConnection(configuration: configuration)

        server.pause()
        let error = await #expect(throws: RedisError.self) {
            try await connection.send(["PING"])
        }
        server.resume()

        #expect(error?.code == .timedOut)
        #expect(try await connection.send(["PING"]).string == "PONG")
    }

    @Test("A per-call timeout outlasts the command timeout and is restored afterwards")
    func aPerCallTimeoutIsRestored() async throws {
        let server = try await RedisServer.start()
        var configuration = server.configuration()
        configuration.commandTimeout = .milliseconds(200)
        let connection = try await RedisConnection(configuration: configuration)

        let waited = try await connection.send(["BLPOP", "empty", "1"], timeout: .seconds(5))
        let error = await #expect(throws: RedisError.self) {
            try await connection.send(["BLPOP", "empty", "1"])
        }

        #expect(waited.isNull)
        #expect(error?.code == .timedOut)
    }

    @Test("After a server restart the first command throws a transport error and the next works")
    func aRestartBreaksOneCommand() async throws {
        let server = try await RedisServer.start(configuration: .init(password: "pw-for-restarts"))
        let connection = try await server.connect(database: 1)
        try await connection.send(["SET", "before", "restart"])

        try await server.restart()
        let error = await #expect(throws: RedisError.self) {
            try await connection.send(["PING"])
        }

        #expect(error?.isTransport == true)
        #expect(try await connection.send(["PING"]).string == "PONG")
        #expect(try await connection.send(["CLIENT", "INFO"]).string?.contains("db=1") == true)
    }

    @Test("reconnect() opens a new connection")
    func reconnectOpensANewConnection() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()
        let before = try await connection.send(["CLIENT", "ID"]).int

        try await connection.reconnect()

        #expect(try await connection.send(["CLIENT", "ID"]).int != before)
    }

    @Test("close() is idempotent and later calls throw connectionClosed")
    func closeIsIdempotent() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()

        connection.close()
        connection.close()
        let error = await #expect(throws: RedisError.self) {
            try await connection.send(["PING"])
        }
        let reconnectError = await #expect(throws: RedisError.self) {
            try await connection.reconnect()
        }

        #expect(connection.isClosed)
        #expect(error?.code == .connectionClosed)
        #expect(reconnectError?.code == .connectionClosed)
        // The server notices the closed socket on a later turn of its event loop, not at once: poll.
        let deadline = ContinuousClock.now + .seconds(10)
        var clients = 0
        repeat {
            clients = (try await server.command("CLIENT", "LIST").string ?? "").split(separator: "\n").count
            if clients == 1 { break }
            try await Task.sleep(for: .milliseconds(10))
        } while ContinuousClock.now < deadline
        #expect(clients == 1, "only the CLIENT LIST connection remains")
    }
}

/// A loopback TCP port bound by this process without listening: connecting to it is refused.
struct HeldClosedPort {
    let descriptor: Int32
    let port: Int

    init() throws {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, length) }
        }
        guard socketDescriptor >= 0, bound == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        descriptor = socketDescriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func release() {
        close(descriptor)
    }
}
