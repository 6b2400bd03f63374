import Foundation
import Migrations
import MigrationsRedis
import RedisClient
import RedisTestSupport
import Testing

extension FaultDrills {
    @Suite("R8 hostile migration names", .timeLimit(.minutes(5)))
    struct HostileNamesDrill {
        /// Names that must be stored and read back byte for byte, each under keys of its own.
        static let accepted: [String] = [
            ":", "a:", ":a", "a::b", "a:completed", "a:result:completed", "completed", "lease", "a:lease",
            "a:waiter:0123", "a:waiters", "a:fence", "*", "a*", "?", "[", "]", "[abc]", "{}", "{tag}", "{a}:b",
            " leading", "trailing ", "with space", "../", "../../etc/passwd", "./.", "\\", "'single'", "\"double\"",
            "%00", "%2F%0A", "ünïcödé", "迁移", "🚀🚀", "\u{200B}zero-width",
            "\u{202E}rtl",
            "\u{FEFF}bom", "a\u{A0}nbsp", String(repeating: "k", count: 128), String(repeating: "é", count: 64),
        ]

        /// Names that must be refused at registration, and a word the message must contain.
        static let refused: [(name: String, reason: String)] = [
            ("", "empty"), ("   ", "empty"), ("line\nbreak", "U+000A"), ("nul\u{0}byte", "U+0000"),
            ("tab\there", "U+0009"),
            ("carriage\rreturn", "U+000D"), ("delete\u{7F}", "U+007F"), ("next\u{85}line", "U+0085"),
            (String(repeating: "k", count: 129), "maximum is 128 bytes"),
            (String(repeating: "x", count: 1024), "maximum is 128 bytes"),
            (String(repeating: "y", count: 65_536), "maximum is 128 bytes"),
            (String(repeating: "é", count: 65), "maximum is 128 bytes"),
            ("e\u{301}-decomposed", "normalization form C"),
        ]

        /// Proves that every hostile name is either refused at registration with a message that says which
        /// rule it breaks (and stays short, even for a 64 KB name), or accepted, run, and stored under keys of
        /// its own: the completion and result are read back byte for byte, every key maps back to its name,
        /// and no two names share a key.
        @Test(
            "hostile names are refused with a clear message, or stored and read back exactly with no collision",
            .timeLimit(.minutes(1)))
        func hostileNamesAreRefusedOrRoundTrip() async throws {
            #expect(Self.accepted.count + Self.refused.count >= 30)
            for (name, reason) in Self.refused {
                let error = #expect(throws: MigrationError.self) {
                    try MigrationRegistry<DrillContext>([countingMigration(name)])
                }
                #expect(error?.code == .invalidName)
                #expect(
                    error?.message.contains(reason) == true,
                    "\(name.prefix(20).debugDescription): \(error?.message.prefix(200) ?? "")")
                #expect(
                    (error?.message.utf8.count ?? 0) < 400,
                    "a \(name.utf8.count)-byte name gave a \(error?.message.utf8.count ?? 0)-byte message")
            }

            let server = try await RedisServer.start()
            let prefix = "r8"
            let harness = try await DrillHarness.start(
                Self.accepted.map { countingMigration($0) }, on: server, prefix: prefix)
            let results = try await harness.runner.runPending(context: harness.context)
            #expect(results.count == Self.accepted.count)
            #expect(results.allSatisfy { $0.status == .completed })

            let keys = RedisMigrationKeys(prefix: prefix)
            for name in Self.accepted {
                #expect(try await server.string(keys.completed(name)) == "true", "\(name.debugDescription)")
                let stored = try #require(
                    try await server.command("GET", keys.result(name)).bytes, "\(name.debugDescription)")
                let result = try MigrationResult.decode(from: Data(stored))
                #expect(
                    Array(result.name.utf8) == Array(name.utf8),
                    "\(name.debugDescription) read back as \(result.name.debugDescription)")
                #expect(try await harness.context.executions(of: name) == 1, "\(name.debugDescription)")
                let parsed = keys.migrationName(fromKey: keys.completed(name))
                #expect(parsed.map { Array($0.name.utf8) } == Array(name.utf8) && parsed?.suffix == "completed")
            }
            let stored = try await server.keys("\(prefix):*")
            #expect(
                stored.count == Self.accepted.count * 4,
                "completed, result, fence and history for each name: \(stored.count)")
            let statuses = try await harness.runner.status(context: harness.context)
            #expect(statuses.map { Array($0.name.utf8) } == Self.accepted.map { Array($0.utf8) })
            #expect(statuses.allSatisfy { $0.state == .completed && $0.problem == nil })
        }

        /// Proves that names Swift considers equal but that differ in bytes (a precomposed `é` and `e` with a
        /// combining accent) can never key two records: a decomposed name is refused at registration with a
        /// message giving the precomposed spelling, so a rename between the two forms cannot run it again.
        @Test("a name not in Unicode NFC is refused at registration, naming the precomposed form")
        func canonicallyEquivalentNames() async throws {
            let composed = "caf\u{E9}"
            let decomposed = "cafe\u{301}"
            #expect(composed == decomposed)
            #expect(Array(composed.utf8) != Array(decomposed.utf8))
            let error = #expect(throws: MigrationError.self) {
                try MigrationRegistry<DrillContext>([countingMigration(composed), countingMigration(decomposed)])
            }
            #expect(error?.code == .invalidName)
            #expect(error?.message.contains("normalization form C") == true, "\(String(describing: error?.message))")
            #expect(error?.message.contains("'\(composed)'") == true)
            let alone = #expect(throws: MigrationError.self) {
                try MigrationRegistry<DrillContext>([countingMigration(decomposed)])
            }
            #expect(alone?.code == .invalidName)
            #expect(try MigrationRegistry<DrillContext>([countingMigration(composed)]).count == 1)
        }
    }
}
