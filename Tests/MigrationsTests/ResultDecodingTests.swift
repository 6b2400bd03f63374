import Foundation
import Testing

@testable import Migrations

/// ``MigrationResult/decode(from:)`` reads plain results with its own reader; these check that it reads
/// exactly what `JSONDecoder` reads, refuses what it refuses, and hands everything unusual to it.
@Suite("Decoding stored results", .timeLimit(.minutes(2)))
struct ResultDecodingTests {
    /// What `JSONDecoder` alone makes of `json`.
    private func reference(_ json: String) -> MigrationResult? {
        try? MigrationJSON.decode(MigrationResult.self, from: Data(json.utf8))
    }

    /// What the fast reader alone makes of `json`.
    private func fast(_ json: String) -> MigrationResult? {
        Data(json.utf8).withUnsafeBytes { MigrationResult(flatJSON: $0) }
    }

    @Test("2,000 generated results, with hostile text and every optional field on or off, read back equal by both")
    func generatedResultsReadTheSame() throws {
        var random = SplitMix64(seed: 0x5EED)
        for index in 0..<2_000 {
            let result = Self.result(index, &random)
            let json = String(decoding: try result.jsonData(), as: UTF8.self)
            let read = try #require(fast(json), "the fast reader gave up on \(json)")
            #expect(read == result, "\(json)")
            #expect(read == reference(json), "\(json)")
            #expect(try MigrationResult.decode(from: Data(json.utf8)) == result)
        }
    }

    @Test("a result with a checkpoint, a control request or a shard goes to JSONDecoder, and reads in full")
    func nestedResultsFallBack() throws {
        var result = MigrationResult(
            name: "n", status: .paused, startedAt: Date(timeIntervalSince1970: 0),
            finishedAt: Date(timeIntervalSince1970: 2), triggeredBy: "t", host: "h", pid: 1,
            resumedFrom: MigrationCheckpoint(
                cursor: .string("c"), completed: 3, total: 9, savedAt: Date(timeIntervalSince1970: 1),
                fencingToken: 4, host: "h", pid: 1, runId: "r"))
        result.control = MigrationControl(.pause, reason: "lunch", by: "ops", at: Date(timeIntervalSince1970: 1))
        let json = String(decoding: try result.jsonData(), as: UTF8.self)
        #expect(fast(json) == nil)
        #expect(try MigrationResult.decode(from: Data(json.utf8)) == result)
    }

    static let plain: String = """
        {"attempts":1,"duration":2,"finishedAt":"2026-12-03T10:00:02Z","host":"h","name":"n","pid":7,\
        "startedAt":"2026-12-03T10:00:00Z","status":"completed","triggeredBy":"t","warnings":[]}
        """

    /// `plain` with `old` replaced by `new`.
    static func plain(_ old: String, _ new: String) -> String {
        plain.replacingOccurrences(of: old, with: new)
    }

    @Test(
        "hand-written JSON: wherever the fast reader answers, JSONDecoder answers the same",
        arguments: [String]([
            plain,
            " \n{ \"attempts\" : 1 , \"duration\":2.5e0,\"finishedAt\":\"2026-12-03T10:00:02Z\",\"host\":\"h\\/x\",\"name\":\"caf\\u00e9 \\\"q\\\" \\\\ \\n\\t\",\"pid\":-0,\"startedAt\":\"2024-02-29T23:59:59Z\",\"status\":\"failed\",\"failure\":\"lease-lost\",\"error\":null,\"triggeredBy\":\"t\",\"warnings\":[\"a\",\"\"],\"unknown\":true} ",
            plain("\"pid\":7", "\"pid\":7,\"pid\":8"),
            plain("10:00:00Z", "10:00:00.5Z"),
            plain("10:00:00Z", "10:00:00+01:00"),
            plain("2026-12-03T10:00:00Z", "2023-02-29T10:00:00Z"),
            plain("\"pid\":7", "\"pid\":1e2"),
            plain("\"pid\":7", "\"pid\":99999999999"),
            plain("\"pid\":7", "\"pid\":07"),
            plain("\"pid\":7", "\"pid\":\"7\""),
            plain("\"status\":\"completed\"", "\"status\":\"done\""),
            plain("\"warnings\":[]", "\"warnings\":null"),
            plain(",\"warnings\":[]", ""),
            plain("\"warnings\":[]", "\"warnings\":[1]"),
            plain("\"name\":\"n\"", "\"name\":\"\\ud83d\\ude80\""),
            plain("\"name\":\"n\"", "\"name\":\"a\u{01}b\""),
            plain("\"name\":\"n\"", "\"name\":\"\\x\""),
            plain("\"name\":\"n\"", "\"name\":\"\u{202E}🚀\""),
            plain("\"host\":\"h\"", "\"host\":\"h\",\"fencingToken\":18446744073709551615"),
            plain("\"host\":\"h\"", "\"host\":\"h\",\"fencingToken\":-1"),
            plain("\"host\":\"h\"", "\"host\":\"h\",\"runId\":5"),
            plain("\"host\":\"h\"", "\"host\":\"h\",\"failure\":\"oops\""),
            plain + "x",
            String(plain.dropLast()),
            "[]", "", "{}", "null",
        ])
    )
    func handWrittenJSONReadsTheSame(json: String) {
        let expected = reference(json)
        if let read = fast(json) {
            #expect(read == expected, "the fast reader accepted what JSONDecoder reads otherwise: \(json)")
        }
        #expect((try? MigrationResult.decode(from: Data(json.utf8))) == expected, "\(json)")
    }

    @Test("the plain shape is read by the fast reader, not handed on")
    func plainShapeTakesTheFastPath() throws {
        let read = try #require(fast(Self.plain))
        #expect(read.startedAt == Date(timeIntervalSince1970: 1_796_292_000))
        #expect(read.duration == 2)
    }

    // MARK: - Generating results

    private static let texts = [
        "", "plain", "with \"quotes\" and \\ backslash", "line\nbreak\ttab\r\u{0}nul", "\u{1B}[31mred\u{1B}[0m",
        "ünïcödé 迁移 🚀", "\u{202E}evil\u{202C}", "/slash/", String(repeating: "x", count: 300), "\u{7F}\u{85}",
    ]

    private static func result(_ index: Int, _ random: inout SplitMix64) -> MigrationResult {
        func text() -> String { texts[Int(random.next() % UInt64(texts.count))] }
        func maybe() -> Bool { random.next() % 2 == 0 }
        let start = Date(timeIntervalSince1970: TimeInterval(random.next() % 4_000_000_000))
        let end = start.addingTimeInterval(TimeInterval(random.next() % 100_000))
        let status = MigrationResult.Status.allCases[Int(random.next() % UInt64(MigrationResult.Status.allCases.count))]
        var result = MigrationResult(
            name: "m-\(index)-" + text(), status: status,
            failure: maybe() ? MigrationResult.Failure.allCases.randomElement(using: &random) : nil,
            startedAt: start, finishedAt: end, error: maybe() ? text() : nil,
            warnings: (0..<Int(random.next() % 3)).map { _ in text() }, triggeredBy: text(), host: text(),
            pid: Int32(truncatingIfNeeded: random.next()), attempts: Int(random.next() % 1000),
            fencingToken: maybe() ? random.next() : nil, runId: maybe() ? text() : nil,
            recordsProcessed: maybe() ? Int(truncatingIfNeeded: random.next() >> 1) : nil)
        if maybe() { result.duration = Double(random.next() % 1_000_000) / 997 }
        if maybe() { result.shardCount = Int(random.next() % 64) }
        return result
    }
}

/// A seeded generator, so a failure names an input that reproduces.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
