import Foundation
public import Hummingbird
public import HummingbirdAuth
import Logging
import Migrations

/// A web page of every migration of the fleet, live, with the operator's controls: mount it in any
/// Hummingbird 2 application beside the JSON endpoints.
///
/// ```swift
/// typealias Context = BasicSessionRequestContext<MigrationsDashboardSession<MigrationsCaller>, MigrationsCaller>
/// let router = Router(context: Context.self)
/// let controller = MigrationsController<Services, Context>(runner: runner, context: { services })
/// controller.addRoutes(to: router.group("migrations"), authenticator: BearerTokenAuthenticator(tokens: tokens))
/// MigrationsDashboard(controller: controller, tokens: tokens)
///     .addRoutes(to: router, atPath: "/dashboard", sessions: MemoryPersistDriver())
/// ```
///
/// | method and path | what it does |
/// |---|---|
/// | `GET /dashboard` | the list: state, holder, progress bar with rate and ETA, last run, error, actions |
/// | `GET /dashboard/migrations/<name>` | one migration: checkpoint, control, shards, history, stored keys |
/// | `GET /dashboard/migrations/<name>/confirm/<action>` | what the action does, and the form doing it |
/// | `POST /dashboard/migrations/<name>/<action>` | `dry-run`, `run`, `pause`, `resume`, `cancel`, `rollback`, `reset` |
/// | `GET /dashboard/login`, `POST /dashboard/login` | the sign-in form; it posts the field `token` |
/// | `POST /dashboard/logout` | ends the session |
/// | `GET /dashboard/events` | the JSON endpoints' Server-Sent Events, for the signed-in page |
/// | `GET /dashboard/assets/dashboard.css`, `…/dashboard.js` | the stylesheet and the script |
///
/// **Signing in.** The form exchanges a token the JSON endpoints accept for a session: the session store
/// (`sessions`, hummingbird-auth's session support) keeps who signed in and the session's CSRF token, and
/// the browser gets only a random session id, in a cookie that is `HttpOnly`, `SameSite=Strict`, scoped
/// to the dashboard's path, and `Secure` when ``Configuration/servedOverTLS`` says so. A page requested
/// without a session redirects to the form; the events stream answers 401.
///
/// **Actions** run as the JSON endpoints do (the same runs, controls and options, the signed-in identity
/// recorded as `triggeredBy` or as who paused), each behind a confirmation page; reset also asks for the
/// migration's name typed out. Every form carries the session's CSRF token and is refused (403) without
/// it, or when the browser says it was sent from another origin. The page then shows what the action did.
///
/// **Safety.** Every value from the state store or the registry is rendered HTML-escaped, with control
/// and bidirectional characters shown as `\u{…}` escapes (``Migrations/VisibleText``). Every response has
/// a Content-Security-Policy allowing only the dashboard's own script and stylesheet, no inline script,
/// no framing. Without JavaScript the page refreshes itself every five seconds.
public struct MigrationsDashboard<App: Sendable, Context>: Sendable
where
    Context: AuthRequestContext & SessionRequestContext,
    Context.Identity: MigrationsIdentity & Codable,
    Context.Session == MigrationsDashboardSession<Context.Identity>
{
    /// How the dashboard behaves.
    public struct Configuration: Sendable {
        /// Whether browsers reach the dashboard over TLS (directly or through a proxy that terminates it):
        /// the session cookie is then `Secure`. `false` by default, for a service on loopback.
        public var servedOverTLS: Bool
        /// How long a session lasts after sign-in.
        public var sessionLifetime: Duration
        /// Where the JSON endpoints are mounted, for the run tickets the actions create.
        public var apiPath: String
        /// How long Run, Dry run and Rollback wait for the run they started before showing the page: a
        /// run that ends within it shows its result, a longer one shows as started, then live.
        public var actionWait: Duration
        /// Reads the keys the state store keeps for a migration, for its page; `nil` shows none.
        public var storedKeys: (@Sendable (String) async throws -> [MigrationsDashboardKey])?

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - servedOverTLS: Whether the session cookie is `Secure`.
        ///   - sessionLifetime: How long a session lasts; 8 hours by default.
        ///   - apiPath: Where the JSON endpoints are mounted; `/migrations` by default.
        ///   - actionWait: How long an action waits for the run it started; one second by default.
        ///   - storedKeys: Reads a migration's stored keys; with Redis, from `RedisMigrationInspector`.
        public init(
            servedOverTLS: Bool = false,
            sessionLifetime: Duration = .seconds(8 * 3600),
            apiPath: String = "/migrations",
            actionWait: Duration = .seconds(1),
            storedKeys: (@Sendable (String) async throws -> [MigrationsDashboardKey])? = nil
        ) {
            self.servedOverTLS = servedOverTLS
            self.sessionLifetime = sessionLifetime
            self.apiPath = apiPath
            self.actionWait = actionWait
            self.storedKeys = storedKeys
        }
    }

    let controller: MigrationsController<App, Context>
    let tokens: AccessTokens<Context.Identity>
    let configuration: Configuration

    /// Creates the dashboard.
    ///
    /// - Parameters:
    ///   - controller: The JSON endpoints whose runner, runs and controls the actions use.
    ///   - tokens: The tokens the sign-in form accepts and who each stands for: the bearer tokens of the
    ///     JSON endpoints, so one credential opens both.
    ///   - configuration: How the dashboard behaves.
    public init(
        controller: MigrationsController<App, Context>,
        tokens: [String: Context.Identity],
        configuration: Configuration = Configuration()
    ) {
        self.controller = controller
        self.tokens = AccessTokens(tokens)
        self.configuration = configuration
    }

    /// Adds the dashboard's pages under `path`, with its security headers, sessions and sign-in.
    ///
    /// - Parameters:
    ///   - router: The application's router (or a group at its root: links are built from `path`).
    ///   - path: Where the dashboard lives, from the root: `/dashboard` by default.
    ///   - sessions: Where sessions are kept. `MemoryPersistDriver()` keeps them in this process: a
    ///     browser stays signed in to this replica only, so put replicas behind sticky sessions or give
    ///     them a shared store.
    public func addRoutes(
        to router: some RouterMethods<Context>, atPath path: String = "/dashboard", sessions: any PersistDriver
    ) {
        let base = "/" + path.split(separator: "/").joined(separator: "/")
        let cookie = SessionCookieParameters(
            name: "migrations_dashboard", path: base, secure: configuration.servedOverTLS, sameSite: .strict)
        let group = router.group(RouterPath(base))
            .add(middleware: DashboardSecurityHeaders<Context>())
            .add(
                middleware: SessionMiddleware<Context>(
                    storage: sessions,
                    configuration: .init(
                        sessionCookieParameters: cookie, keyPrefix: "migrations-dashboard.",
                        defaultSessionExpiration: configuration.sessionLifetime))
            )
            .add(middleware: SessionAuthenticator<Context, _>(getUser: { session, _ in session.identity }))
        let pages = DashboardRoutes(dashboard: self, basePath: base)
        group.get("", use: pages.list)
        group.get("login", use: pages.loginForm)
        group.post("login", use: pages.login)
        group.post("logout", use: pages.logout)
        group.get("events", use: pages.events)
        group.get("assets/dashboard.css") { _, _ in
            DashboardRoutes<App, Context>.asset(DashboardAssets.stylesheet, type: "text/css; charset=utf-8")
        }
        group.get("assets/dashboard.js") { _, _ in
            DashboardRoutes<App, Context>.asset(DashboardAssets.script, type: "text/javascript; charset=utf-8")
        }
        group.get("migrations/:name", use: pages.details)
        group.get("migrations/:name/confirm/:action", use: pages.confirmation)
        group.post("migrations/:name/:action", use: pages.perform)
    }
}
