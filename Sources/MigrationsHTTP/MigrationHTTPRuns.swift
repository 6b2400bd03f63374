import Foundation
import HTTPTypes
import Migrations
public import ServiceLifecycle
import Synchronization

/// The runs started over HTTP: each executes in a task of its own, owned by this service and not by the
/// request, so a run outlives its request, a client that disconnects does not cancel it, and a 30-minute
/// backfill never meets an HTTP timeout.
///
/// Add it to the application's `ServiceGroup` (``MigrationsController/runs``): on graceful shutdown it
/// cancels the runs still going and waits for them, so each writes its last checkpoint, releases its
/// lease and records nothing (``Migrations/MigrationResult/Status/interrupted``); the next attempt, in
/// any replica, resumes. Without it in the group, a run ends with the process, as after a crash, and its
/// lease expires.
///
/// It keeps the last ``retainedRuns`` finished runs for `GET /migrations/runs/<id>`.
public final class MigrationHTTPRuns: Service, Sendable {
    /// How many finished runs stay answerable.
    public let retainedRuns: Int

    private struct Entry {
        var ticket: MigrationRunTicket
        var task: Task<MigrationRunTicket, Never>?
    }

    private struct Runs {
        var entries: [String: Entry] = [:]
        var finishedOrder: [String] = []
        var shuttingDown = false
    }

    private let runs = Mutex(Runs())

    /// Creates the registry of runs.
    ///
    /// - Parameter retainedRuns: How many finished runs stay answerable; 100 by default.
    public init(retainedRuns: Int = 100) {
        self.retainedRuns = max(retainedRuns, 1)
    }

    /// Waits for the graceful shutdown, then cancels every run still going and waits until each has
    /// stopped at its checkpoint and released its lease.
    public func run() async throws {
        try? await gracefulShutdown()
        let going = runs.withLock { runs in
            runs.shuttingDown = true
            return runs.entries.values.compactMap(\.task)
        }
        for task in going { task.cancel() }
        for task in going { _ = await task.value }
    }

    /// The run with `id`, if it is going or among the retained finished ones.
    ///
    /// - Parameter id: The run's id.
    public func ticket(_ id: String) -> MigrationRunTicket? {
        runs.withLock { $0.entries[id]?.ticket }
    }

    /// Starts `work` in a task of its own and answers its ticket at once.
    ///
    /// - Parameters:
    ///   - ticket: The run's description, in state ``MigrationRunTicket/State/running``.
    ///   - work: The run: its results and the status a waiting request answers, or the refusal.
    /// - Returns: The ticket, or `nil` when the service is shutting down and starts nothing new.
    func start(
        _ ticket: MigrationRunTicket,
        _ work: @escaping @Sendable () async -> Result<([MigrationResult], Int), MigrationsAPIError>
    ) -> MigrationRunTicket? {
        let id = ticket.id
        return runs.withLock { runs -> MigrationRunTicket? in
            guard !runs.shuttingDown else { return nil }
            runs.entries[id] = Entry(ticket: ticket, task: nil)
            runs.entries[id]?.task = Task { [self] in
                let outcome = await work()
                return finish(id, outcome)
            }
            return ticket
        }
    }

    /// Waits for the run to end, for at most `limit` (for ever when `nil`); the waiting request's own
    /// cancellation (a client that went away) ends the wait, never the run.
    ///
    /// - Returns: The finished ticket, or `nil` when the run was still going at the limit.
    func finished(_ id: String, within limit: Duration?) async -> MigrationRunTicket? {
        // Polls the ticket rather than awaiting the run's task, whose value cannot be given up on when the
        // waiting request is cancelled.
        let deadline = limit.map { ContinuousClock.now + $0 }
        while true {
            guard let ticket = ticket(id) else { return nil }
            if ticket.state != .running { return ticket }
            if let deadline, ContinuousClock.now >= deadline { return nil }
            do {
                try await Task.sleep(for: .milliseconds(10))
            } catch {
                return nil
            }
        }
    }

    private func finish(
        _ id: String, _ outcome: Result<([MigrationResult], Int), MigrationsAPIError>
    ) -> MigrationRunTicket {
        runs.withLock { runs in
            guard var ticket = runs.entries[id]?.ticket else {
                preconditionFailure("run \(id) finished without its entry")
            }
            ticket.finishedAt = Date()
            ticket.progress = nil
            switch outcome {
            case .success(let (results, status)):
                ticket.state = .finished
                ticket.results = results
                ticket.answerStatus = status
            case .failure(let error):
                ticket.state = .refused
                ticket.error = error.body.error
                ticket.answerStatus = Int(error.status.code)
            }
            runs.entries[id] = Entry(ticket: ticket, task: nil)
            runs.finishedOrder.append(id)
            while runs.finishedOrder.count > retainedRuns {
                runs.entries.removeValue(forKey: runs.finishedOrder.removeFirst())
            }
            return ticket
        }
    }
}
