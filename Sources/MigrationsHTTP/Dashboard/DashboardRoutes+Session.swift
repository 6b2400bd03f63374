import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import Migrations

/// The fields the dashboard's forms post, URL-encoded.
struct DashboardForm: Decodable, Sendable {
    /// The session's CSRF token, on every state-changing form.
    var csrf: String?
    /// The access token, on the sign-in form.
    var token: String?
    /// The migration's name typed out, on the reset form.
    var confirmation: String?
}

extension DashboardRoutes {
    /// The largest form the dashboard reads.
    static var maxFormSize: Int { 16 * 1024 }

    /// `GET <dashboard>/login`: the form, or the dashboard for a browser signed in already.
    @Sendable func loginForm(_ request: Request, context: Context) async throws -> Response {
        if context.sessions.session != nil { return DashboardRenderer.seeOther(basePath) }
        return loginPage(error: nil, status: .ok)
    }

    /// `POST <dashboard>/login`: exchanges the field `token` for a session, then shows the dashboard.
    @Sendable func login(_ request: Request, context: Context) async throws -> Response {
        guard let form = await Self.form(request, context), let token = form.token, !token.isEmpty else {
            return loginPage(error: "Enter the access token.", status: .badRequest)
        }
        guard let identity = dashboard.tokens.identity(presenting: token) else {
            context.logger.notice("dashboard sign-in refused: the token is not accepted")
            return loginPage(error: "That token is not accepted.", status: .unauthorized)
        }
        // A new session, with a new id and CSRF token, whatever the browser had before.
        context.sessions.createSession(Session(identity: identity), expiresIn: dashboard.configuration.sessionLifetime)
        context.logger.notice(
            "dashboard sign-in", metadata: ["actor": "\(VisibleText.escaping(identity.migrationsActor))"])
        return DashboardRenderer.seeOther(basePath)
    }

    /// `POST <dashboard>/logout`: ends the session.
    @Sendable func logout(_ request: Request, context: Context) async throws -> Response {
        guard let session = context.sessions.session else { return signInFirst() }
        if let refusal = await refusal(of: request, context: context, session: session).refusal { return refusal }
        context.sessions.clearSession()
        return DashboardRenderer.seeOther(basePath + "/login")
    }

    private func loginPage(error: String?, status: HTTPResponse.Status) -> Response {
        let page = DashboardLoginPage(
            chrome: DashboardChrome(
                title: "Sign in · Migrations", basePath: basePath, live: false, session: Session?.none, notice: nil),
            loginPath: basePath + "/login", hasError: error != nil, error: error ?? "")
        return DashboardRenderer.response(page, template: "login", status: status)
    }

    /// The form of a state-changing request, or the 403 answer when it did not come from this session's
    /// page: its CSRF token is missing or wrong, or the browser names another origin.
    ///
    /// - Returns: The form, or the refusal to answer instead.
    func refusal(
        of request: Request, context: Context, session: Session
    ) async -> (form: DashboardForm?, refusal: Response?) {
        if let origin = request.headers[.origin], !Self.isSameOrigin(origin, request) {
            return (nil, forbidden("The form was sent from another site (\(origin)).", session, context))
        }
        let form = await Self.form(request, context)
        let presented = Array((form?.csrf ?? "").utf8)
        guard AccessTokens<Context.Identity>.constantTimeEquals(presented, Array(session.csrfToken.utf8)) else {
            return (
                nil,
                forbidden(
                    "The form has expired or did not come from this dashboard; reload the page.", session, context)
            )
        }
        return (form, nil)
    }

    private func forbidden(_ text: String, _ session: Session, _ context: Context) -> Response {
        context.logger.notice("dashboard form refused", metadata: ["reason": "\(VisibleText.escaping(text))"])
        return message("Refused", text, status: .forbidden, session: session, context: context)
    }

    /// Whether an `Origin` header names the host the request was sent to.
    private static func isSameOrigin(_ origin: String, _ request: Request) -> Bool {
        guard let host = request.head.authority else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    /// The URL-encoded form of the request, or `nil` when it is too large or not a form.
    static func form(_ request: Request, _ context: Context) async -> DashboardForm? {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: maxFormSize) else { return nil }
        return try? URLEncodedFormDecoder().decode(DashboardForm.self, from: String(buffer: buffer))
    }
}
