import Foundation
import Hummingbird
import HummingbirdAuth
import Migrations

extension MigrationsController {
    /// `GET /migrations/runs/<id>`: the ticket of a run started over HTTP, with its progress while it runs.
    @Sendable func runTicket(_ request: Request, context: Context) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard var ticket = runs.ticket(id) else {
            throw MigrationsAPIError(
                status: .notFound, code: "not-found",
                message: "no run '\(EchoedInput.capped(id))' here: it was started by another replica, or it "
                    + "ended more than \(runs.retainedRuns) runs ago, or the service restarted since")
        }
        if ticket.state == .running, let name = ticket.name {
            ticket.progress = runner.progress(of: name)
        }
        return try JSONResponse.make(ticket)
    }

    /// Starts one migration's run or rollback (`step`) as the request's wait preference says: an unknown
    /// name answers 404 and a migration this process runs already 409, before anything starts.
    func startRun(
        of name: String,
        kind: String,
        dryRun: Bool?,
        _ request: Request,
        _ context: Context,
        step: @escaping @Sendable (MigrationRunner<App>, App, MigrationRunOptions) async throws -> MigrationResult
    ) async throws -> Response {
        let wait = try RunWaitPreference(request)
        return try await answering(context) {
            _ = try runner.registry.require(name)
            if runner.runningMigrations.contains(name) { throw MigrationError.alreadyRunningHere(name) }
            let options = options(context, dryRun: dryRun)
            let app = try await makeAppContext()
            let runner = self.runner
            return try await startRun(
                request, kind: kind, name: name, options: options, wait: wait, answersOneResult: true
            ) { [try await step(runner, app, options)] }
        }
    }

    /// Starts `work` in ``runs`` and answers as `wait` says: `202 Accepted` with the ticket and a
    /// `Location` to poll, or, once the run ended within the wait, the result (`answersOneResult`) or the
    /// results with the status a synchronous endpoint answers.
    func startRun(
        _ request: Request,
        kind: String,
        name: String?,
        options: MigrationRunOptions,
        wait: RunWaitPreference,
        answersOneResult: Bool,
        work: @escaping @Sendable () async throws -> [MigrationResult]
    ) async throws -> Response {
        let started = try launch(kind: kind, name: name, options: options, under: Self.groupPath(of: request), work)
        let id = started.id
        let limit: Duration?
        switch wait {
        case .none: return try accepted(started, preferenceApplied: nil)
        case .untilFinished: limit = nil
        case .upTo(let duration): limit = duration
        }
        let applied = limit.map { "wait=\(Self.seconds($0))" }
        guard let done = await runs.finished(id, within: limit) else {
            var going = runs.ticket(id) ?? started
            if let name { going.progress = runner.progress(of: name) }
            return try accepted(going, preferenceApplied: applied)
        }
        if done.state == .refused, let error = done.error {
            throw MigrationsAPIError(
                status: HTTPResponse.Status(code: done.answerStatus ?? 503), code: error.code, message: error.message,
                migration: error.migration, holder: error.holder)
        }
        let status = HTTPResponse.Status(code: done.answerStatus ?? 200)
        var response =
            if answersOneResult, let result = done.results.first {
                try JSONResponse.make(result, status: status)
            } else {
                try JSONResponse.make(done.results, status: status)
            }
        if let applied { response.headers[RunWaitPreference.preferenceApplied] = applied }
        return response
    }

    private func accepted(_ ticket: MigrationRunTicket, preferenceApplied: String?) throws -> Response {
        var response = try JSONResponse.make(ticket, status: .accepted)
        response.headers[.location] = ticket.location
        if let preferenceApplied { response.headers[RunWaitPreference.preferenceApplied] = preferenceApplied }
        return response
    }

    /// Starts `work` in ``runs`` and returns its ticket at once, before the run ends.
    ///
    /// - Parameters:
    ///   - kind: `run`, `run-pending` or `rollback`.
    ///   - name: The migration, for a run or rollback of one.
    ///   - options: The run's options; their `triggeredBy` is the ticket's.
    ///   - groupPath: The path of the JSON endpoints' group (`/migrations`), for the ticket's `location`.
    ///   - work: The run itself.
    /// - Returns: The ticket of the run, in state running.
    /// - Throws: 503 when the service is shutting down and starts no new runs.
    func launch(
        kind: String,
        name: String?,
        options: MigrationRunOptions,
        under groupPath: String,
        _ work: @escaping @Sendable () async throws -> [MigrationResult]
    ) throws -> MigrationRunTicket {
        let id = MigrationRunID.random()
        let ticket = MigrationRunTicket(
            id: id, kind: kind, name: name, dryRun: options.dryRun, triggeredBy: options.triggeredBy ?? "http",
            state: .running, location: groupPath + "/runs/" + id, startedAt: Date(), results: [])
        let started = runs.start(ticket) {
            do {
                let results = try await work()
                return .success((results, Int(Self.status(of: results).code)))
            } catch let error as MigrationError {
                return .failure(MigrationsAPIError(error))
            } catch {
                return .failure(MigrationsAPIError.unexpected(error))
            }
        }
        guard let started else {
            throw MigrationsAPIError(
                status: .serviceUnavailable, code: "service-unavailable",
                message: "the service is shutting down and starts no new runs; try another replica")
        }
        return started
    }

    /// `/migrations`: the path of a request to `/migrations/run` (or another endpoint one level under the
    /// group), its last component removed.
    private static func groupPath(of request: Request) -> String {
        var components = request.uri.path.split(separator: "/", omittingEmptySubsequences: false)
        if !components.isEmpty { components.removeLast() }
        return components.joined(separator: "/")
    }

    /// `10`, `0.200`: whole seconds bare, others to the millisecond.
    private static func seconds(_ duration: Duration) -> String {
        let seconds = duration.timeInterval
        return seconds == seconds.rounded() ? "\(Int(seconds))" : String(format: "%.3f", seconds)
    }
}
