/// What to search and how to shape the answer.
public struct SearchOptions: Sendable {
    /// nil: every language, each with its own stemmer.
    public var language: Language?
    public var limit = 10
    public var offset = 0
    /// false: the best passage per release (collapsed on the release).
    public var allPassages = false
    public var highlight = true

    public init(language: Language? = nil, limit: Int = 10, offset: Int = 0, allPassages: Bool = false) {
        self.language = language
        self.limit = limit
        self.offset = offset
        self.allPassages = allPassages
    }
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
    /// Further matching passages of the same release (when collapsed).
    public var morePassages: Int
    /// Byte offsets of the passage in the release.
    public var start: Int
    public var end: Int
}

public struct SearchResults: Sendable {
    public var query: String
    public var total: Int
    public var hits: [SearchHit]
    /// The QueryParser rejected the syntax, so the query's words were searched instead.
    public var fellBack: Bool
    /// How long the search took, from the query text to the highlighted hits (Elasticsearch's
    /// "took"): what `search --timings` reports per query.
    public var seconds: Double = 0
}

/// Searches an index. One Searcher holds one reader handle: use it from one thread at a time.
public final class Searcher {
    private let database: XapianDatabase
    public let store: IndexStore

    public init(store: IndexStore) throws(PresseError) {
        self.store = store
        self.database = try store.openReader()
    }

    /// Runs a query. A writer committing meanwhile can invalidate what this reader holds
    /// (Xapian's DatabaseModifiedError): the bridge reopens and retries inside a query, and
    /// here the whole search is retried at the latest commit.
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws(PresseError) -> SearchResults {
        let started = monotonicSeconds()
        var attempt = 0
        while true {
            do {
                var results = try searchOnce(query, options: options)
                // Xapian reads an unclosed quote as a phrase to the end of the query, which
                // rarely matches: a user who typed `"unclosed osaka` wants the words.
                if results.hits.isEmpty && options.offset == 0, let words = Self.unbalancedWords(query) {
                    results = try searchOnce(words, options: options)
                    results.query = query
                    results.fellBack = true
                }
                results.seconds = monotonicSeconds() - started
                return results
            } catch let error where error.kind == .indexModified && attempt < 3 {
                attempt += 1
                try database.reopen()
            }
        }
    }

    /// The query without quotes and brackets, when they are unbalanced; nil otherwise.
    static func unbalancedWords(_ query: String) -> String? {
        var quotes = 0, depth = 0, unbalanced = false
        for character in query {
            if character == "\"" { quotes += 1 }
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1; if depth < 0 { unbalanced = true } }
        }
        guard unbalanced || depth != 0 || quotes % 2 == 1 else { return nil }
        return String(query.map { $0 == "\"" || $0 == "(" || $0 == ")" ? " " : $0 })
    }

    private func searchOnce(_ query: String, options: SearchOptions) throws(PresseError) -> SearchResults {
        let languages = options.language.map { [$0] } ?? Language.allCases
        let raw = try database.search(RawSearchRequest(
            query: query, languages: languages, offset: max(0, options.offset), limit: max(0, options.limit),
            collapse: !options.allPassages, highlight: options.highlight))
        var hits: [SearchHit] = []
        hits.reserveCapacity(raw.hits.count)
        for (index, hit) in raw.hits.enumerated() {
            let info = PassageInfo(encoded: hit.info)
            hits.append(SearchHit(
                rank: options.offset + index + 1, score: hit.weight, path: info?.path ?? "",
                title: info?.title ?? "", language: hit.language, passage: hit.text,
                highlights: hit.highlights, passageIndex: info?.ordinal ?? 0,
                passageCount: info?.passages ?? 0, morePassages: hit.collapseCount,
                start: info?.start ?? 0, end: info?.end ?? 0))
        }
        return SearchResults(query: query, total: raw.estimatedTotal, hits: hits, fellBack: raw.fellBack)
    }

    /// Counts and dates for `presse stats`.
    public func statistics() throws(PresseError) -> IndexStatistics {
        var perLanguage: [Language: Int] = [:]
        for language in Language.allCases {
            perLanguage[language] = Int(try database.termFrequency("L" + language.rawValue))
        }
        // One term on each release's first passage: counting releases costs one lookup,
        // not a walk over every release record.
        let releases = Int(try database.termFrequency("XF"))
        let stamp = Int(try database.metadata("last_update"))
        return IndexStatistics(
            path: store.path, releases: releases, passages: Int(try database.documentCount()),
            passagesPerLanguage: perLanguage, sizeBytes: store.sizeOnDisk(), lastUpdate: stamp)
    }
}

public struct IndexStatistics: Sendable {
    public var path: String
    /// Releases (a release is one or more passages, each a Xapian document).
    public var releases: Int
    public var passages: Int
    public var passagesPerLanguage: [Language: Int]
    public var sizeBytes: Int
    /// Seconds since the epoch, UTC.
    public var lastUpdate: Int?
}
