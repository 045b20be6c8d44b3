import Glibc
import Hummingbird
import Presse

/// Every endpoint: the JSON API under /api (its shapes are the command line's: the same
/// library renderers as `presse search --json` and `presse stats --json`), the pages, and
/// their assets. `openapi.json` describes the API (Assets/openapi.json).
struct Routes: Sendable {
    let service: PresseService
    let pages: Pages

    var settings: ServerSettings { service.settings }

    func add(to router: Router<BasicRequestContext>) {
        /// A GET route, and HEAD on the same path (monitors ask `HEAD /healthz`): the same
        /// answer without its body.
        func get(_ path: RouterPath, _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response) {
            router.get(path, use: handler)
            router.head(path) { request, context in
                var response = try await handler(request, context)
                response.body = ResponseBody()
                return response
            }
        }
        get("/api/search") { request, _ in try await searchAPI(request) }
        get("/api/releases/:id") { _, context in
            let release = try await service.release(id: context.parameters.get("id") ?? "")
            return Self.json(Rendering.json(release))
        }
        get("/api/stats") { _, _ in Self.json(Rendering.json(try await service.statistics())) }
        get("/healthz") { _, _ in
            switch await service.indexOpens() {
            case .success: return Self.json("{\"status\":\"ok\"}")
            case .failure(let error):
                return Self.json("{\"status\":\"unavailable\",\"message\":\(Rendering.quoted(error.message))}", status: error.status)
            }
        }
        router.post("/api/releases") { request, _ in try await upload(request) }
        router.delete("/api/releases/:id") { request, context in
            try authorize(request)
            let removed = try await service.remove(id: context.parameters.get("id") ?? "")
            return Self.json("{\"id\":\(Rendering.quoted(removed.id)),\"path\":\(Rendering.quoted(FileSystem.display(removed.path))),\"removed\":true}")
        }
        get("/openapi.json") { _, _ in Self.asset(PackageResources.openapi_json, type: "application/json") }
        get("/assets/presse.css") { _, _ in Self.asset(PackageResources.presse_css, type: "text/css; charset=utf-8") }
        get("/assets/presse.js") { _, _ in Self.asset(PackageResources.presse_js, type: "text/javascript; charset=utf-8") }
        get("/") { request, _ in try await searchPage(request) }
        get("/releases/:id") { request, context in try await releasePage(request, id: context.parameters.get("id") ?? "") }
    }

    // MARK: - API

    func searchAPI(_ request: Request) async throws -> Response {
        let parameters = try QueryParameters(request.uri.query, allowed: SearchRequest.parameterNames)
        let search = try SearchRequest(parameters, settings: settings)
        guard !search.hasNoWords else { throw ServerError.badParameter("give a query: q=WORDS (q=date:2022 lists a year's releases)") }
        let results = try await service.search(search)
        return Self.json(Rendering.json(results, took: true, ids: true))
    }

