import Mustache
import Presse

/// The search page and the release page: what their templates show, built from the
/// library's results. Text from releases and queries is escaped by the templates ({{…}}),
/// passages with their marks by HTML.marked.
struct Pages: Sendable {
    let templates: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        for (name, bytes) in [("layout", PackageResources.layout_mustache), ("search", PackageResources.search_mustache),
                              ("release", PackageResources.release_mustache), ("error", PackageResources.error_mustache)] {
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        templates = library
    }

    func render(_ view: Any, _ template: String) -> String {
        templates.render(view, withTemplate: template) ?? ""
    }

    // MARK: - The search form, on every page

    struct Option { var value: String; var label: String; var selected: Bool }
    struct Form {
        var query = ""
        var languages: [Option] = []
        var sorts: [Option] = []
        var since: String? = nil
        var until: String? = nil

        init(query: String = "", language: String = "", sort: String = "relevance", since: String? = nil, until: String? = nil) {
            self.query = query
            languages = [("", "All languages"), ("en", "English"), ("fr", "Français"), ("de", "Deutsch")].map {
                Option(value: $0.0, label: $0.1, selected: $0.0 == language)
            }
            sorts = [("relevance", "Best match"), ("date", "Newest first"), ("-date", "Oldest first")].map {
                Option(value: $0.0, label: $0.1, selected: $0.0 == sort)
            }
            self.since = since
            self.until = until
        }
    }

    // MARK: - Search page

    struct Hit {
        var rank: Int
        var title: String
        var link: String
        var language: String
        var languageName: String
        var date: String?
        var source: String
        var passageNumber: Int
        var passageCount: Int
        var passage: String
        var via: String?
        var morePassages: String?
        var morePlural: String
        var others: [Other]?
    }
    struct Other { var language: String; var passageNumber: Int; var passage: String; var link: String }
    struct FacetCount { var value: String; var releases: Int; var link: String?; var current: Bool }
    struct FacetField { var name: String; var counts: [FacetCount] }
    struct Facets { var fields: [FacetField] }
    struct PageLinks { var page: Int; var pageCount: Int; var previous: String?; var next: String? }

    struct SearchView {
        var form: Form
        var searched: Bool
        var stats: String
        var query: String
        var summary: String
        var suggestion: String?
        var suggestionLink: String?
        var showsSuggestion: Bool
        var fellBack: Bool
        var hasHits: Bool
        var firstRank: Int
        var hits: [Hit]
        var facets: Facets?
        var pages: PageLinks?
    }

    /// The parameters a page link keeps, from the request's, with some replaced.
    struct Parameters {
        var values: [(String, String)]
        func with(_ changes: [(String, String?)]) -> String {
            var kept = values.filter { pair in !changes.contains { $0.0 == pair.0 } }
            for (name, value) in changes { if let value { kept.append((name, value)) } }
            return "/?" + HTML.query(kept)
        }
    }

    /// `others`: each release's other matching passages (by path), when they were searched.
    func search(_ request: SearchRequest, raw: QueryParameters, results: SearchResults?, others: [String: [SearchHit]],
                statistics: IndexStatistics?, pageSize: Int, maxOffset: Int) -> String {
        let form = Form(query: request.text, language: raw["lang"] ?? "", sort: raw["sort"] ?? "relevance",
                        since: raw["since"], until: raw["until"])
        let parameters = Parameters(values: ["q", "lang", "sort", "since", "until"].compactMap { name in raw[name].map { (name, $0) } })
        let stats = statistics.map { "\($0.releases) releases, \($0.passages) passages" } ?? "The index"
        guard let results else {
            return render(SearchView(form: form, searched: false, stats: stats, query: "", summary: "", suggestion: nil,
                                     suggestionLink: nil, showsSuggestion: false, fellBack: false, hasHits: false, firstRank: 1,
                                     hits: [], facets: nil, pages: nil), "search")
        }
        let query = request.text
        var hits: [Hit] = []
        for hit in results.hits {
            let id = Rendering.releaseID(hit)
            let link = "/releases/\(id)?" + HTML.query([("q", query), ("passage", String(hit.passageIndex + 1))]) + "#passage-\(hit.passageIndex + 1)"
            let translated = hit.translated.map { (range: $0.range, source: $0.source) }
            let via = hit.translated.isEmpty ? nil : Self.via(hit)
            let more = others[hit.path].map { list in
                list.map { other in
                    Other(language: other.language.rawValue, passageNumber: other.passageIndex + 1,
                          passage: HTML.marked(other.passage, highlights: other.highlights,
                                               translated: other.translated.map { ($0.range, $0.source) }),
                          link: "/releases/\(id)?" + HTML.query([("q", query), ("passage", String(other.passageIndex + 1))])
                            + "#passage-\(other.passageIndex + 1)")
                }
            }
            hits.append(Hit(rank: hit.rank, title: hit.title, link: link, language: hit.language.rawValue,
                            languageName: Self.languageName(hit.language), date: hit.date?.date.iso,
                            source: FileSystem.display(hit.path), passageNumber: hit.passageIndex + 1, passageCount: hit.passageCount,
                            passage: HTML.marked(hit.passage, highlights: hit.highlights, translated: translated), via: via,
                            morePassages: hit.morePassages > 0 ? String(hit.morePassages) : nil,
                            morePlural: hit.morePassages == 1 ? "" : "s", others: more))
        }
        let about = results.totalIsExact ? "" : "about "
        let noun = results.total == 1 ? "release" : "releases"
        let summary: String
        if results.hits.isEmpty {
            summary = results.total == 0 ? "No releases match \(query)" : "No more results: \(about)\(results.total) \(noun) in all"
        } else {
            summary = "\(results.offset + 1)–\(results.offset + results.hits.count) of \(about)\(results.total) \(noun)"
        }
        var facets: Facets? = nil
        if let counted = results.facets {
            let currentLanguage = raw["lang"] ?? ""
            facets = Facets(fields: [
                FacetField(name: "language", counts: counted.lang.map {
                    FacetCount(value: $0.value, releases: $0.releases, link: parameters.with([("lang", $0.value)]),
                               current: $0.value == currentLanguage)
                }),
                FacetField(name: "year", counts: counted.year.map {
                    FacetCount(value: $0.value, releases: $0.releases,
                               link: parameters.with([("since", $0.value), ("until", $0.value)]),
                               current: raw["since"] == $0.value && raw["until"] == $0.value)
                }),
                FacetField(name: "source", counts: counted.source.map {
                    FacetCount(value: $0.value, releases: $0.releases, link: nil, current: false)
                }),
            ].filter { !$0.counts.isEmpty })
        }
        var pages: PageLinks? = nil
        if results.total > pageSize {
            let page = results.offset / pageSize + 1
            // Pages as deep as the server searches (ServerSettings.maxOffset).
            let count = max(page, min((results.total + pageSize - 1) / pageSize, maxOffset / pageSize + 1))
            pages = PageLinks(
                page: page, pageCount: count,
                previous: page > 1 ? parameters.with([("page", page > 2 ? String(page - 1) : nil)]) : nil,
                next: page < count ? parameters.with([("page", String(page + 1))]) : nil)
        }
        let view = SearchView(
            form: form, searched: true, stats: stats, query: query, summary: summary, suggestion: results.suggestion,
            suggestionLink: results.suggestion.map { parameters.with([("q", $0)]) }, showsSuggestion: results.showsSuggestion,
            fellBack: results.fellBack, hasHits: !hits.isEmpty, firstRank: results.offset + 1, hits: hits, facets: facets, pages: pages)
        return render(view, "search")
    }

