import Foundation
import Hummingbird
import HummingbirdAuth
import Migrations
import ServiceLifecycle

extension MigrationsController {
    /// How often the events stream reads the state of every migration: a running migration's progress
    /// reaches a live view at most twice a second.
    static var eventPollInterval: Duration { .milliseconds(500) }

    /// How long one events stream lasts before the server ends it; the browser's `EventSource` reconnects
    /// by itself (after the `retry:` delay), so a stream never pins a connection, or a graceful shutdown,
    /// for long.
    static var eventStreamLifetime: Duration { .seconds(300) }

    /// `GET /migrations/events`: Server-Sent Events of every migration's state, read from the store, so a
    /// migration held by another replica shows its progress too.
    ///
    /// The stream opens with one `status` event per migration (the ``Migrations/MigrationStatusRow`` as JSON,
    /// as `GET /migrations` lists it), then sends a `status` event whenever a row changes (its state,
    /// holder, control request, or a running migration's progress), at most one per migration per half
    /// second, an `error` event when the store cannot be read, and a comment every 15 s to keep proxies
    /// from closing an idle stream. It ends after five minutes, or at the graceful shutdown.
    @Sendable func events(_ request: Request, context: Context) async throws -> Response {
        let app = try await answering(context) { try await makeAppContext() }
        return eventStream(app: app)
    }

    /// The events stream's response: what `GET /migrations/events` and the dashboard's own stream answer.
    ///
    /// - Parameter app: The application context the runner reads the state with.
    /// - Returns: A `text/event-stream` response that streams until its lifetime ends or the service stops.
    func eventStream(app: App) -> Response {
        let runner = self.runner
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            try await Self.streamEvents(runner: runner, app: app, to: &writer)
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"],
            body: body)
    }

    private static func streamEvents(
        runner: MigrationRunner<App>, app: App, to writer: inout any ResponseBodyWriter
    ) async throws {
        let end = ContinuousClock.now + eventStreamLifetime
        var sent: [String: MigrationStatusRow] = [:]
        var sequence = 0
        var lastWrite = ContinuousClock.now
        while ContinuousClock.now < end, !Task.isCancelled, !Task.isShuttingDownGracefully {
            var chunk = ""
            do {
                for row in try await runner.status(context: app).map(MigrationStatusRow.init)
                where sent[row.name] != row {
                    sequence += 1
                    chunk += try event("status", id: sequence, MigrationJSON.encode(row))
                    sent[row.name] = row
                }
            } catch {
                let detail = MigrationsAPIError.Detail(
                    code: "state-store", message: "could not read the migrations' state: \(error)")
                chunk += try event("error", id: nil, MigrationJSON.encode(detail))
            }
            if chunk.isEmpty, ContinuousClock.now - lastWrite >= .seconds(15) { chunk = ": keep-alive\n\n" }
            if !chunk.isEmpty {
                try await writer.write(ByteBuffer(string: chunk))
                lastWrite = .now
            }
            do {
                try await Task.sleep(for: eventPollInterval)
            } catch {
                return
            }
        }
    }

    /// One event: its name, id and the JSON, one `data:` line per line of it.
    private static func event(_ name: String, id: Int?, _ json: Data) -> String {
        let lines = String(decoding: json, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return "event: \(name)\n" + (id.map { "id: \($0)\n" } ?? "")
            + lines.map { "data: \($0)\n" }.joined() + "\n"
    }
}
