internal import CXapian

/// How hits are ordered (`search --sort`).
public enum SearchSort: String, Sendable, CaseIterable {
    /// By score.
    case relevance
    /// Newest first, ties by score; releases without a date last.
    case date
    /// Oldest first, ties by score; releases without a date last.
    case oldest = "-date"

    var bridgeValue: Int32 {
        switch self {
        case .relevance: Int32(CX_SORT_RELEVANCE)
        case .date: Int32(CX_SORT_NEWEST)
        case .oldest: Int32(CX_SORT_OLDEST)
        }
    }
}

/// Releases of a whole match counted by language, year and source folder: each release once,
/// however many of its passages match (a release is one document: schema.h).
public struct SearchFacets: Sendable, Equatable {
    /// Field → (value, releases), most releases first (ties by value); years by year, newest
    /// first.
    public var lang: [(value: String, releases: Int)] = []
    public var year: [(value: String, releases: Int)] = []
    public var source: [(value: String, releases: Int)] = []

    init(_ counts: [(field: String, value: String, releases: Int)]) {
        for count in counts {
            switch count.field {
            case "lang": lang.append((count.value, count.releases))
            case "year": year.append((count.value, count.releases))
            case "source": source.append((count.value, count.releases))
            default: break
            }
        }
        let byCount: ((value: String, releases: Int), (value: String, releases: Int)) -> Bool = {
            $0.releases != $1.releases ? $0.releases > $1.releases : $0.value < $1.value
        }
        lang.sort(by: byCount)
        source.sort(by: byCount)
        year.sort { $0.value > $1.value }
    }

    public static func == (a: SearchFacets, b: SearchFacets) -> Bool {
        func same(_ x: [(value: String, releases: Int)], _ y: [(value: String, releases: Int)]) -> Bool {
            x.map(\.value) == y.map(\.value) && x.map(\.releases) == y.map(\.releases)
        }
        return same(a.lang, b.lang) && same(a.year, b.year) && same(a.source, b.source)
    }

    /// The three fields in their order of output.
    public var fields: [(name: String, counts: [(value: String, releases: Int)])] {
        [("lang", lang), ("year", year), ("source", source)]
    }
}

extension Searcher {
    /// "Did you mean" (spelling.cpp): a suggestion for the query's unknown words, in the
    /// languages searched; when the query found nothing and the suggestion finds something,
    /// its results replace the empty ones (`showsSuggestion`).
    func suggest(for query: String, options: SearchOptions, into results: inout SearchResults) throws(PresseError) {
        let languages = options.language.map { [$0] } ?? Language.allCases
        guard let suggestion = try database.suggestion(for: query, languages: languages) else { return }
        results.suggestion = suggestion
        guard results.total == 0 else { return }
        let suggested = try searchOnce(suggestion, options: options)
        guard suggested.total > 0 else { return }
        results.hits = suggested.hits
        results.total = suggested.total
        results.totalIsExact = suggested.totalIsExact
        results.facets = suggested.facets
        results.showsSuggestion = true
    }

    /// The first and last release dates and releases per year, for `presse stats`.
    public func dateStatistics() throws(PresseError) -> ReleaseDates {
        let dates = try database.dateStatistics()
        return ReleaseDates(first: CalendarDate(stored: dates.first), last: CalendarDate(stored: dates.last),
                            perYear: dates.years.map { ($0.year, $0.releases) })
    }
}

/// The dates of an index's releases.
public struct ReleaseDates: Sendable {
    public var first: CalendarDate?
    public var last: CalendarDate?
    public var perYear: [(year: String, releases: Int)]
}
