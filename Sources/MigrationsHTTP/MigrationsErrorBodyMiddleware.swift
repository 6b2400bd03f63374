import Hummingbird
import Migrations

/// Gives every error answer under the migrations group a ``MigrationsAPIError/Body``.
///
/// ``MigrationsController/addRoutes(to:authenticator:)`` adds it first to the group, so it sees everything the
/// group's other middleware and endpoints throw or answer:
///
/// - a ``MigrationsAPIError`` passes through unchanged (the endpoints turn every ``MigrationError`` into one);
/// - a Hummingbird `HTTPError` keeps its status and headers, and its message (capped) goes into the body;
/// - any other `HTTPResponseError` (the 413 of a body over the context's `maxUploadSize`, for instance) and any
///   4xx or 5xx answer without a body keep their status and headers and get a body that says what happened.
///
/// Other errors pass through untouched, so that Hummingbird still closes a connection whose request it could
/// not parse; the endpoints turn their own unexpected errors into a JSON 500 before they get here.
struct MigrationsErrorBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Answers the request, giving an error answer its JSON body.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - context: The request's context.
    ///   - next: The rest of the group: its other middleware, then the endpoint.
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as MigrationsAPIError {
            throw error
        } catch let error as HTTPError {
            throw MigrationsAPIError(
                failureStatus: error.status, message: error.body, headers: error.headers, request: request,
                maxUploadSize: context.maxUploadSize)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        return try withErrorBody(response, request: request, context: context)
    }

    /// `response` itself, or, for a 4xx or 5xx answer without a body, the same status and headers with a
    /// ``MigrationsAPIError/Body``.
    private func withErrorBody(_ response: Response, request: Request, context: Context) throws -> Response {
        guard response.status.code >= 400, response.body.contentLength == 0 else { return response }
        var headers = response.headers
        headers[.contentLength] = nil
        headers[.contentType] = nil
        return try MigrationsAPIError(
            failureStatus: response.status, message: nil, headers: headers, request: request,
            maxUploadSize: context.maxUploadSize
        ).response(from: request, context: context)
    }
}
