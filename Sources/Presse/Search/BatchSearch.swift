import Dispatch
import Synchronization

/// One query of a batch: its text and how to search it.
public struct BatchQuery: Sendable {
    public var text: String
    public var options: SearchOptions

    public init(_ text: String, options: SearchOptions) {
        self.text = text
        self.options = options
    }
}

extension BatchQuery {
    /// A batch file's queries, one a line: `QUERY`, or `LANG<TAB>QUERY` to search that line in
    /// one language (en, fr, de, or a name `--lang` takes); a line whose text before the tab
    /// names no language is a query, tab and all. Blank lines are skipped. Each query gets
    /// `options`, with the line's language where it names one.
    public static func parse(_ text: String, options: SearchOptions) -> [BatchQuery] {
        // "\r\n" is one Character in Swift: split on every kind of line end.
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        return lines.compactMap { line in
            guard !line.allSatisfy(\.isWhitespace) else { return nil }
            if let tab = line.firstIndex(of: "\t"), let language = Language(userValue: String(line[..<tab])) {
                var own = options
                own.language = language
                return BatchQuery(String(line[line.index(after: tab)...]), options: own)
            }
            return BatchQuery(String(line), options: options)
        }
    }

    /// The queries of a batch file (see `parse`), read as UTF-8. A file that cannot be read
    /// is an invalid argument, with its path as context.
    public static func read(file path: String, options: SearchOptions) throws(PresseError) -> [BatchQuery] {
        switch FileSystem.read(path) {
        case .success(let bytes): return parse(String(decoding: bytes, as: UTF8.self), options: options)
        case .failure(let error):
            throw PresseError(.invalidArgument, "cannot read the batch file: \(error.message)", context: path)
        }
    }
}

/// Runs a batch of queries on every core: each thread searches with a Searcher of its own
/// (a Xapian reader is used by one thread at a time), and the answers come back in the batch's
/// order. Queries go a block at a time, so the first answers are out while later ones are
/// searched and memory stays bounded; a failing query ends the batch after the answers before
/// it. Each answer's `seconds` is its own query's time, whatever runs beside it.
public struct BatchSearch {
    public let store: IndexStore
    public let jobs: Int

    /// Queries a thread takes per block: enough that threads rarely wait for each other at the
    /// block's end, few enough that the first answers are not held back.
    static let queriesPerJobAndBlock = 32

    public init(store: IndexStore, jobs: Int) {
        self.store = store
        self.jobs = max(1, jobs)
    }

    public func run(_ queries: [BatchQuery], answer: (SearchResults) -> Void) throws(PresseError) {
        try run(queries, shaping: { $0 }, answer: answer)
    }

    /// As `run`, each answer passed through `shape` on the thread that searched it (the
    /// rendering of a whole batch, done after the searches on one thread, was a twentieth of
    /// its time).
    public func run<Shaped>(_ queries: [BatchQuery], shaping shape: @escaping @Sendable (SearchResults) -> Shaped,
                            answer: (Shaped) -> Void) throws(PresseError) {
        let jobs = min(self.jobs, max(1, queries.count))
        var opened: [Searcher] = []
        for _ in 0..<jobs { opened.append(try Searcher(store: store)) }
        let searchers = Searchers(opened)
        let blockSize = jobs * Self.queriesPerJobAndBlock
        var blockStart = 0
        while blockStart < queries.count {
            let start = blockStart, end = min(blockStart + blockSize, queries.count)
            let answers = SlotArray<Result<Shaped, PresseError>>(count: end - start)
            // Each thread takes the block's next unsearched query when it is free, so the
            // threads finish the block within one query of each other (dealing the queries out
            // in turn left one thread waiting on the other's slow queries at every block's end).
            let next = Atomic<Int>(start)
            DispatchQueue.concurrentPerform(iterations: jobs) { job in
                while true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    guard index < end else { break }
                    let query = queries[index]
                    answers[index - start] = Result { () throws(PresseError) -> Shaped in
                        shape(try searchers[job].search(query.text, options: query.options))
                    }
                }
            }
            for result in answers.values {
                switch result {
                case .success(let results)?: answer(results)
                case .failure(let error)?: throw error
                case nil: throw PresseError(.other, "a batch query was not run")
                }
            }
            blockStart = end
        }
    }
}

/// The batch's searchers, one per thread. Safe to share because thread `job` only ever uses
/// searchers[job], and the array is not changed once built.
private final class Searchers: @unchecked Sendable {
    private let searchers: [Searcher]
    init(_ searchers: [Searcher]) { self.searchers = searchers }
    subscript(job: Int) -> Searcher { searchers[job] }
}
