import HTTPTypes
import Hummingbird

/// Adds the headers every dashboard response carries: a Content-Security-Policy that allows only the
/// dashboard's own script, stylesheet and connections (no inline script, no framing, forms posting back
/// here only), `X-Content-Type-Options: nosniff` and `Referrer-Policy: same-origin` (with `no-referrer` a browser sends `Origin: null` on the dashboard's own forms).
struct DashboardSecurityHeaders<Context: RequestContext>: RouterMiddleware {
    /// The policy.
    static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.xFrameOptions] = "DENY"
        return response
    }
}

extension HTTPField.Name {
    fileprivate static var xContentTypeOptions: Self { Self("X-Content-Type-Options")! }
    fileprivate static var referrerPolicy: Self { Self("Referrer-Policy")! }
    fileprivate static var xFrameOptions: Self { Self("X-Frame-Options")! }
}
