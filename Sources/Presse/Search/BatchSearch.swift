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
/// order. The threads take the next query as they become free and run ahead of the answers
/// being written by at most a window of queries, so the first answers are out while later ones
/// are searched and memory stays bounded; a failing query ends the batch after the answers
/// before it. Each answer's `seconds` is its own query's time, whatever runs beside it.
public struct BatchSearch {
    public let store: IndexStore
    public let jobs: Int

    /// How far the threads may run ahead of the answers written: a window of this many queries
    /// per thread, shared (one thread may take most of it while another is on a slow query);
    /// enough that a slow query or the writing of answers never holds the others up, few
    /// enough that memory stays small. (Blocks of 32 queries a thread, each written when all of it was
    /// searched, left a thread idle at every block's end: the batch took 4 % longer.)
    static let queriesAheadPerJob = 64

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
        // Query i's answer goes to slot i % window; a thread takes query i only once the
        // answer of query i - window has been written (a permit of `free` each), so a slot is
        // never filled twice before it is read.
        let window = jobs * Self.queriesAheadPerJob
        let slots = SlotArray<Result<Shaped, PresseError>>(count: window)
        let filled = (0..<window).map { _ in DispatchSemaphore(value: 0) }
        // Made at 0 and given its permits: libdispatch stops a process that frees a semaphore
        // holding fewer than it was made with, which a batch ended by a failing query does.
        let free = DispatchSemaphore(value: 0)
        for _ in 0..<window { free.signal() }
        let next = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let threads = DispatchGroup()
        for job in 0..<jobs {
            DispatchQueue.global().async(group: threads) {
                while true {
                    free.wait()
                    let index = next.add(1, ordering: .relaxed).oldValue
                    guard index < queries.count, !stop.load(ordering: .relaxed) else { break }
                    let query = queries[index]
                    slots[index % window] = Result { () throws(PresseError) -> Shaped in
                        shape(try searchers[job].search(query.text, options: query.options))
                    }
                    filled[index % window].signal()
                }
            }
        }
        // The threads end before this returns or throws: they use the searchers and the slots.
        defer {
            stop.store(true, ordering: .relaxed)
            for _ in 0..<jobs { free.signal() }
            threads.wait()
        }
        for index in queries.indices {
            filled[index % window].wait()
            let result = slots[index % window]
            slots[index % window] = nil
            free.signal()
            switch result {
            case .success(let results)?: answer(results)
            case .failure(let error)?: throw error
            case nil: throw PresseError(.other, "a batch query was not run")
            }
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
