import RedisTestSupport
import Testing

@testable import RedisClient

@Suite("Lua scripts", .timeLimit(.minutes(5)))
struct ScriptTests {
    @Test(
        "SHA-1 matches the FIPS 180 test vectors",
        arguments: [
            ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
            (String(repeating: "a", count: 1_000), "291e9a6c66994949b57ba5e650361e98fc36b1ba"),
        ]
    )
    func sha1MatchesTestVectors(message: String, digest: String) {
        #expect(SHA1.hexDigest(of: Array(message.utf8)) == digest)
    }

    @Test("The script SHA-1 is the one Redis computes")
    func theScriptSHAIsTheOneRedisComputes() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()
        let script = RedisScript("return redis.call('GET', KEYS[1]) -- ünïcödé")

        let loaded = try await connection.send(["SCRIPT", "LOAD", script.source])

        #expect(loaded.string == script.sha1)
    }

    @Test("Evaluate falls back to EVAL once, uses EVALSHA after, and survives SCRIPT FLUSH")
    func evaluateSurvivesScriptFlush() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")

        let first = try await connection.evaluate(script, keys: ["counter"], arguments: ["2"])
        let afterFirst = connection.roundTrips
        let second = try await connection.evaluate(script, keys: ["counter"], arguments: ["3"])
        let afterSecond = connection.roundTrips
        try await connection.send(["SCRIPT", "FLUSH"])
        let beforeThird = connection.roundTrips
        let third = try await connection.evaluate(script, keys: ["counter"], arguments: ["5"])

        #expect(first.int == 2)
        #expect(afterFirst == 2, "NOSCRIPT, then EVAL")
        #expect(second.int == 5)
        #expect(afterSecond - afterFirst == 1, "EVALSHA alone once the server knows the script")
        #expect(third.int == 10)
        #expect(connection.roundTrips - beforeThird == 2, "NOSCRIPT after the flush, then EVAL")
    }

    @Test("A script error is thrown as a server error")
    func aScriptErrorIsThrown() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()
        try await connection.send(["SET", "text", "abc"])
        let script = RedisScript("return redis.call('LPUSH', KEYS[1], 'x')")

        let error = await #expect(throws: RedisError.self) {
            try await connection.evaluate(script, keys: ["text"], arguments: [])
        }

        #expect(error?.code == .wrongType)
        #expect(error?.command?.hasPrefix("EVALSHA") == true)
    }

    @Test("Scripts receive binary keys and arguments intact")
    func scriptsReceiveBinaryArguments() async throws {
        let server = try await RedisServer.start()
        let connection = try await server.connect()
        let script = RedisScript("redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])")
        let value: [UInt8] = [0, 0xFF, 0x80, 0]

        let reply = try await connection.evaluate(script, keys: [[1, 0, 2]], arguments: [value])

        #expect(reply == .bulk(value))
    }
}
