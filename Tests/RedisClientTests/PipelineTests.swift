import RedisClient
import RedisTestSupport
import Testing

@Suite("Pipelines", .timeLimit(.minutes(5)))
struct PipelineTests {
    @Test("A pipeline of 1,000 commands returns 1,000 replies in order in one round trip")
    func aThousandCommandsMakeOneRoundTrip() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()
        let commands = (0..<1_000).map { ["INCRBY", "counter", String($0)] }
        let before = connection.roundTrips

        let replies = try await connection.pipeline(commands)

        #expect(connection.roundTrips - before == 1)
        #expect(replies.count == 1_000)
        let expected = (0..<1_000).map { index in Int64((0...index).reduce(0, +)) }
        #expect(replies.map(\.int) == expected)
    }

    @Test("Server errors come back as error elements without throwing")
    func serverErrorsComeBackAsElements() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()

        let replies = try await connection.pipeline([
            ["SET", "name", "value"],
            ["LPUSH", "name", "x"],
            ["GET", "name"],
        ])

        #expect(replies.count == 3)
        #expect(replies[0] == .status("OK"))
        #expect(replies[1].errorMessage?.hasPrefix("WRONGTYPE") == true)
        #expect(replies[2].string == "value")
    }

    @Test("An empty pipeline returns no replies and makes no round trip")
    func anEmptyPipelineMakesNoRoundTrip() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()

        let replies = try await connection.pipeline([[String]]())

        #expect(replies.isEmpty)
        #expect(connection.roundTrips == 0)
    }

    @Test("Binary pipelines keep every byte")
    func binaryPipelinesKeepEveryByte() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()
        let value: [UInt8] = [0, 255, 0, 128]

        let replies = try await connection.pipeline([
            [Array("SET".utf8), [0], value],
            [Array("GET".utf8), [0]],
        ])

        #expect(replies == [.status("OK"), .bulk(value)])
    }
}
