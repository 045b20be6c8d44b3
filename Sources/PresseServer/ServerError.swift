import Hummingbird
import Presse

/// A request the server answers with an error: its HTTP status and a one-line message. The
/// API gives it as `{"error": {"status": 404, "message": "..."}}`, the pages as an HTML page
/// (ServingMiddleware picks by path).
struct ServerError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    /// Extra headers (WWW-Authenticate on a 401).
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    static func badParameter(_ message: String) -> ServerError { ServerError(.badRequest, message) }

    /// The library's error, as a server says it: the index missing or unreadable is "not
    /// available now" (503: it may be built or repaired while the server runs); a writer
    /// holding the index is a conflict (409); a bad argument is the request's (400).
    init(_ error: PresseError) {
        switch error.kind {
        case .invalidArgument: self.init(.badRequest, error.message)
        case .indexLocked: self.init(.conflict, error.message + ": another writer (presse index?) holds it; try again")
        case .indexNotFound, .indexCorrupt, .notAnIndex, .indexVersion, .indexModified, .io, .shardUnavailable:
            self.init(.serviceUnavailable, error.message)
        case .outOfMemory, .other: self.init(.internalServerError, error.message)
        }
    }

    var json: String {
        "{\"error\":{\"status\":\(status.code),\"message\":\(Rendering.quoted(message))}}"
    }
}