    static func languageName(_ language: Language) -> String {
        switch language {
        case .english: "English"
        case .french: "French"
        case .german: "German"
        case .unknown: "undetermined"
        }
    }

    /// "Japon ← japan, coopération ← zusammenarbeit", as the command line lists them.
    static func via(_ hit: SearchHit) -> String {
        let bytes = Array(hit.passage.utf8)
        var seen: [String] = []
        for word in hit.translated where word.range.upperBound <= bytes.count {
            let text = String(decoding: bytes[word.range], as: UTF8.self) + " ← " + word.source
            if !seen.contains(text) { seen.append(text) }
        }
        return seen.joined(separator: ", ")
    }

    // MARK: - Release page

    struct LanguageShare { var language: String; var passages: Int; var plural: String; var last: Bool }
    struct PassageView { var number: Int; var language: String; var text: String; var isHit: Bool }
    struct ReleaseView {
        var form: Form
        var title: String
        var path: String
        var date: String?
        var dateSource: String?
        var languages: [LanguageShare]
        var passages: [PassageView]
        var hitPassage: Int?
        var back: String?
    }

    /// `highlights`: the query's marks in the release's passages, by passage number (from a
    /// search of the query, when one was given).
    func release(_ release: StoredReleaseContents, query: String, hitPassage: Int?, highlights: [Int: SearchHit]) -> String {
        let shares = release.languages
        let view = ReleaseView(
            form: Form(query: query), title: release.title, path: FileSystem.display(release.path),
            date: release.date?.date.iso, dateSource: release.date?.source.rawValue,
            languages: shares.enumerated().map {
                LanguageShare(language: $0.element.language.rawValue, passages: $0.element.passages,
                              plural: $0.element.passages == 1 ? "" : "s", last: $0.offset == shares.count - 1)
            },
            passages: release.passages.enumerated().map { index, passage in
                let number = index + 1
                let text: String
                if let hit = highlights[number], hit.passage == passage.text {
                    text = HTML.marked(hit.passage, highlights: hit.highlights, translated: hit.translated.map { ($0.range, $0.source) })
                } else {
                    text = HTML.escaped(passage.text)
                }
                return PassageView(number: number, language: passage.language.rawValue, text: text, isHit: number == hitPassage)
            },
            hitPassage: hitPassage.flatMap { (1...max(1, release.passages.count)).contains($0) ? $0 : nil },
            back: query.isEmpty ? nil : "/?" + HTML.query([("q", query)]))
        return render(view, "release")
    }

    // MARK: - Errors

    struct ErrorView { var form: Form; var status: Int; var heading: String; var message: String }

    func error(_ error: ServerError) -> String {
        let heading = switch error.status.code {
        case 404: "Not found"
        case 400: "That request cannot be answered"
        case 503: "The index is not available"
        default: error.status.reasonPhrase
        }
        return render(ErrorView(form: Form(), status: error.status.code, heading: heading, message: error.message), "error")
    }
}
