import Foundation
import InMemoryLogging
import Logging
import Migrations
import MigrationsTestSupport
import Testing

@Suite("Progress", .timeLimit(.minutes(5)))
struct ProgressTests {
    @Test("increments from many tasks are all counted")
    func concurrentIncrementsAreCounted() async {
        let progress = MigrationProgress(total: 80_000)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<10_000 { progress.increment() } }
            }
        }
        let snapshot = progress.snapshot()
        #expect(snapshot.completed == 80_000)
        #expect(snapshot.fraction == 1)
    }

    @Test("the snapshot computes rate and ETA from elapsed time")
    func snapshotComputesRateAndETA() {
        let snapshot = ProgressSnapshot(
            completed: 250, total: 1000, elapsedSeconds: 5, isFinished: false, startedAt: Date())
        #expect(snapshot.ratePerSecond == 50)
        #expect(snapshot.etaSeconds == 15)
        #expect(snapshot.summary == "25.0% (250/1000), 50.0/s, ETA 15s")
    }

    @Test("complete() fills the total")
    func completeFillsTotal() {
        let progress = MigrationProgress(total: 10)
        progress.increment(by: 3)
        progress.complete()
        #expect(progress.snapshot().completed == 10)
        #expect(progress.snapshot().isFinished)
    }

    @Test("the runner logs progress at its interval, not on every increment, and exposes it while running")
    func runnerLogsThrottledProgress() async throws {
        let release = Flag()
        let harness = try TestHarness(
            [
                counting("big") { context in
                    context.progress.setTotal(100_000)
                    for _ in 0..<100_000 { context.progress.increment() }
                    while !release.isSet { try await Task.sleep(for: .milliseconds(10)) }
                }
            ],
            progressInterval: .milliseconds(100)
        )
        async let result = harness.runner.run("big", context: harness.app)
        var seen: ProgressSnapshot?
        while seen?.completed != 100_000 {
            try await Task.sleep(for: .milliseconds(5))
            seen = harness.runner.progress(of: "big")
        }
        try await Task.sleep(for: .milliseconds(350))
        release.set()
        #expect(try await result.status == .completed)
        let progressLines = harness.logs.entries.filter { $0.message.description.hasPrefix("progress ") }
        #expect(progressLines.count >= 1)
        #expect(progressLines.count <= 6)
        #expect(progressLines.last?.message.description.hasPrefix("progress 100.0% (100000/100000)") == true)
        #expect(harness.runner.progress(of: "big") == nil)
    }
}
