import RedisTestSupport
import Testing

@testable import RedisClient

@Suite("Server error replies", .timeLimit(.minutes(5)))
struct ServerErrorTests {
    @Test("LPUSH to a string key throws wrongType naming the command and key")
    func lpushToAStringThrowsWrongType() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()
        try await connection.send(["SET", "name", "value"])

        let error = await #expect(throws: RedisError.self) {
            try await connection.send(["LPUSH", "name", "secret-value"])
        }

        #expect(error?.code == .wrongType)
        #expect(error?.command == "LPUSH name")
        #expect(error?.serverMessage?.hasPrefix("WRONGTYPE") == true)
        #expect(error?.isTransport == false)
        #expect(error.map { !"\($0)".contains("secret-value") } == true)
    }

    @Test("A failed AUTH command names only AUTH, never its arguments")
    func aFailedAuthNamesOnlyTheCommand() async throws {
        let server = try await RedisServer.start(configuration: .init(password: "the-real-one"))
        let connection = try await RedisConnection(configuration: try RedisConfiguration(url: server.url))

        let error = await #expect(throws: RedisError.self) {
            try await connection.send(["AUTH", "someone", "typed-Secret-42"])
        }

        #expect(error?.code == .authenticationFailed)
        #expect(error?.command == "AUTH")
        #expect(error.map { !"\($0)".contains("typed-Secret-42") && !"\($0)".contains("someone") } == true)
    }

    @Test(
        "A large pipelined command sent without a password: the server's refusal, not the end of file it closes with"
    )
    func anUnauthenticatedLargeCommandNamesTheRefusal() async throws {
        let server = try await RedisServer.start(configuration: .init(password: "the-real-one"))
        let connection = try await RedisConnection(configuration: try RedisConfiguration(url: server.url))
        // Redis refuses a command of more than 10 arguments before AUTH, and closes the connection.
        let large = ["MGET"] + (0..<20).map { "key-\($0)" }

        let error = await #expect(throws: RedisError.self) {
            try await connection.pipeline([["GET", "a"], large, ["GET", "b"]])
        }

        #expect(error?.code == .authenticationFailed, "\(String(describing: error))")
        #expect(error?.command == "MGET key-0")
        #expect(error?.serverMessage?.contains("unauthenticated") == true)
        #expect(error.map { !"\($0)".contains("the-real-one") } == true)
    }

    @Test("An unknown command throws a generic server error")
    func anUnknownCommandThrowsServer() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()

        let error = await #expect(throws: RedisError.self) {
            try await connection.send(["NOSUCHCOMMAND"])
        }

        #expect(error?.code == .server)
        #expect(error?.command == "NOSUCHCOMMAND")
    }

    @Test("EVALSHA of an unknown script throws noScript")
    func evalshaOfAnUnknownScriptThrowsNoScript() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()

        let error = await #expect(throws: RedisError.self) {
            try await connection.send(["EVALSHA", String(repeating: "0", count: 40), "0"])
        }

        #expect(error?.code == .noScript)
    }

    @Test("The connection stays usable after a server error")
    func theConnectionStaysUsableAfterAServerError() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()

        _ = try? await connection.send(["NOSUCHCOMMAND"])

        #expect(try await connection.send(["PING"]).string == "PONG")
    }

    @Test(
        "Error reply prefixes map to codes",
        arguments: [
            ("WRONGTYPE Operation against a key holding the wrong kind of value", RedisError.Code.wrongType),
            ("NOSCRIPT No matching script. Please use EVAL.", .noScript),
            ("NOAUTH Authentication required.", .authenticationFailed),
            ("WRONGPASS invalid username-password pair or user is disabled.", .authenticationFailed),
            ("ERR invalid password", .authenticationFailed),
            ("ERR AUTH <password> called without any password configured for the default user.", .authenticationFailed),
            ("ERR Protocol error: unauthenticated multibulk length", .authenticationFailed),
            ("READONLY You can't write against a read only replica.", .readOnly),
            ("LOADING Redis is loading the dataset in memory", .loading),
            ("BUSY Redis is busy running a script.", .busy),
            ("BUSYKEY Target key name already exists.", .server),
            ("ERR unknown command 'FOO'", .server),
            ("EXECABORT Transaction discarded because of previous errors.", .server),
        ]
    )
    func errorReplyPrefixesMapToCodes(message: String, code: RedisError.Code) {
        #expect(RedisError.classify(serverReply: message) == code)
        #expect(RedisError(serverReply: message, command: "X").code.isTransport == false)
    }

    @Test("Transport codes are told apart from server codes")
    func transportCodesAreToldApart() {
        let transport: [RedisError.Code] = [.connectionRefused, .timedOut, .connectionClosed, .io, .protocolError]
        let others: [RedisError.Code] = [.wrongType, .noScript, .authenticationFailed, .server, .invalidURL]

        #expect(transport.allSatisfy { RedisError(code: $0, message: "").isTransport })
        #expect(others.allSatisfy { !RedisError(code: $0, message: "").isTransport })
    }
}
