import Foundation
import Migrations
import MigrationsTestSupport
import Testing

@Suite("File store and file lease", .timeLimit(.minutes(5)))
struct FileStoreTests {
    @Test("completion survives a new store instance, as after a process restart")
    func completionSurvivesRestart() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try TestHarness([counting("a")], store: FileStateStore(directory: directory))
        #expect(try await first.runner.run("a", context: first.app).status == .completed)

        let restarted = try TestHarness([counting("a")], store: FileStateStore(directory: directory))
        #expect(try await restarted.runner.run("a", context: restarted.app).status == .skipped)
        let status = try await restarted.runner.status(context: restarted.app)
        #expect(status.first?.state == .completed)
        #expect(status.first?.lastResult?.triggeredBy == "tests")
    }

    @Test("the files are <name>.done with the result JSON and <name>.error with the message")
    func fileLayoutIsDocumented() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let harness = try TestHarness(
            [counting("good"), counting("bad") { _ in throw StepError.boom }],
            store: FileStateStore(directory: directory))
        _ = try await harness.runner.runPending(context: harness.app, options: .init(continueOnError: true))
        let done = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/good.done"))
        #expect(try MigrationResult.decode(from: done).status == .completed)
        #expect(try String(contentsOfFile: "\(directory)/bad.error", encoding: .utf8) == "boom")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test(
        "hostile names stay inside the directory, never collide, and read back exactly",
        arguments: [["../x", "..", ".", "a/b", "/etc/passwd", "~x", "a b", "a:b", "*", "ünï", ".hidden", "x"]]
    )
    func hostileNamesStayInside(names: [String]) async throws {
        let parent = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let directory = parent + "/state"
        let harness = try TestHarness(names.map { counting($0) }, store: FileStateStore(directory: directory))
        let results = try await harness.runner.runPending(context: harness.app)
        #expect(results.allSatisfy { $0.status == .completed })
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["state"])
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".done") }
        #expect(files.count == names.count)
        let states = try await harness.store.states(for: names)
        for name in names {
            #expect(states[name]?.lastResult?.name == name)
        }
        #expect(!FileManager.default.fileExists(atPath: parent + "/x.done"))
    }

    @Test(
        "the file names of other names are unpadded base64url, as earlier versions wrote them",
        arguments: [
            ("../x", "~Li4veA"), ("ünï", "~w7xuw68"), ("a?>", "~YT8-"), ("ÿÿ", "~w7_Dvw"), ("plain-1.x", "plain-1.x"),
        ]
    )
    func fileNamesAreStable(name: String, stem: String) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let harness = try TestHarness([counting(name)], store: FileStateStore(directory: directory))
        _ = try await harness.runner.run(name, context: harness.app)
        #expect(FileManager.default.fileExists(atPath: "\(directory)/\(stem).done"))
    }

    @Test("names with NUL or newline are refused before they reach the disk")
    func controlCharactersAreRefused() throws {
        for name in ["a\u{0}b", "a\nb"] {
            #expect(throws: MigrationError.self) { try MigrationRegistry<TestApp>([counting(name)]) }
        }
    }

    @Test("rollback removes <name>.done")
    func rollbackRemovesDone() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let harness = try TestHarness([counting("a")], store: FileStateStore(directory: directory))
        _ = try await harness.runner.run("a", context: harness.app)
        #expect(try await harness.runner.rollback("a", context: harness.app).status == .rolledBack)
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/a.done"))
    }

    @Test("a file lease excludes a second holder, shows who holds it, and increments the fence")
    func fileLeaseExcludesAndFences() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let leases = try FileLeaseProvider(directory: directory)
        let holder = LeaseHolder(host: "h", pid: 7, triggeredBy: "ops")
        let request = LeaseRequest(name: "a", holder: holder, skipIfCompleted: false)
        guard case .acquired(let lease, _) = try await leases.acquire(request) else {
            Issue.record("first acquire failed")
            return
        }
        #expect(lease.fence.fencingToken == 1)
        guard case .heldBy(let seen) = try await leases.acquire(request) else {
            Issue.record("second acquire succeeded")
            return
        }
        #expect(seen?.pid == 7)
        #expect(leases.holder(of: "a")?.host == "h")
        let store = try FileStateStore(directory: directory)
        #expect(try await store.state(of: "a").holder?.triggeredBy == "ops")
        try await lease.release()
        #expect(leases.holder(of: "a") == nil)
        guard case .acquired(let again, _) = try await leases.acquire(request) else {
            Issue.record("acquire after release failed")
            return
        }
        #expect(again.fence.fencingToken == 2)
        try await again.release()
    }

    @Test("two real processes racing on the file lease run every migration once")
    func twoProcessesRunEachMigrationOnce() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = directory + "/journal.log"
        let count = 25
        var workers: [ChildProcess] = []
        for _ in 0..<2 {
            workers.append(
                try await ChildProcess.launch(
                    "MigrationsTestWorker",
                    [
                        "--state-dir", directory + "/state", "--stem", "race", "--count", "\(count)", "--record",
                        "journal", "--journal", journal, "--step-ms", "10",
                    ]))
        }
        for worker in workers {
            let outcome = try await worker.wait()
            #expect(outcome.status == 0, "worker failed: \(outcome)")
        }
        // One `<name> <pid>` line per execution.
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        let runs = Dictionary(grouping: lines, by: { $0.split(separator: " ")[0] }).mapValues(\.count)
        #expect(runs.count == count)
        #expect(runs.values.allSatisfy { $0 == 1 }, "double runs: \(runs.filter { $0.value > 1 })")
        let store = try FileStateStore(directory: directory + "/state")
        let states = try await store.states(for: (0..<count).map { "race-\($0)" })
        #expect(states.values.allSatisfy { $0.isCompleted })
    }
}
