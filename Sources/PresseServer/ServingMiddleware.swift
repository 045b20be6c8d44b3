import Hummingbird
import Presse

/// Around every request: a bound on its address's length, errors as JSON
/// (under /api, /healthz) or as an HTML page (elsewhere), and one access-log line on stderr.
struct ServingMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let pages: Pages
    static let maxURIBytes = 8_192

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response: Response
        do {
            guard request.uri.string.utf8.count <= Self.maxURIBytes else {
                throw ServerError(.uriTooLong, "the address is longer than \(Self.maxURIBytes) bytes")
            }
            response = try await next(request, context)
        } catch {
            response = errorResponse(Self.serverError(error, for: request), for: request)
        }
        log(request, response.status, since: started)
        return response
    }

    /// The methods each path answers: another method on one of them is a 405 with `Allow`,
    /// not a 404 (the router knows paths and methods together).
    static let methodsByPath: [(matches: @Sendable (String) -> Bool, allow: String)] = [
        ({ $0 == "/api/search" || $0 == "/api/stats" || $0 == "/healthz" || $0 == "/openapi.json" || $0 == "/" || $0.hasPrefix("/assets/") }, "GET, HEAD"),
        ({ $0 == "/api/releases" }, "POST"),
        ({ $0.hasPrefix("/api/releases/") && !$0.dropFirst(14).contains("/") }, "GET, HEAD, DELETE"),
        ({ $0.hasPrefix("/releases/") && !$0.dropFirst(10).contains("/") }, "GET, HEAD"),
    ]

    static func serverError(_ error: any Error, for request: Request) -> ServerError {
        var error = serverError(error)
        let path = request.uri.path
        if error.status == .notFound || error.status == .methodNotAllowed,
           let allowed = methodsByPath.first(where: { $0.matches(path) })?.allow,
           !allowed.split(separator: ",").contains(where: { $0.filter { $0 != " " } == request.method.rawValue }) {
            error = ServerError(.methodNotAllowed, "\(path) answers \(allowed), not \(request.method.rawValue)",
                                headers: [.allow: allowed])
        }
        return error
    }

    static func serverError(_ error: any Error) -> ServerError {
        switch error {
        case let error as ServerError: return error
        case let error as PresseError: return ServerError(error)
        case let error as HTTPError:
            let message = error.body ?? (error.status == .notFound ? "no such page or endpoint" : error.status.reasonPhrase)
            return ServerError(error.status, message)
        case let error as any HTTPResponseError: return ServerError(error.status, error.status.reasonPhrase)
        default: return ServerError(.internalServerError, "\(error)")
        }
    }

    private func errorResponse(_ error: ServerError, for request: Request) -> Response {
        let path = request.uri.path
        var response = path.hasPrefix("/api/") || path == "/healthz" || path == "/openapi.json"
            ? Routes.json(error.json, status: error.status)
            : Routes.html(pages.error(error), status: error.status)
        response.headers.append(contentsOf: error.headers)
        return response
    }

    /// One JSON object a line: time, method, path (without its query: queries are the
    /// users'), status, milliseconds.
    private func log(_ request: Request, _ status: HTTPResponse.Status, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        System.writeError("{\"time\":\(Rendering.quoted(System.formatUTC(System.unixTime()))),\"method\":\(Rendering.quoted(request.method.rawValue))"
            + ",\"path\":\(Rendering.quoted(String(request.uri.path.prefix(300)))),\"status\":\(status.code)"
            + ",\"ms\":\(Rendering.decimal(milliseconds, places: 2))}\n")
    }
}
