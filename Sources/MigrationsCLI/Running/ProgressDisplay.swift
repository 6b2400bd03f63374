import Migrations

/// Live progress bars, one per running migration, drawn on a terminal while a run goes on.
///
/// It samples `MigrationRunner.progress(of:)` ten times a second. Each result the run records is
/// printed above the bars as a line saying how that migration ended (even one too quick to get a bar);
/// a migration that stops running without a recorded result (a dry run) gets a neutral line.
struct ProgressDisplay<Context: Sendable>: Sendable {
    let runner: MigrationRunner<Context>
    let recorder: RecordingStateStore
    let console: TerminalConsole
    var interval: Duration = .milliseconds(100)

    /// Runs `body` while drawing the bars; the bars are cleared before it returns.
    func whileRunning<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                await draw()
                return nil
            }
            defer { console.clearStatus() }
            while let next = try await group.next() {
                if let value = next {
                    group.cancelAll()
                    return value
                }
            }
            throw CancellationError()
        }
    }

    /// What the display has drawn so far.
    private struct Drawn {
        var shown: Set<String> = []
        var snapshots: [String: ProgressSnapshot] = [:]
        var waits: [String: LeaseWait] = [:]
        var reportedResults = 0
    }

    /// Redraws until cancelled, then reports what is left.
    private func draw() async {
        let nameWidth = runner.registry.names.map(\.count).max() ?? 0
        var drawn = Drawn()
        while !Task.isCancelled {
            let running = Set(runner.runningMigrations)
            reportResults(&drawn, stillRunning: running)
            for name in running {
                drawn.waits[name] = runner.leaseWait(of: name)
                if drawn.waits[name] == nil, let snapshot = runner.progress(of: name) {
                    drawn.snapshots[name] = snapshot
                }
            }
            drawn.shown = running
            let width = console.columns
            console.setStatus(
                drawn.shown.sorted().map { name in
                    if let wait = drawn.waits[name] {
                        return ProgressBar.waitingLine(name: name, wait: wait, nameWidth: nameWidth)
                    }
                    return ProgressBar.line(
                        name: name, snapshot: drawn.snapshots[name], nameWidth: nameWidth, width: width,
                        style: console.style)
                })
            do { try await Task.sleep(for: interval) } catch { break }
        }
        reportResults(&drawn, stillRunning: [])
    }

    /// Prints a line for every newly recorded result, and for every migration that stopped running
    /// without one.
    private func reportResults(_ drawn: inout Drawn, stillRunning running: Set<String>) {
        let results = recorder.results
        var reported: Set<String> = []
        for result in results.dropFirst(drawn.reportedResults) {
            reported.insert(result.name)
            console.print(
                ProgressBar.finishedLine(
                    name: result.name, snapshot: drawn.snapshots[result.name], result: result, style: console.style)
                    + "\n")
        }
        drawn.reportedResults = results.count
        for name in drawn.shown.subtracting(running).sorted() where !reported.contains(name) {
            if recorder.result(for: name) == nil {
                console.print(
                    ProgressBar.finishedLine(
                        name: name, snapshot: drawn.snapshots[name], result: nil,
                        wasWaiting: drawn.waits[name] != nil, style: console.style) + "\n")
            }
            drawn.snapshots[name] = nil
            drawn.waits[name] = nil
        }
    }
}
