import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import Migrations

/// The dashboard's handlers: the pages (here), signing in and out (`+Session`) and the actions
/// (`+Actions`).
struct DashboardRoutes<App: Sendable, Context>: Sendable
where
    Context: AuthRequestContext & SessionRequestContext,
    Context.Identity: MigrationsIdentity & Codable,
    Context.Session == MigrationsDashboardSession<Context.Identity>
{
    typealias Session = MigrationsDashboardSession<Context.Identity>

    let dashboard: MigrationsDashboard<App, Context>
    /// `/dashboard`: where the dashboard is mounted, for every link.
    let basePath: String

    var controller: MigrationsController<App, Context> { dashboard.controller }
    var runner: MigrationRunner<App> { controller.runner }

    // MARK: - Pages

    /// `GET <dashboard>`: the list.
    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        guard let session = context.sessions.session else { return signInFirst() }
        let statuses: [MigrationStatus]
        do {
            statuses = try await runner.status(context: try await controller.makeAppContext())
        } catch {
            return unreadable(error, session: session, context: context)
        }
        let page = DashboardListPage(
            chrome: chrome("Migrations", live: true, session: session, context: context),
            migrations: statuses.map { DashboardMigrationView($0, basePath: basePath) })
        return DashboardRenderer.response(page, template: "list")
    }

    /// `GET <dashboard>/migrations/<name>`: one migration.
    @Sendable func details(_ request: Request, context: Context) async throws -> Response {
        guard let session = context.sessions.session else { return signInFirst() }
        guard let name = registeredName(context) else { return notFound(context, session: session) }
        let status: MigrationStatus?
        let history: [MigrationResult]
        do {
            status = try await runner.status(context: try await controller.makeAppContext()).first { $0.name == name }
            history = try await runner.stateStore.history(of: name, limit: 50)
        } catch {
            return unreadable(error, session: session, context: context)
        }
        guard let status else { return notFound(context, session: session) }
        var keys: [MigrationsDashboardKey]?
        var keysProblem: String?
        if let storedKeys = dashboard.configuration.storedKeys {
            do {
                keys = try await storedKeys(name)
            } catch {
                keysProblem = "The stored keys could not be read: \(error)"
            }
        }
        var detail = DashboardDetailView(status, history: history, keys: keys, basePath: basePath)
        if let keysProblem { detail.keysUnavailable = VisibleText.escaping(keysProblem) }
        if keys == [] { detail.keysUnavailable = "No key is stored for this migration." }
        let page = DashboardDetailPage(
            chrome: chrome(name, live: true, session: session, context: context), detail: detail, backLink: basePath)
        return DashboardRenderer.response(page, template: "detail")
    }

    /// `GET <dashboard>/migrations/<name>/confirm/<action>`: the confirmation of an action.
    @Sendable func confirmation(_ request: Request, context: Context) async throws -> Response {
        guard let session = context.sessions.session else { return signInFirst() }
        guard let name = registeredName(context), let action = requestedAction(context) else {
            return notFound(context, session: session)
        }
        let link = basePath + "/migrations/" + DashboardMigrationView.pathSegment(name)
        let page = DashboardConfirmPage(
            chrome: chrome("\(action.label) \(name)?", live: false, session: session, context: context),
            name: VisibleText.escaping(name), actionLabel: action.label, consequence: action.consequence,
            isDestructive: action.isDestructive, needsTypedName: action == .reset,
            formAction: link + "/" + action.rawValue, csrfToken: session.csrfToken, backLink: link)
        return DashboardRenderer.response(page, template: "confirm")
    }

    /// `GET <dashboard>/events`: the JSON endpoints' events stream, for a signed-in page.
    @Sendable func events(_ request: Request, context: Context) async throws -> Response {
        guard context.sessions.session != nil else {
            return Response(
                status: .unauthorized, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "sign in first\n")))
        }
        let app = try await controller.answering(context) { try await controller.makeAppContext() }
        return controller.eventStream(app: app)
    }

    /// A stylesheet or script, cached for five minutes.
    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "private, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: - Helpers

    /// The page's surroundings; shows the notice of the last action once, then forgets it.
    func chrome(_ title: String, live: Bool, session: Session?, context: Context) -> DashboardChrome {
        let notice = session?.notice
        if notice != nil {
            context.sessions.withLockedSession { $0?.notice = nil }
        }
        return DashboardChrome(
            title: title == "Migrations" ? title : title + " · Migrations", basePath: basePath, live: live,
            session: session, notice: notice)
    }

    /// The `:name` of the path, percent-decoded, when it names a registered migration.
    func registeredName(_ context: Context) -> String? {
        let raw = context.parameters.get("name") ?? ""
        let name = raw.removingPercentEncoding ?? raw
        return (try? runner.registry.require(name)) == nil ? nil : name
    }

    /// The `:action` of the path.
    func requestedAction(_ context: Context) -> DashboardAction? {
        DashboardAction(rawValue: context.parameters.get("action") ?? "")
    }

    /// `303` to the sign-in form.
    func signInFirst() -> Response {
        DashboardRenderer.seeOther(basePath + "/login")
    }

    func notFound(_ context: Context, session: Session?) -> Response {
        message(
            "Not found", "No registered migration or action has that name.", status: .notFound, session: session,
            context: context)
    }

    /// 503: the state store could not be read.
    func unreadable(_ error: any Error, session: Session, context: Context) -> Response {
        context.logger.error(
            "the dashboard could not read the migrations' state",
            metadata: ["error": "\(VisibleText.escaping("\(error)"))"])
        return message(
            "State unavailable", "The migrations' state could not be read: \(error)", status: .serviceUnavailable,
            session: session, context: context)
    }

    /// A page with one message.
    func message(
        _ heading: String, _ text: String, status: HTTPResponse.Status, session: Session?, context: Context
    ) -> Response {
        let page = DashboardMessagePage(
            chrome: chrome(heading, live: false, session: session, context: context),
            heading: VisibleText.escaping(heading), text: VisibleText.escaping(text), backLink: basePath)
        return DashboardRenderer.response(page, template: "message", status: status)
    }
}
