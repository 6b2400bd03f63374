import RedisClient
import RedisTestSupport
import Testing

@Suite("Sending commands", .timeLimit(.minutes(5)))
struct CommandTests {
    @Test("SET then GET returns the stored value")
    func setThenGetReturnsTheStoredValue() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()

        let set = try await connection.send(["SET", "greeting", "hello"])
        let get = try await connection.send(["GET", "greeting"])

        #expect(set == .status("OK"))
        #expect(get == .bulk(Array("hello".utf8)))
        #expect(get.string == "hello")
    }

    @Test("Binary values with NUL and 0xFF bytes round-trip unchanged")
    func binaryValuesRoundTripUnchanged() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()
        let key: [UInt8] = [0x6B, 0x00, 0xFF, 0x01]
        let value: [UInt8] = [0x00, 0xFF, 0xFE, 0x00, 0x0D, 0x0A, 0xC3, 0x28, 0x00]

        try await connection.send([Array("SET".utf8), key, value])
        let reply = try await connection.send([Array("GET".utf8), key])

        #expect(reply == .bulk(value))
        #expect(reply.string == nil, "invalid UTF-8 has no string form")
        #expect(try await connection.send([Array("STRLEN".utf8), key]).int == Int64(value.count))
    }

    @Test("A one-megabyte value round-trips")
    func aOneMegabyteValueRoundTrips() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()
        let value = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

        try await connection.send([Array("SET".utf8), Array("big".utf8), value])
        let reply = try await connection.send(["GET", "big"])

        #expect(reply.bytes == value)
    }

    @Test("Integer, null and array replies have their conveniences")
    func replyConveniencesReadEachKind() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()

        let pushed = try await connection.send(["RPUSH", "list", "a", "b", "c"])
        let range = try await connection.send(["LRANGE", "list", "0", "-1"])
        let missing = try await connection.send(["GET", "missing"])

        #expect(pushed.int == 3)
        #expect(range.array?.compactMap(\.string) == ["a", "b", "c"])
        #expect(missing.isNull)
        #expect(missing.string == nil)
        #expect(try await connection.send(["PING"]).string == "PONG")
    }

    @Test("An empty command is rejected before anything is sent")
    func anEmptyCommandIsRejected() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()

        let error = await #expect(throws: RedisError.self) {
            try await connection.send([String]())
        }

        #expect(error?.code == .invalidCommand)
        #expect(connection.roundTrips == 0)
    }
}
