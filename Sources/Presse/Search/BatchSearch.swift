import Dispatch

/// One query of a batch: its text and how to search it.
public struct BatchQuery: Sendable {
    public var text: String
    public var options: SearchOptions

    public init(_ text: String, options: SearchOptions) {
        self.text = text
        self.options = options
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
        let jobs = min(self.jobs, max(1, queries.count))
        var opened: [Searcher] = []
        for _ in 0..<jobs { opened.append(try Searcher(store: store)) }
        let searchers = Searchers(opened)
        let blockSize = jobs * Self.queriesPerJobAndBlock
        var blockStart = 0
        while blockStart < queries.count {
            let start = blockStart, end = min(blockStart + blockSize, queries.count)
            let answers = SlotArray<Result<SearchResults, PresseError>>(count: end - start)
            // Thread `job` takes queries job, job + jobs, job + 2 jobs... of the block, so short
            // and long queries spread evenly.
            DispatchQueue.concurrentPerform(iterations: jobs) { job in
                for index in stride(from: start + job, to: end, by: jobs) {
                    let query = queries[index]
                    answers[index - start] = Result { () throws(PresseError) -> SearchResults in
                        try searchers[job].search(query.text, options: query.options)
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
