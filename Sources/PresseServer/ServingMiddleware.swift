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
            response = errorResponse(Self.serverError(error), for: request)
        }
        log(request, response.status, since: started)
        return response
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
