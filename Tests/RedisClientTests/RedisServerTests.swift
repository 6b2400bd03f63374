import Foundation
import RedisClient
import RedisTestSupport
import Testing

@Suite("The test Redis server", .timeLimit(.minutes(5)))
struct RedisServerTests {
    @Test("An append-only server keeps its data across a restart on the same port")
    func appendOnlyDataSurvivesARestart() async throws {
        let server = try await RedisServer.start(configuration: .init(appendOnly: true))
        let port = server.port
        let firstPID = server.pid
        try await server.command("SET", "durable", "yes")

        try await server.restart()

        #expect(server.port == port)
        #expect(server.pid != firstPID)
        #expect(try await server.command("GET", "durable").string == "yes")
    }

    @Test("stop() ends the process, and the directory disappears with the server")
    func stopEndsTheProcess() async throws {
        var server: RedisServer? = try await RedisServer.start()
        let directory = try #require(server?.directory)
        #expect(server?.isRunning == true)

        server?.stop()
        #expect(server?.isRunning == false)
        server = nil

        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test("Servers started together get different ports and directories")
    func serversGetDifferentPorts() async throws {
        async let first = RedisServer.start()
        async let second = RedisServer.start()
        let (one, two) = try await (first, second)

        #expect(one.port != two.port)
        #expect(one.directory != two.directory)
        #expect(one.url == "redis://127.0.0.1:\(one.port)")
    }

    @Test("Extra configuration lines are applied")
    func extraConfigurationIsApplied() async throws {
        let server = try await RedisServer.start(configuration: .init(extraConfig: ["maxmemory 10mb"]))

        let reply = try await server.command("CONFIG", "GET", "maxmemory")

        #expect(reply.array?.last?.string == "10485760")
    }
}
