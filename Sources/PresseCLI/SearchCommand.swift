import ArgumentParser
import Glibc
import Presse

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index; print the best passage of each matching release.",
        discussion: """
            The query uses Xapian's syntax: words, "phrases", AND OR NOT, +word -word, word*, \
            and the fields title: and lang: (lang:en, lang:fr, lang:de). Accents do not matter. \
            date:2022, date:2022-03..2022-11, date:..2021 keep the releases of those days.
            """)

    // Not IndexOptions: search alone takes several indexes, searched as one (issue 17).
    @Option(name: .long, help: ArgumentHelp("The index folder (default: $PRESSE_INDEX, else ./Index); a shard list file; "
                                            + "repeated, several indexes searched as one.", valueName: "dir"))
    var index: [String] = []

    @Flag(name: .long, help: "With several indexes: fail when one is unavailable instead of answering from the others.")
    var requireAll = false

    @Option(name: .long, help: ArgumentHelp("Search only passages in this language, stemming the query in it (en, fr, de).", valueName: "lang"))
    var lang: String?

    @Flag(name: .long, help: "Search each language in the query's own words only, without translating them.")
    var noTranslate = false

    @Option(name: .long, help: ArgumentHelp("The query's language (en, fr, de), for its translation; default: told by its words.", valueName: "lang"))
    var from: String?

    @Option(name: .shortAndLong, help: "The number of hits to print.")
    var limit: Int = 10

    @Flag(name: .long, help: "Every matching passage, not only the best one per release.")
    var allPassages = false

    @Flag(name: .long, help: "Print one JSON object (one per line with --batch).")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Run the queries of a file, one a line: QUERY or LANG<TAB>QUERY.", valueName: "file"))
    var batch: String?

    @Option(name: .shortAndLong, help: "With --batch: queries searched at once (default: the number of cores). Answers keep the file's order.")
    var jobs: Int?

    @Flag(name: .long, help: "With --json: each answer's search time in milliseconds, as took_ms.")
    var timings = false

    @Option(name: .long, help: ArgumentHelp("Releases dated on or after this day (YYYY, YYYY-MM or YYYY-MM-DD).", valueName: "date"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Releases dated on or before this day (YYYY, YYYY-MM or YYYY-MM-DD).", valueName: "date"))
    var until: String?

    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("relevance, date (newest first) or -date (oldest first); ties by relevance.", valueName: "order"))
    var sort: String = "relevance"

    @Option(name: .long, help: "Hits to skip before the first one printed (the next page).")
    var offset: Int = 0

    @Flag(name: .long, help: "Count the whole match's releases by language, year and source folder.")
    var facets = false

    @Flag(name: .long, help: "No \"did you mean\" suggestion for unknown words.")
    var noSuggest = false

    @Argument(help: "The query.")
    var query: [String] = []

    func validate() throws {
        guard limit >= 0 && limit <= 100_000 else { throw ValidationError("--limit must be between 0 and 100000") }
        if let lang, Language(userValue: lang) == nil {
            throw ValidationError("unknown language '\(lang)': use en, fr or de")
        }
        guard SearchSort(rawValue: sort) != nil else { throw ValidationError("unknown --sort '\(sort)': use relevance, date or -date") }
        guard offset >= 0 && offset <= 1_000_000 else { throw ValidationError("--offset must be between 0 and 1000000") }
        _ = try Self.day(since, "--since", last: false)
        _ = try Self.day(until, "--until", last: true)
        if let from, Language(userValue: from).map({ $0 == .unknown }) ?? true {
            throw ValidationError("unknown query language '\(from)': use en, fr or de")
        }
        if from != nil && noTranslate { throw ValidationError("--from goes with translation, not --no-translate") }
        if batch == nil && query.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) && since == nil && until == nil {
            throw ValidationError("give a query, or --batch FILE")
        }
        if batch != nil && !query.isEmpty { throw ValidationError("give either a query or --batch, not both") }
        if timings && !json { throw ValidationError("--timings needs --json") }
        // Each thread opens a reader (a few file descriptors each).
        if let jobs {
            guard batch != nil else { throw ValidationError("--jobs goes with --batch") }
            guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 64") }
        }
    }

    /// A --since or --until day as the bridge takes it ("YYYYMMDD"): a year or month stands
    /// for its first day (`last` false) or its last.
    static func day(_ text: String?, _ option: String, last: Bool) throws -> String? {
        guard let text else { return nil }
        guard !text.contains("..") else { throw ValidationError("bad date \(option) '\(text)': give one day, month or year (a range: date:A..B)") }
        do {
            let bounds = try DateQuery.bounds(text, what: "\(option) '\(text)'")
            return last ? bounds.high : bounds.low
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        var arguments = SearchArguments(index: index.count == 1 ? index[0] : nil, lang: lang, limit: limit, allPassages: allPassages,
                                        json: json, timings: timings, batch: batch, jobs: jobs ?? Indexer.defaultJobs, query: query,
                                        translate: !noTranslate, from: from)
        arguments.since = try Self.day(since, "--since", last: false)
        arguments.until = try Self.day(until, "--until", last: true)
        arguments.sort = SearchSort(rawValue: sort) ?? .relevance
        arguments.offset = offset
        arguments.facets = facets
        arguments.suggest = !noSuggest
        arguments.shards = index.count > 1 ? index : []
        arguments.requireAll = requireAll
        try Self.search(arguments)
    }

    /// Runs a search once its arguments are parsed and valid, by ArgumentParser (`run`) or by
    /// the lean one-shot path (OneShotSearch).
    static func search(_ arguments: SearchArguments) throws {
        var store = arguments.shards.isEmpty ? IndexOptions.chosenStore(arguments.index) : IndexStore(shards: arguments.shards)
        store.requireAllShards = arguments.requireAll
        let language = arguments.lang.flatMap(Language.init(userValue:))
        var options = SearchOptions(language: language, limit: arguments.limit, offset: arguments.offset,
                                    allPassages: arguments.allPassages,
                                    translate: arguments.translate, from: arguments.from.flatMap(Language.init(userValue:)))
        options.since = arguments.since
        options.until = arguments.until
        options.sort = arguments.sort
        options.facets = arguments.facets
        options.suggest = arguments.suggest
        if options.translate, case .unavailable(let reason) = TranslationLexicon.shared {
            System.writeError("presse: \(reason)\n")
        }
        let style: Rendering.Style = System.isTerminal(1) && getenv("NO_COLOR") == nil ? .terminal : .plain

        if let batch = arguments.batch {
            try running { () throws(PresseError) in
                let queries = try BatchQuery.read(file: batch, options: options)
                let (json, timings) = (arguments.json, arguments.timings)
                // In text, each query's "did you mean" goes to standard error just before its
                // answer, as for one query (JSON carries it as "suggestion").
                try BatchSearch(store: store, jobs: arguments.jobs).run(queries, shaping: { results in
                    // Shards left out are named before the answer they are missing from.
                    let warnings = results.shardWarnings.map { "presse: \(FileSystem.oneLine($0))\n" }.joined()
                    return json ? (output: Rendering.json(results, took: timings) + "\n", message: warnings.isEmpty ? nil : warnings)
                         : (output: "# \(results.query)\n" + Rendering.text(results, style: style) + "\n",
                            message: warnings + (results.suggestion.map { "did you mean: \($0) (\(results.query))\n" } ?? ""))
                }, answer: { shaped in
                    if let message = shaped.message, !message.isEmpty { System.writeError(message) }
                    System.writeOutput(shaped.output)
                })
            }
            return
        }
        let searcher = try running { () throws(PresseError) in try Searcher(store: store) }
        let text = arguments.query.joined(separator: " ")
        let results = try running { () throws(PresseError) in try searcher.search(text, options: options) }
        for warning in results.shardWarnings { System.writeError("presse: \(FileSystem.oneLine(warning))\n") }
        if results.fellBack {
            System.writeError("presse: the query's syntax was not understood; searched its words instead\n")
        }
        if let suggestion = results.suggestion, !arguments.json { System.writeError("did you mean: \(suggestion)\n") }
        System.writeOutput(arguments.json ? Rendering.json(results, took: arguments.timings) + "\n" : Rendering.text(results, style: style))
        if results.total == 0 && results.hits.isEmpty { throw ExitCode(ExitStatus.nothingFound.rawValue) }
    }
}

/// `presse search`'s arguments, parsed and validated.
struct SearchArguments {
    var index: String?
    var lang: String?
    var limit = 10
    var allPassages = false
    var json = false
    var timings = false
    var batch: String?
    var jobs = 1
    var query: [String] = []
    var translate = true
    var from: String?
    var since: String?
    var until: String?
    var sort = SearchSort.relevance
    var offset = 0
    var facets = false
    var suggest = true
    /// Several indexes searched as one (`--index` repeated).
    var shards: [String] = []
    var requireAll = false
}
