import Hummingbird

/// The routes that answer, under the migrations group, requests none of its endpoints takes.
///
/// Left alone, Hummingbird 2 answers an unknown path and a known path asked with another method alike: 404 with an
/// empty body, from the router, outside every group middleware. These routes answer them inside the group instead,
/// behind its authentication:
///
/// - a known path asked with another method answers 405 with an `Allow` header;
/// - a path under the group that no endpoint serves (`/migrations/nope`, `/migrations/run/extra`) answers 404;
///
/// each with a ``MigrationsAPIError/Body``. Only ``answeredMethods`` are answered so: `OPTIONS` and other methods
/// keep Hummingbird's answer, and `HEAD` has no body to give (a router with `.autoGenerateHeadEndpoints` answers
/// it with the head of the `GET` answer).
enum MigrationsFallbackRoutes {
    /// The methods whose stray requests get a 404 or 405 with a JSON body.
    static let answeredMethods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    /// Adds the fallback routes to `group`; call it after the group's middleware and endpoints are added.
    ///
    /// - Parameters:
    ///   - group: The migrations group.
    ///   - endpoints: Every path (relative to the group) and method the group's endpoints serve.
    static func add<Context: RequestContext>(
        to group: RouterGroup<Context>,
        beside endpoints: [(path: RouterPath, method: HTTPRequest.Method)]
    ) {
        var paths: [RouterPath] = []
        for endpoint in endpoints where !paths.contains(endpoint.path) {
            paths.append(endpoint.path)
        }
        for path in paths {
            let allowed = endpoints.filter { $0.path == path }.map { $0.method }
            for method in answeredMethods where !allowed.contains(method) {
                group.on(
                    path, method: method,
                    use: { (request: Request, _: Context) async throws -> Response in
                        throw MigrationsAPIError.methodNotAllowed(request, allowed: allowed)
                    })
            }
        }
        // `**` is the least specific route: it only takes what every endpoint path above declined. With a
        // `:name` endpoint, every one-component path is that endpoint's (or its 405), and `:name/**` takes
        // the deeper ones instead: a parameter and `**` at one level would shadow each other.
        let hasParameter = paths.contains { $0.description.contains("{") || $0.description.contains(":") }
        let catchAll: RouterPath = hasParameter ? ":name/**" : "**"
        for method in answeredMethods {
            group.on(
                catchAll, method: method,
                use: { (request: Request, _: Context) async throws -> Response in
                    throw MigrationsAPIError.noEndpoint(request)
                })
        }
    }
}
