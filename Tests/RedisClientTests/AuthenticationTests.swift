import RedisClient
import RedisTestSupport
import Testing

@Suite("Authentication and database selection", .timeLimit(.minutes(5)))
struct AuthenticationTests {
    private static let password = "correct-Horse-Battery-9"

    @Test("A password-protected server accepts the right password")
    func theRightPasswordIsAccepted() async throws {
        let server = try await RedisServer.start(configuration: .init(password: Self.password))
        let configuration = try RedisConfiguration(url: "redis://:\(Self.password)@127.0.0.1:\(server.port)")

        let connection = try await RedisConnection(configuration: configuration)

        #expect(try await connection.send(["PING"]).string == "PONG")
    }

    @Test("A wrong password fails with authenticationFailed and never shows the password")
    func aWrongPasswordFails() async throws {
        let server = try await RedisServer.start(configuration: .init(password: Self.password))
        let wrong = "wrong-Password-123"
        var configuration = server.configuration()
        configuration.password = wrong

        let error = await #expect(throws: RedisError.self) {
            try await RedisConnection(configuration: configuration)
        }

        #expect(error?.code == .authenticationFailed)
        #expect(error?.isTransport == false)
        for text in [error.map { "\($0)" }, error?.message, error?.command, error?.serverMessage].compactMap(\.self) {
            #expect(!text.contains(wrong))
            #expect(!text.contains(Self.password))
        }
    }

    @Test("Commands without a password fail with authenticationFailed (NOAUTH)")
    func commandsWithoutAPasswordFail() async throws {
        let server = try await RedisServer.start(configuration: .init(password: Self.password))
        let connection = try await RedisConnection(configuration: try RedisConfiguration(url: server.url))

        let error = await #expect(throws: RedisError.self) {
            try await connection.send(["GET", "key"])
        }

        #expect(error?.code == .authenticationFailed)
        #expect(error?.serverMessage?.hasPrefix("NOAUTH") == true)
    }

    @Test("An ACL user authenticates through the URL")
    func anACLUserAuthenticates() async throws {
        let server = try await RedisServer.start(
            configuration: .init(aclUsers: [.init(name: "alice", password: "secret")])
        )
        let connection = try await RedisConnection(
            configuration: try RedisConfiguration(url: "redis://alice:secret@127.0.0.1:\(server.port)")
        )

        #expect(try await connection.send(["ACL", "WHOAMI"]).string == "alice")
    }

    @Test("An ACL user with a wrong password fails with authenticationFailed")
    func anACLUserWithAWrongPasswordFails() async throws {
        let server = try await RedisServer.start(
            configuration: .init(aclUsers: [.init(name: "alice", password: "secret")])
        )

        let error = await #expect(throws: RedisError.self) {
            try await RedisConnection(
                configuration: try RedisConfiguration(url: "redis://alice:nope-nope@127.0.0.1:\(server.port)")
            )
        }

        #expect(error?.code == .authenticationFailed)
        #expect(error.map { !"\($0)".contains("nope-nope") } == true)
    }

    @Test("SELECT isolates keys between databases")
    func selectIsolatesKeys() async throws {
        let server = try await RedisServer.start()
        let zero = try await server.connect(database: 0)
        let three = try await server.connect(database: 3)

        try await three.send(["SET", "shared-name", "in three"])

        #expect(try await zero.send(["GET", "shared-name"]).isNull)
        #expect(try await three.send(["GET", "shared-name"]).string == "in three")
        #expect(try await server.connect(database: 3).send(["GET", "shared-name"]).string == "in three")
    }

    @Test("A database out of range fails with a server error naming SELECT")
    func aDatabaseOutOfRangeFails() async throws {
        let server = try await RedisServer.start()

        let error = await #expect(throws: RedisError.self) {
            try await server.connect(database: 99)
        }

        #expect(error?.code == .server)
        #expect(error?.command == "SELECT 99")
    }

    @Test("A Unix socket connection works, with password and database from the URL")
    func aUnixSocketConnectionWorks() async throws {
        let server = try await RedisServer.start(configuration: .init(password: Self.password, unixSocket: true))
        let path = try #require(server.unixSocketPath)
        let configuration = try RedisConfiguration(url: "unix://\(path)?db=2&password=\(Self.password)")

        let connection = try await RedisConnection(configuration: configuration)
        try await connection.send(["SET", "over-socket", "yes"])

        #expect(try await server.connect(database: 2).send(["GET", "over-socket"]).string == "yes")
        #expect(try await connection.send(["CLIENT", "INFO"]).string?.contains("db=2") == true)
    }
}
