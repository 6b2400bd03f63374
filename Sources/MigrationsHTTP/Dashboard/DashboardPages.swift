import Migrations

/// What every page shows around its content: the header, who is signed in, the notice of the last
/// action, and where the stylesheet, the script and the events stream are.
struct DashboardChrome: Sendable {
    var title: String
    var basePath: String
    var cssPath: String
    var jsPath: String
    var eventsPath: String
    var logoutPath: String
    /// Whether the page updates itself (the script and the `<noscript>` refresh are included).
    var live: Bool
    var isSignedIn: Bool
    var actor: String
    var csrfToken: String
    var hasNotice: Bool
    var notice: String
    var noticeIsError: Bool

    init<Identity>(
        title: String, basePath: String, live: Bool, session: MigrationsDashboardSession<Identity>?,
        notice: DashboardNotice?
    ) {
        self.title = VisibleText.escaping(title)
        self.basePath = basePath
        cssPath = basePath + "/assets/dashboard.css"
        jsPath = basePath + "/assets/dashboard.js"
        eventsPath = basePath + "/events"
        logoutPath = basePath + "/logout"
        self.live = live
        isSignedIn = session != nil
        actor = VisibleText.escaping(session?.identity.migrationsActor ?? "")
        csrfToken = session?.csrfToken ?? ""
        hasNotice = notice != nil
        self.notice = VisibleText.escaping(notice?.text ?? "")
        noticeIsError = notice?.isError ?? false
    }
}

/// `GET <dashboard>`: every registered migration, in run order.
struct DashboardListPage: Sendable {
    var chrome: DashboardChrome
    var migrations: [DashboardMigrationView]
    /// `7 migrations: 5 completed, 1 running, 1 pending`.
    var summary: String

    init(chrome: DashboardChrome, migrations: [DashboardMigrationView]) {
        self.chrome = chrome
        self.migrations = migrations
        var counts: [(String, Int)] = []
        for migration in migrations {
            if let index = counts.firstIndex(where: { $0.0 == migration.state }) {
                counts[index].1 += 1
            } else {
                counts.append((migration.state, 1))
            }
        }
        let noun = migrations.count == 1 ? "migration" : "migrations"
        summary =
            "\(migrations.count) \(noun)"
            + (counts.isEmpty ? "" : ": " + counts.map { "\($0.1) \($0.0)" }.joined(separator: ", "))
    }
}

/// `GET <dashboard>/migrations/<name>`.
struct DashboardDetailPage: Sendable {
    var chrome: DashboardChrome
    var detail: DashboardDetailView
    var backLink: String
}

/// `GET <dashboard>/migrations/<name>/confirm/<action>`: what the action does, and the form that does it.
struct DashboardConfirmPage: Sendable {
    var chrome: DashboardChrome
    var name: String
    var actionLabel: String
    var consequence: String
    var isDestructive: Bool
    /// Whether the operator must type the migration's name (reset).
    var needsTypedName: Bool
    var formAction: String
    var csrfToken: String
    var backLink: String
}

/// `GET <dashboard>/login`.
struct DashboardLoginPage: Sendable {
    var chrome: DashboardChrome
    var loginPath: String
    var hasError: Bool
    var error: String
}

/// A page with one message: a refusal, a failure to read the state.
struct DashboardMessagePage: Sendable {
    var chrome: DashboardChrome
    var heading: String
    var text: String
    var backLink: String
}
