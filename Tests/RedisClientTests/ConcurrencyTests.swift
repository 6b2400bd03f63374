import RedisClient
import RedisTestSupport
import Testing

@Suite("Concurrent use", .timeLimit(.minutes(5)))
struct ConcurrencyTests {
    @Test("Fifty tasks can share one connection safely")
    func fiftyTasksShareOneConnection() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()

        let results = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await connection.send(["SET", "key-\(index)", "value-\(index)"])
                    try await connection.send(["INCR", "shared-counter"])
                    let replies = try await connection.pipeline([["GET", "key-\(index)"], ["PING"]])
                    return (index, replies[0].string)
                }
            }
            return try await group.reduce(into: [Int: String?]()) { $0[$1.0] = $1.1 }
        }

        #expect(results.count == 50)
        #expect(results.allSatisfy { $0.value == "value-\($0.key)" })
        #expect(try await connection.send(["GET", "shared-counter"]).string == "50")
        #expect(connection.roundTrips == 151)
    }
}
