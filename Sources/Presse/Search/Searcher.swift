internal import CXapian
/// What to search and how to shape the answer.
public struct SearchOptions: Sendable {
    /// nil: every language, each with its own stemmer.
    public var language: Language?
    public var limit = 10
    public var offset = 0
    /// false: the best passage of each release.
    public var allPassages = false
    public var highlight = true
    /// Cross-language search: a query of plain words also searches the other languages'
    /// passages with its translations (TranslationLexicon).
    public var translate = true
    /// The query's language; nil: told by its words (CLD2 when it is sure, else the bridge's
    /// vote of stopwords and dictionary headwords).
    public var from: Language? = nil
    /// Issue 14 (SearchAsking.swift): releases dated from `since` to `until` (inclusive days
    /// "YYYYMMDD"; DateQuery.bounds reads what users type), the order, facets, suggestions.
    public var since: String? = nil
    public var until: String? = nil
    public var sort: SearchSort = .relevance
    public var facets = false
    /// "Did you mean": a suggestion for unknown words, and its results when the query finds
    /// nothing and the suggestion does. Off in the library, on in `presse search`.
    public var suggest = false

    public init(language: Language? = nil, limit: Int = 10, offset: Int = 0, allPassages: Bool = false,
                translate: Bool = true, from: Language? = nil) {
        self.language = language
        self.limit = limit
        self.offset = offset
        self.allPassages = allPassages
        self.translate = translate
        self.from = from
    }
}

/// A word of a hit's passage that matched through translation.
public struct TranslatedWord: Sendable, Equatable {
    /// UTF-8 byte range in the passage.
    public var range: Range<Int>
    /// The query words it translates.
    public var source: String
}

/// One ranked passage.
public struct SearchHit: Sendable {
    public var rank: Int
    public var score: Double
    public var path: String
    public var title: String
    public var language: Language
    public var passage: String
    /// UTF-8 byte ranges of `passage` that match the query.
    public var highlights: [Range<Int>]
    public var passageIndex: Int
    public var passageCount: Int
    /// The release's other passages that hold a query word (0 with `allPassages`).
    public var morePassages: Int
    /// Byte offsets of the passage in the release.
    public var start: Int
    public var end: Int
    /// The release's date and where it came from; nil for a release indexed without one.
    public var date: ReleaseDate? = nil
    /// The passage's words that matched through translation (not in `highlights`).
    public var translated: [TranslatedWord] = []
}

public struct SearchResults: Sendable {
    public var query: String
    public var total: Int
    public var hits: [SearchHit]
    /// The QueryParser rejected the syntax, so the query's words were searched instead.
    public var fellBack: Bool
    /// The languages the query was translated from (empty: not translated).
    public var translatedFrom: [Language] = []
    /// Why the query could not be translated (no dictionaries), for a warning.
    public var translationUnavailable: String? = nil
    /// How long the search took, from the query text to the highlighted hits (Elasticsearch's
    /// "took"): what `search --timings` reports per query.
    public var seconds: Double = 0
    public var offset = 0
    public var limit = 10
    /// `total` is the exact count, not Xapian's estimate.
    public var totalIsExact = false
    /// Releases of the whole match by language, year and source (with `facets`).
    public var facets: SearchFacets? = nil
    /// "Did you mean" (SearchAsking.swift).
    public var suggestion: String? = nil
    /// The hits are the suggestion's: the query itself found nothing.
    public var showsSuggestion = false
    /// Shards left out of this answer (several indexes searched as one), one line each.
    public var shardWarnings: [String] = []
    /// The shards this answer is without (down, silent or lost), as the shard list names
    /// them: named on every answer that misses them, not only when they were lost.
    public var shardsLeftOut: [String] = []
}

/// Searches an index. One Searcher holds one reader handle: use it from one thread at a time.
public final class Searcher {
    let database: XapianDatabase
    public let store: IndexStore

    public init(store: IndexStore) throws(PresseError) {
        self.store = store
        self.database = try store.openReader()
    }

    /// Runs a query. The bridge owns the two ways a search could fail and does not: a writer
    /// committing meanwhile (it reads again at the latest commit) and syntax it cannot read
    /// (the words are searched instead, and `fellBack` says so).
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws(PresseError) -> SearchResults {
        let started = monotonicSeconds()
        var results = try searchOnce(query, options: options)
        if options.suggest { try suggest(for: query, options: options, into: &results) }
        results.shardWarnings = try database.takeWarnings()
        results.shardsLeftOut = try database.leftOutShards()
        results.seconds = monotonicSeconds() - started
        return results
    }