    /// `POST /api/releases?name=FILE` with the file as the body.
    func upload(_ request: Request) async throws -> Response {
        try authorize(request)
        let parameters = try QueryParameters(request.uri.query, allowed: ["name"])
        let name = try Self.uploadName(parameters["name"])
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > settings.maxUploadBytes {
            throw ServerError(.contentTooLarge, "an upload is at most \(settings.maxUploadBytes) bytes; this one is \(length)")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: settings.maxUploadBytes)
        } catch {
            throw ServerError(.contentTooLarge, "an upload is at most \(settings.maxUploadBytes) bytes")
        }
        guard body.readableBytes > 0 else { throw ServerError.badParameter("the upload is empty: send the release file as the body") }
        let (id, path, summary) = try await service.add(name: name, bytes: Array(body.readableBytesView))
        return Self.json("{\"id\":\(Rendering.quoted(id)),\"path\":\(Rendering.quoted(FileSystem.display(path)))"
                         + ",\"added\":\(summary.added),\"replaced\":\(summary.replaced),\"unchanged\":\(summary.unchanged)"
                         + ",\"passages\":\(summary.passages)}", status: summary.added > 0 ? .created : .ok,
                         extra: [.location: "/api/releases/\(id)"])
    }

    /// A file name for an upload: letters, digits, `.`, `_`, `-`, not starting with a dot, so
    /// it can only name a file in the uploads folder; its extension tells its format.
    static func uploadName(_ name: String?) throws(ServerError) -> String {
        guard let name, !name.isEmpty else {
            throw .badParameter("name the release: POST /api/releases?name=release.txt (its extension tells its format)")
        }
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard allowed, !name.hasPrefix("."), name.utf8.count <= 200 else {
            throw .badParameter("bad name '\(QueryParameters.shown(name))': use letters, digits, '.', '_' and '-' (not first), up to 200")
        }
        return name
    }

    /// Writes need `--allow-writes` and `Authorization: Bearer TOKEN` with the token file's token.
    func authorize(_ request: Request) throws(ServerError) {
        guard let token = settings.writeToken else {
            throw ServerError(.forbidden, "writes are off: start the server with --allow-writes --token-file FILE")
        }
        let challenge: HTTPFields = [.wwwAuthenticate: "Bearer realm=\"presse\""]
        guard let given = request.headers[.authorization], given.hasPrefix("Bearer ") else {
            throw ServerError(.unauthorized, "a write needs the header Authorization: Bearer TOKEN", headers: challenge)
        }
        guard Self.sameBytes(Array(given.utf8.dropFirst(7)), Array(token.utf8)) else {
            throw ServerError(.unauthorized, "wrong token", headers: challenge)
        }
    }

    /// Compares in time that depends on the length only, not on where the bytes differ.
    static func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    // MARK: - Pages

    static let pageSize = 10
    static let pageParameterNames = ["q", "lang", "sort", "since", "until", "page"]

    func searchPage(_ request: Request) async throws -> Response {
        let parameters = try QueryParameters(request.uri.query, allowed: Self.pageParameterNames)
        var search = try SearchRequest(parameters, settings: settings, facetsByDefault: true)
        let page = try parameters.integer("page", in: 1...(settings.maxOffset / Self.pageSize + 1), fallback: 1)
        search.options.limit = Self.pageSize
        search.options.offset = (page - 1) * Self.pageSize
        guard !search.isEmpty else {
            let statistics = try? await service.statistics()
            return Self.html(pages.search(search, raw: parameters, results: nil, others: [:], statistics: statistics,
                                          pageSize: Self.pageSize, maxOffset: settings.maxOffset))
        }
        let results = try await service.search(search)
        // "+N more passages": the page's releases' other matching passages, from one search
        // of every matching passage (the same order of releases, so on the first page the
        // page's releases come first; deeper pages link to the release instead).
        var others: [String: [SearchHit]] = [:]
        let more = results.hits.reduce(0) { $0 + $1.morePassages }
        if more > 0 && search.options.offset == 0 {
            var every = search
            every.options.allPassages = true
            every.options.facets = false
            every.options.suggest = false
            every.options.limit = min(settings.maxLimit, results.hits.count + more)
            let query = results.showsSuggestion ? (results.suggestion ?? search.text) : search.text
            every.text = query
            if let passages = try? await service.search(every) {
                let shown = Set(results.hits.map { "\($0.path)\u{0}\($0.passageIndex)" })
                for hit in passages.hits where !shown.contains("\(hit.path)\u{0}\(hit.passageIndex)") {
                    others[hit.path, default: []].append(hit)
                }
            }
        }
        return Self.html(pages.search(search, raw: parameters, results: results, others: others, statistics: nil,
                                      pageSize: Self.pageSize, maxOffset: settings.maxOffset))
    }

    func releasePage(_ request: Request, id: String) async throws -> Response {
        let parameters = try QueryParameters(request.uri.query, allowed: ["q", "passage"])
        let release = try await service.release(id: id)
        let query = parameters["q"] ?? ""
        guard query.utf8.count <= settings.maxQueryBytes else {
            throw ServerError.badParameter("the query is longer than \(settings.maxQueryBytes) bytes")
        }
        let passage = try parameters.integer("passage", in: 1...100_000, fallback: 0)
        // The query's words marked in the release: its matching passages, from one search of
        // every matching passage, kept for this release.
        var highlights: [Int: SearchHit] = [:]
        if !query.allSatisfy(\.isWhitespace) {
            var every = try SearchRequest(QueryParameters(nil, allowed: []), settings: settings)
            every.text = query
            every.options.allPassages = true
            every.options.limit = settings.maxLimit
            every.options.suggest = false
            if let found = try? await service.search(every) {
                for hit in found.hits where hit.path == release.path { highlights[hit.passageIndex + 1] = hit }
            }
        }
        return Self.html(pages.release(release, query: query, hitPassage: passage > 0 ? passage : nil, highlights: highlights))
    }

    // MARK: - Responses

    static func json(_ text: String, status: HTTPResponse.Status = .ok, extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8",
            // The pages load their own stylesheet and script only.
            .contentSecurityPolicy: "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            .init("X-Content-Type-Options")!: "nosniff",
            .init("Referrer-Policy")!: "no-referrer",
        ], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func asset(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=3600"],
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
