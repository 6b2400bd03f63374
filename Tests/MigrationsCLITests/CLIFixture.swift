import Foundation
import Migrations
import MigrationsCLI
import MigrationsTestSupport
import RedisClient
import RedisTestSupport

/// A temporary working directory, and optionally a Redis server, for driving the built tools.
struct CLIFixture: Sendable {
    /// The working directory of every child process.
    let directory: String
    /// The Redis server, when the test needs one.
    let server: RedisServer?

    /// The demo's four migrations, in run order.
    static let demoMigrations = [
        "2025-01-01-write-customers-csv", "2025-01-02-import-customers", "2025-01-03-build-country-index",
        "2025-01-04-archive-inactive-customers",
    ]

    /// Creates a fresh directory, and starts a server when asked.
    static func make(redis: Bool = false, serverOptions: RedisServer.Options = .init()) async throws -> CLIFixture {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("migrations-cli-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let server = redis ? try await RedisServer.start(configuration: serverOptions) : nil
        return CLIFixture(directory: directory, server: server)
    }

    /// The server's URL (with the password, when it has one).
    var redisURL: String {
        guard let server else { return "redis://127.0.0.1:1" }
        if let password = server.options.password { return "redis://:\(password)@127.0.0.1:\(server.port)" }
        return server.url
    }

    /// Runs `migrations-demo ARGUMENTS`.
    func demo(
        _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)
    ) async throws -> CLIProcess.Outcome {
        try await CLIProcess.run(
            "migrations-demo", arguments, environment: environment, directory: directory, timeout: timeout)
    }

    /// Runs `migrations-demo migrate ARGUMENTS --redis-url URL`.
    func migrate(_ arguments: [String], environment: [String: String] = [:]) async throws -> CLIProcess.Outcome {
        try await demo(["migrate"] + arguments + ["--redis-url", redisURL], environment: environment)
    }

    /// Runs the operator tool, `migrations ARGUMENTS --redis-url URL`.
    func tool(_ arguments: [String], environment: [String: String] = [:]) async throws -> CLIProcess.Outcome {
        try await CLIProcess.run(
            "migrations", arguments + ["--redis-url", redisURL], environment: environment, directory: directory)
    }

    /// Decodes JSON printed by a tool.
    func decode<Value: Decodable>(_ type: Value.Type, _ outcome: CLIProcess.Outcome) throws -> Value {
        try MigrationJSON.decoder().decode(type, from: Data(outcome.standardOutput.utf8))
    }

    /// Whether a file exists below the working directory.
    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/" + path)
    }

    /// Sends one command to the server.
    @discardableResult
    func redis(_ arguments: String...) async throws -> RedisReply {
        guard let server else { throw CLITimeout(description: "no server in this fixture") }
        let connection = try await RedisConnection(configuration: server.configuration())
        defer { connection.close() }
        return try await connection.send(arguments)
    }

    /// Removes the working directory and stops the server.
    func tearDown() {
        server?.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
