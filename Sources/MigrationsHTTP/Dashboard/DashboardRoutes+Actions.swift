import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import Migrations

extension DashboardRoutes {
    /// `POST <dashboard>/migrations/<name>/<action>`: does the action, keeps what it did as the session's
    /// notice, and shows the migration's page.
    @Sendable func perform(_ request: Request, context: Context) async throws -> Response {
        guard let session = context.sessions.session else { return signInFirst() }
        guard let name = registeredName(context), let action = requestedAction(context) else {
            return notFound(context, session: session)
        }
        let checked = await refusal(of: request, context: context, session: session)
        if let refusal = checked.refusal { return refusal }
        let notice: DashboardNotice
        do {
            notice = try await perform(action, on: name, form: checked.form, context: context)
        } catch let error as MigrationsAPIError {
            notice = DashboardNotice(text: error.body.error.message, isError: true)
        } catch let error as MigrationError {
            notice = DashboardNotice(text: MigrationsAPIError(error).body.error.message, isError: true)
        } catch {
            context.logger.error(
                "a dashboard action failed",
                metadata: ["action": "\(action.rawValue)", "error": "\(VisibleText.escaping("\(error)"))"])
            notice = DashboardNotice(text: "\(action.label) of '\(name)' failed: \(error)", isError: true)
        }
        context.logger.notice(
            "dashboard action",
            metadata: [
                "action": "\(action.rawValue)", "migration": "\(VisibleText.escaping(name))",
                "actor": "\(VisibleText.escaping(session.identity.migrationsActor))",
                "outcome": "\(VisibleText.escaping(notice.text))",
            ])
        context.sessions.withLockedSession { $0?.notice = notice }
        return DashboardRenderer.seeOther(basePath + "/migrations/" + DashboardMigrationView.pathSegment(name))
    }

    private func perform(
        _ action: DashboardAction, on name: String, form: DashboardForm?, context: Context
    ) async throws -> DashboardNotice {
        let by = context.identity?.migrationsActor ?? "dashboard"
        let controls = MigrationControls(store: runner.stateStore)
        switch action {
        case .dryRun: return try await start(name, kind: "run", dryRun: true, context: context)
        case .run: return try await start(name, kind: "run", dryRun: false, context: context)
        case .rollback: return try await start(name, kind: "rollback", dryRun: false, context: context)
        case .pause:
            let outcome = try await controls.pause(name, reason: "from the dashboard", by: by)
            return DashboardNotice(text: MigrationControls.sentence(outcome, name: name), isError: false)
        case .cancel:
            let outcome = try await controls.cancel(name, reason: "from the dashboard", by: by)
            return DashboardNotice(text: MigrationControls.sentence(outcome, name: name), isError: false)
        case .resume:
            let outcome = try await controls.resume(name)
            let resumed = MigrationControls.sentence(outcome, name: name)
            guard try await runner.stateStore.state(of: name).holder == nil,
                !runner.runningMigrations.contains(name)
            else { return DashboardNotice(text: resumed, isError: false) }
            let continued = try await start(name, kind: "run", dryRun: false, context: context)
            return DashboardNotice(text: resumed + " " + continued.text, isError: continued.isError)
        case .reset:
            return try await reset(name, typed: form?.confirmation)
        }
    }

    /// Starts a run or rollback as `POST /migrations/run` does, and waits `actionWait` for its result.
    private func start(_ name: String, kind: String, dryRun: Bool, context: Context) async throws -> DashboardNotice {
        if runner.runningMigrations.contains(name) { throw MigrationError.alreadyRunningHere(name) }
        let options = controller.options(context, dryRun: dryRun)
        let app = try await controller.makeAppContext()
        let runner = self.runner
        let ticket = try controller.launch(
            kind: kind, name: name, options: options, under: dashboard.configuration.apiPath
        ) {
            [
                kind == "rollback"
                    ? try await runner.rollback(name, context: app, options: options)
                    : try await runner.run(name, context: app, options: options)
            ]
        }
        let what = kind == "rollback" ? "Rollback" : dryRun ? "Dry run" : "Run"
        guard let done = await controller.runs.finished(ticket.id, within: dashboard.configuration.actionWait) else {
            return DashboardNotice(
                text: "\(what) of '\(name)' started on this replica (run \(ticket.id)); its progress shows below.",
                isError: false)
        }
        if let error = done.error { return DashboardNotice(text: error.message, isError: true) }
        guard let result = done.results.first else {
            return DashboardNotice(text: "\(what) of '\(name)' ended without a result.", isError: true)
        }
        return Self.notice(what, of: name, result)
    }

    /// `Dry run of 'x': dry-run in 0.21 s, 1200 records.`
    static func notice(_ what: String, of name: String, _ result: MigrationResult) -> DashboardNotice {
        var text = "\(what) of '\(name)': \(result.status.rawValue)"
        if let failure = result.failure { text += " (\(failure.rawValue))" }
        text += String(format: " in %.2f s", result.duration)
        if let records = result.recordsProcessed { text += ", \(records) records" }
        if let error = result.error { text += ": \(error)" }
        if !result.warnings.isEmpty { text += "; warnings: " + result.warnings.joined(separator: "; ") }
        return DashboardNotice(text: text + ".", isError: result.isFailure)
    }

    /// Clears the completion marker, error and checkpoint, as `migrations reset` does, once the name is
    /// typed out; never while a replica runs the migration.
    private func reset(_ name: String, typed: String?) async throws -> DashboardNotice {
        guard typed == name else {
            return DashboardNotice(
                text: "'\(name)' was not reset: the name typed did not match it.", isError: true)
        }
        let state = try await runner.stateStore.state(of: name)
        if let holder = state.holder {
            return DashboardNotice(
                text: "'\(name)' was not reset: it is running, held by \(holder.summary). Cancel it first.",
                isError: true)
        }
        try await runner.stateStore.reset(name, keepingCheckpoint: false)
        return DashboardNotice(
            text: "Reset '\(name)': its completion marker, error and checkpoint are cleared; the next run starts "
                + "it from the beginning.", isError: false)
    }
}
