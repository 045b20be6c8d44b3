import Presse

/// A search as a request asks for it, checked against the server's bounds: the same options
/// as `presse search` (SearchCommand), under the names of its JSON fields.
struct SearchRequest: Sendable {
    var text: String
    var options: SearchOptions

    /// The parameters of `GET /api/search` (and of the search page, which adds none).
    static let parameterNames = ["q", "lang", "from", "translate", "limit", "offset", "all_passages", "sort",
                                 "since", "until", "facets", "suggest"]

    init(_ parameters: QueryParameters, settings: ServerSettings, facetsByDefault: Bool = false) throws(ServerError) {
        text = parameters["q"] ?? ""
        guard text.utf8.count <= settings.maxQueryBytes else {
            throw .badParameter("the query is \(text.utf8.count) bytes long; at most \(settings.maxQueryBytes) are searched")
        }
        var options = SearchOptions()
        if let lang = parameters["lang"], !lang.isEmpty {
            guard let language = Language(userValue: lang) else {
                throw .badParameter("unknown language '\(QueryParameters.shown(lang))': use en, fr or de")
            }
            options.language = language
        }
        if let from = parameters["from"], !from.isEmpty {
            guard let language = Language(userValue: from), language != .unknown else {
                throw .badParameter("unknown query language '\(QueryParameters.shown(from))': use en, fr or de")
            }
            options.from = language
        }
        options.translate = try parameters.flag("translate", fallback: true)
        options.limit = try parameters.integer("limit", in: 0...settings.maxLimit, fallback: 10)
        options.offset = try parameters.integer("offset", in: 0...settings.maxOffset, fallback: 0)
        options.allPassages = try parameters.flag("all_passages", fallback: false)
        if let sort = parameters["sort"], !sort.isEmpty {
            guard let order = SearchSort(rawValue: sort) else {
                throw .badParameter("unknown sort '\(QueryParameters.shown(sort))': use relevance, date or -date")
            }
            options.sort = order
        }
        options.since = try Self.day(parameters["since"], "since", last: false)
        options.until = try Self.day(parameters["until"], "until", last: true)
        options.facets = try parameters.flag("facets", fallback: facetsByDefault)
        options.suggest = try parameters.flag("suggest", fallback: true)
        self.options = options
    }

    /// Nothing to search. The API wants words (`q=date:2022` lists a year's releases); the
    /// search page also lists a date range alone (its year facet).
    var hasNoWords: Bool { text.allSatisfy(\.isWhitespace) }
    var isEmpty: Bool { hasNoWords && options.since == nil && options.until == nil }

    /// A since/until day as the library takes it ("YYYYMMDD"); a year or month stands for
    /// its first day (since) or its last (until), as on the command line.
    private static func day(_ text: String?, _ name: String, last: Bool) throws(ServerError) -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard !text.contains("..") else {
            throw .badParameter("bad date \(name)='\(QueryParameters.shown(text))': give one day, month or year (a range: date:A..B in q)")
        }
        do {
            let bounds = try DateQuery.bounds(text, what: "\(name)='\(QueryParameters.shown(text))'")
            return last ? bounds.high : bounds.low
        } catch {
            throw .badParameter(error.message)
        }
    }
}
