import RedisClient
import RedisTestSupport
import Testing

@Suite("The connection's thread", .timeLimit(.minutes(5)))
struct ConnectionThreadTests {
    @Test("Blocking commands wait on their connections' threads, not on the cooperative pool")
    func blockingCommandsLeaveThePoolFree() async throws {
        let server = try await RedisServer.start()
        let pusher = try await server.connect()
        // More waiters than this machine has cooperative threads: if a BLPOP blocked one, the pushes
        // below could not run until the waits timed out, and the waiters would get null.
        let waiters = 6
        let connections = try await (0..<waiters).asyncMap { _ in try await server.connect() }

        let popped = try await withThrowingTaskGroup(of: String?.self) { group in
            for (index, connection) in connections.enumerated() {
                group.addTask {
                    let reply = try await connection.send(["BLPOP", "queue-\(index)", "20"], timeout: .seconds(30))
                    return reply.array?.last?.string
                }
            }
            // Every waiter is blocked before anything is pushed, so no BLPOP returns at once.
            try await pollUntil {
                try await pusher.send(["CLIENT", "LIST", "TYPE", "normal"]).string?.blockedCount == waiters
            }
            for index in 0..<waiters {
                try await pusher.send(["RPUSH", "queue-\(index)", "item-\(index)"])
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }

        #expect(Set(popped.compactMap { $0 }) == Set((0..<waiters).map { "item-\($0)" }))
    }

    @Test("A call returns its caller off the connection's thread")
    func aCallReturnsOffTheThread() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()

        try await connection.send(["SET", "k", "v"])

        #expect(!connection.executor.isCurrent)
    }

    @Test("Under the connection's executor preference, calls keep the task on its thread")
    func callsUnderThePreferenceStayOnTheThread() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()

        let stayed = try await withTaskExecutorPreference(connection.executor) {
            var onThread: [Bool] = []
            for index in 0..<20 {
                try await connection.send(["SET", "k-\(index)", "v"])
                onThread.append(connection.executor.isCurrent)
            }
            _ = try await connection.pipeline([["GET", "k-0"], ["GET", "k-19"]])
            onThread.append(connection.executor.isCurrent)
            return onThread
        }

        #expect(stayed.allSatisfy { $0 })
        #expect(try await connection.send(["GET", "k-19"]).string == "v")
        #expect(connection.roundTrips == 22)
    }

    @Test("After close(), work that prefers the connection's executor still runs, and calls throw connectionClosed")
    func workPreferringAClosedConnectionRuns() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()
        try await connection.send(["PING"])

        connection.close()
        let outcome = await withTaskExecutorPreference(connection.executor) { () async -> RedisError? in
            do {
                try await connection.send(["PING"])
                return nil
            } catch let error as RedisError {
                return error
            } catch {
                return nil
            }
        }

        #expect(outcome?.code == .connectionClosed)
        #expect(!connection.executor.isCurrent)
    }

    @Test("Empty and long arguments are encoded with their exact lengths")
    func argumentLengthsAreExact() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()
        let lengths = [0, 1, 9, 10, 99, 100, 12_345]

        for length in lengths {
            try await connection.send(["SET", "text-\(length)", String(repeating: "é", count: length)])
            try await connection.send([
                Array("SET".utf8), Array("bytes-\(length)".utf8), [UInt8](repeating: 0, count: length),
            ])
        }
        let replies = try await connection.pipeline(
            lengths.flatMap { [["STRLEN", "text-\($0)"], ["STRLEN", "bytes-\($0)"]] })

        #expect(replies.map(\.int) == lengths.flatMap { [Int64($0 * 2), Int64($0)] })
    }

    @Test("A transport failure in the middle of a pipeline names the command it happened on")
    func aPipelineFailureNamesItsCommand() async throws {
        let server = try await RedisServer.start()
        var configuration = server.configuration()
        configuration.commandTimeout = .milliseconds(200)
        let connection = try await RedisConnection(configuration: configuration)

        let error = await #expect(throws: RedisError.self) {
            try await connection.pipeline([
                ["PING"], ["SET", "first", "1"], ["BLPOP", "never-filled", "10"], ["PING"],
            ])
        }

        #expect(error?.code == .timedOut)
        #expect(error?.command == "BLPOP never-filled")
        #expect(try await connection.send(["GET", "first"]).string == "1", "the commands before it ran")
    }
}

extension String {
    /// How many clients a `CLIENT LIST` reply shows blocked (`flags=b`).
    fileprivate var blockedCount: Int {
        split(separator: "\n").filter { $0.contains(" flags=b ") }.count
    }
}

extension Sequence where Element: Sendable {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self {
            results.append(try await transform(element))
        }
        return results
    }
}

/// Polls `condition` every 10 ms until it holds; fails after 10 seconds.
private func pollUntil(_ condition: () async throws -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(10)
    while try await !condition() {
        guard clock.now < deadline else {
            Issue.record("the condition did not hold within 10 seconds")
            return
        }
        try await clock.sleep(for: .milliseconds(10))
    }
}
