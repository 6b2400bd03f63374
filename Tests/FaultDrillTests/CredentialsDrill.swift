import Foundation
import InMemoryLogging
import Logging
import Migrations
import MigrationsRedis
import RedisClient
import RedisTestSupport
import Testing

extension FaultDrills {
    @Suite("R9 ACL user and password", .timeLimit(.minutes(5)))
    struct CredentialsDrill {
        /// A password with the characters that break naive URL handling and log scrubbing.
        static let password = "p@ss:w/rd%20ö#7"
        static let rotated = "n3w-S3cret!rotated"
        static let wrong = "wr0ng-Guess$9"

        /// Every form in which a password could leak: as typed and percent-encoded.
        static func forms(of password: String) -> [String] {
            [password, password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password]
        }

        static func url(user: String, password: String, port: Int) -> String {
            let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
            return "redis://\(user):\(encoded)@127.0.0.1:\(port)"
        }

        /// Everything a person could read: error texts, log lines with their metadata, printed results.
        static func leaks(in texts: [String]) -> [String] {
            let secrets = ([password, rotated, wrong]).flatMap(forms(of:))
            return texts.filter { text in secrets.contains { text.contains($0) } }
        }

        static func logTexts(_ handler: InMemoryLogHandler) -> [String] {
            handler.entries.map { entry in
                "\(entry.message) \(entry.metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
                    + (entry.error.map { " \($0)" } ?? "")
            }
        }

        /// Proves that an ACL user authenticating with a password from a URL runs migrations and reads their
        /// status, and that the password shows up nowhere: not in the configuration's description, the
        /// results, the status JSON, or any log line at trace level.
        @Test(
            "an ACL user with a password runs migrations, and the password appears in no output or log",
            .timeLimit(.minutes(1)))
        func aclUserWorksAndNothingLeaks() async throws {
            let server = try await RedisServer.start(
                configuration: .init(aclUsers: [.init(name: "migrator", password: Self.password)]))
            let configuration = try RedisConfiguration(
                url: Self.url(user: "migrator", password: Self.password, port: server.port))
            let handler = InMemoryLogHandler()
            var logger = Logger(label: "r9") { _ in handler }
            logger.logLevel = .trace
            let harness = try await DrillHarness.start(
                ["one", "two"].map { countingMigration($0) }, on: server, configuration: configuration, prefix: "r9",
                logger: logger)
            let results = try await harness.runner.runPending(context: harness.context)
            #expect(results.map(\.status) == [.completed, .completed])
            #expect(try await harness.backend.connection.send(["ACL", "WHOAMI"]).string == "migrator")
            let statuses = try await harness.runner.status(context: harness.context)

            var texts = ["\(configuration)", String(reflecting: configuration), configuration.redactedURL]
            texts += try results.map { String(decoding: try $0.jsonData(), as: UTF8.self) }
            texts.append(String(decoding: try MigrationJSON.encoder().encode(statuses), as: UTF8.self))
            texts += Self.logTexts(handler)
            #expect(!handler.entries.isEmpty, "nothing was logged, so nothing was checked")
            #expect(Self.leaks(in: texts).isEmpty, "the password leaked: \(Self.leaks(in: texts))")
        }

        /// Proves that a wrong password is a clear authentication error that names the user and the
        /// endpoint, and that neither the wrong nor the right password appears in any rendering of it.
        @Test("a wrong password is a clear authentication error that shows no password", .timeLimit(.minutes(1)))
        func wrongPasswordIsClear() async throws {
            let server = try await RedisServer.start(
                configuration: .init(aclUsers: [.init(name: "migrator", password: Self.password)]))
            let configuration = try RedisConfiguration(
                url: Self.url(user: "migrator", password: Self.wrong, port: server.port))
            let error = await #expect(throws: RedisError.self) {
                _ = try await RedisMigrationBackend.connect(configuration: configuration)
            }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.message.contains("migrator") == true, "\(String(describing: error?.message))")
            #expect(error?.message.contains("127.0.0.1:\(server.port)") == true)
            let texts = [
                error.map { "\($0)" }, error.map { String(reflecting: $0) }, error?.message, error?.serverMessage,
                error?.command,
            ]
            .compactMap(\.self)
            #expect(Self.leaks(in: texts).isEmpty, "a password leaked: \(Self.leaks(in: texts))")
        }

        /// Proves that when the password is rotated under a running service (its connections killed, so it
        /// must authenticate again), the next run fails with an authentication error carried by a
        /// `MigrationError`, runs nothing, and logs and reports neither the old nor the new password.
        @Test(
            "a password rotated under a running runner fails the next run clearly, without leaking either password",
            .timeLimit(.minutes(1)))
        func rotatedPasswordFailsClearly() async throws {
            let server = try await RedisServer.start(
                configuration: .init(aclUsers: [.init(name: "migrator", password: Self.password)]))
            let configuration = try RedisConfiguration(
                url: Self.url(user: "migrator", password: Self.password, port: server.port))
            let handler = InMemoryLogHandler()
            var logger = Logger(label: "r9") { _ in handler }
            logger.logLevel = .trace
            let harness = try await DrillHarness.start(
                [countingMigration("before"), countingMigration("after")], on: server, configuration: configuration,
                prefix: "r9",
                logger: logger)
            #expect(try await harness.runner.run("before", context: harness.context).status == .completed)

            let admin = try await server.connect()
            try await admin.send(["ACL", "SETUSER", "migrator", "resetpass", ">\(Self.rotated)"])
            try await admin.send(["CLIENT", "KILL", "USER", "migrator"])

            var errors: [MigrationError] = []
            for _ in 0..<3 {
                do {
                    _ = try await harness.runner.run("after", context: harness.context)
                } catch let error as MigrationError {
                    errors.append(error)
                }
            }
            #expect(errors.count == 3)
            let authentication = errors.compactMap { $0.cause as? RedisError }.filter {
                $0.code == .authenticationFailed
            }
            #expect(!authentication.isEmpty, "no authentication error among \(errors.map(\.message))")
            #expect(try await admin.send(["GET", "r9-count:after"]).isNull, "the step ran")

            var texts = errors.flatMap { ["\($0)", String(reflecting: $0), $0.message] }
            texts += Self.logTexts(handler)
            #expect(Self.leaks(in: texts).isEmpty, "a password leaked: \(Self.leaks(in: texts))")
        }
    }
}
