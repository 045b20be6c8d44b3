import ArgumentParser
import Glibc
import Presse

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index; print the best passage of each matching release.",
        discussion: """
            The query uses Xapian's syntax: words, "phrases", AND OR NOT, +word -word, word*, \
            and the fields title: and lang: (lang:en, lang:fr, lang:de). Accents do not matter.
            """)

    @OptionGroup var indexOptions: IndexOptions

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

    @Argument(help: "The query.")
    var query: [String] = []

    func validate() throws {
        guard limit >= 0 && limit <= 100_000 else { throw ValidationError("--limit must be between 0 and 100000") }
        if let lang, Language(userValue: lang) == nil {
            throw ValidationError("unknown language '\(lang)': use en, fr or de")
        }
        if let from, Language(userValue: from).map({ $0 == .unknown }) ?? true {
            throw ValidationError("unknown query language '\(from)': use en, fr or de")
        }
        if from != nil && noTranslate { throw ValidationError("--from goes with translation, not --no-translate") }
        if batch == nil && query.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
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

    func run() throws {
        try Self.search(SearchArguments(index: indexOptions.index, lang: lang, limit: limit, allPassages: allPassages,
                                        json: json, timings: timings, batch: batch, jobs: jobs ?? Indexer.defaultJobs, query: query,
                                        translate: !noTranslate, from: from))
    }

    /// Runs a search once its arguments are parsed and valid, by ArgumentParser (`run`) or by
    /// the lean one-shot path (OneShotSearch).
    static func search(_ arguments: SearchArguments) throws {
        let store = IndexOptions.chosenStore(arguments.index)
        let language = arguments.lang.flatMap(Language.init(userValue:))
        let options = SearchOptions(language: language, limit: arguments.limit, allPassages: arguments.allPassages,
                                    translate: arguments.translate, from: arguments.from.flatMap(Language.init(userValue:)))
        if options.translate, case .unavailable(let reason) = TranslationLexicon.shared {
            System.writeError("presse: \(reason)\n")
        }
        let style: Rendering.Style = System.isTerminal(1) && getenv("NO_COLOR") == nil ? .terminal : .plain

        if let batch = arguments.batch {
            try running { () throws(PresseError) in
                let queries = try BatchQuery.read(file: batch, options: options)
                let (json, timings) = (arguments.json, arguments.timings)
                try BatchSearch(store: store, jobs: arguments.jobs).run(queries, shaping: { results in
                    json ? Rendering.json(results, took: timings) + "\n"
                         : "# \(results.query)\n" + Rendering.text(results, style: style) + "\n"
                }, answer: System.writeOutput)
            }
            return
        }
        let searcher = try running { () throws(PresseError) in try Searcher(store: store) }
        let text = arguments.query.joined(separator: " ")
        let results = try running { () throws(PresseError) in try searcher.search(text, options: options) }
        if results.fellBack {
            System.writeError("presse: the query's syntax was not understood; searched its words instead\n")
        }
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
}