    func searchOnce(_ query: String, options: SearchOptions) throws(PresseError) -> SearchResults {
        let languages = options.language.map { [$0] } ?? Language.allCases
        var lexicon: String? = nil, unavailable: String? = nil
        if options.translate {
            switch TranslationLexicon.shared {
            case .ready(let path): lexicon = path
            case .unavailable(let reason): unavailable = reason
            }
        }
        let raw = try database.search(RawSearchRequest(
            query: query, languages: languages, offset: max(0, options.offset), limit: max(0, options.limit),
            allPassages: options.allPassages, highlight: options.highlight, lexicon: lexicon,
            from: lexicon == nil ? "" : Self.queryLanguage(query, told: options.from),
            since: options.since, until: options.until, sort: options.sort.bridgeValue, facets: options.facets))
        var hits: [SearchHit] = []
        hits.reserveCapacity(raw.hits.count)
        for (index, hit) in raw.hits.enumerated() {
            hits.append(SearchHit(
                rank: options.offset + index + 1, score: hit.weight, path: hit.path, title: hit.title,
                language: hit.language, passage: hit.text, highlights: hit.highlights, passageIndex: hit.passage,
                passageCount: hit.passageCount, morePassages: hit.morePassages, start: hit.start, end: hit.end,
                date: hit.date, translated: hit.translated))
        }
        return SearchResults(query: query, total: raw.estimatedTotal, hits: hits, fellBack: raw.fellBack,
                             translatedFrom: raw.translatedFrom, translationUnavailable: unavailable,
                             offset: max(0, options.offset), limit: max(0, options.limit), totalIsExact: raw.totalIsExact,
                             facets: options.facets ? SearchFacets(raw.facets) : nil)
    }

    /// The query's language code for the bridge: the one told, else CLD2's when it calls its
    /// guess reliable, as a guess ("~fr": the query's own stopwords may overrule it), else ""
    /// (the bridge votes with stopwords and dictionary headwords, which a query of two or three
    /// words tells better than CLD2's letter statistics).
    static func queryLanguage(_ query: String, told: Language?) -> String {
        if let told, told != .unknown { return told.rawValue }
        let guess = LanguageDetector.detect(query)
        guard guess.reliable, guess.language != .unknown, !writesOtherLetters(query, than: guess.language) else { return "" }
        return "~" + guess.language.rawValue
    }

    /// True when the query holds letters its guessed language does not write and another
    /// does: French letters (é, è, ç…) or German ones (ä, ö, ü, ß) in a query CLD2 read as
    /// English; German ones and no French one in a query read as French; French ones and no
    /// German one in a query read as German. CLD2's letter statistics read a short query
    /// by its loanwords ("Attributs étendus", "Geräte-Unit-Konfiguration" as English); the
    /// bridge's vote (stopwords, dictionary headwords, compounds) decides instead. A name
    /// ("Zürich", "Société Générale") in an English query costs nothing: the vote reads the
    /// English words around it.
    static func writesOtherLetters(_ query: String, than language: Language) -> Bool {
        let french = Set("éèêëàâçœîïôùûÿ"), german = Set("äöüß")
        let letters = Set(query.lowercased())
        let hasFrench = !letters.isDisjoint(with: french), hasGerman = !letters.isDisjoint(with: german)
        switch language {
        case .english: return hasFrench || hasGerman
        case .french: return hasGerman && !hasFrench
        case .german: return hasFrench && !hasGerman
        default: return false
        }
    }

    /// Counts and dates for `presse stats`.
    public func statistics() throws(PresseError) -> IndexStatistics {
        let counts = try database.statistics()
        var perLanguage: [Language: Int] = [:]
        withUnsafeBytes(of: counts.passages_in) { raw in
            let passages = raw.bindMemory(to: UInt64.self)
            for index in passages.indices {
                let code = String(cString: cx_statistics_language(index))
                if let language = Language(rawValue: code) { perLanguage[language] = Int(passages[index]) }
            }
        }
        return IndexStatistics(
            path: store.path, releases: Int(counts.releases), passages: Int(counts.passages),
            passagesPerLanguage: perLanguage, sizeBytes: store.sizeOnDisk(),
            lastUpdate: counts.last_update > 0 ? Int(counts.last_update) : nil, dates: try dateStatistics())
    }
}

public struct IndexStatistics: Sendable {
    public var path: String
    /// Releases (each one Xapian document, holding its passages).
    public var releases: Int
    public var passages: Int
    public var passagesPerLanguage: [Language: Int]
    public var sizeBytes: Int
    /// Seconds since the epoch, UTC.
    public var lastUpdate: Int?
    /// The releases' first and last dates and releases per year.
    public var dates: ReleaseDates? = nil
}
