import Foundation
import Migrations
import RedisClient
import Testing

@testable import MigrationsCLI

@Suite("Errors: exit codes, one line, no passwords", .timeLimit(.minutes(5)))
struct ErrorReportingTests {
    @Test("migration errors map to usage, refused or failed")
    func migrationErrors() {
        let cases: [(MigrationError.Code, Int32)] = [
            (.unknownMigration, 2), (.invalidName, 2), (.invalidConfiguration, 2), (.heldElsewhere, 1),
            (.alreadyRunning, 1), (.rollbackNotSupported, 1), (.notCompleted, 1), (.leaseLost, 1), (.stateStore, 1),
        ]
        for (code, exit) in cases {
            #expect(MigrationsCommandError.classify(MigrationError(code, "x")).exitCode == exit, "\(code)")
        }
    }

    @Test("transport and authentication failures exit 3, also behind a store error; a bad URL exits 2")
    func redisErrors() {
        let refused = RedisError(code: .connectionRefused, message: "nothing accepted the connection")
        #expect(MigrationsCommandError.classify(refused).exitCode == 3)
        #expect(
            MigrationsCommandError.classify(RedisError(code: .authenticationFailed, message: "WRONGPASS")).exitCode == 3
        )
        #expect(MigrationsCommandError.classify(RedisError(code: .invalidURL, message: "bad")).exitCode == 2)
        #expect(MigrationsCommandError.classify(RedisError(code: .wrongType, message: "WRONGTYPE")).exitCode == 1)
        let wrapped = MigrationError(.stateStore, "could not read", cause: refused)
        #expect(MigrationsCommandError.classify(wrapped).exitCode == 3)
    }

    @Test("messages are one line")
    func oneLine() {
        struct Multiline: Error, CustomStringConvertible {
            var description: String { "first\n  second\nthird" }
        }
        #expect(MigrationsCommandError.classify(Multiline()).message == "first second third")
    }

    @Test("passwords of URLs in the arguments and REDIS_URL are blanked")
    func redaction() {
        let redaction = SecretRedaction(
            arguments: ["status", "--redis-url", "redis://:p%40ss-word@cache:6379", "--other=redis://u:hunter22@h"],
            environment: ["REDIS_URL": "redis://:env-secret@cache"])
        let text = "failed with p@ss-word, p%40ss-word, hunter22, env-secret and redis://bob:other-secret@host:1"
        let redacted = redaction.redact(text)
        for secret in ["p@ss-word", "p%40ss-word", "hunter22", "env-secret", "other-secret"] {
            #expect(!redacted.contains(secret), "\(redacted)")
        }
        #expect(redacted.contains("redis://bob:***@host:1"))
    }
}
