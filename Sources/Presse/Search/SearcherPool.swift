import Glibc
import Synchronization

/// Readers for a process that answers many searches over time (`presse serve`): each caller
/// borrows a Searcher of its own (a Xapian reader is used by one thread at a time), and a
/// reader that no longer shows the index as it is on disk is replaced before it is lent.
///
/// A Xapian reader sees the revision it opened (or last reopened) at; a writer's commit, and
/// the stub switch of a parallel build, `--rebuild` or `presse compact` (a new database
/// folder), are seen only by a reader opened after them. So each loan compares the index's
/// `IndexStore.revisionStamp()` (the stub's target and its version file) with the stamp the
/// reader was opened at, and opens a new reader when they differ: new releases are searched
/// from the first request after their commit. A commit that lands during a search is the
/// library's own business (the bridge reads again at the latest commit).
public final class SearcherPool: Sendable {
    public let store: IndexStore
    /// Readers kept when idle; more are opened when more callers borrow at once, and closed
    /// when returned beyond this many.
    public let keep: Int

    private struct Idle: @unchecked Sendable {
        // Safe: a Searcher in this list is used by no one; a loan takes it out of the list
        // under the lock, and only the borrower touches it until it is put back.
        var readers: [(searcher: Searcher, stamp: String)] = []
    }
    private let idle = Mutex(Idle())

    public init(store: IndexStore, keep: Int) {
        self.store = store
        self.keep = max(1, keep)
    }

    /// Runs `body` with a reader of the index as it is now; it is returned to the pool after.
    /// Fails as opening the index fails (no index yet, damaged): the caller answers "not
    /// available" and the next call tries again.
    public func withSearcher<T>(_ body: (Searcher) throws(PresseError) -> T) throws(PresseError) -> T {
        let stamp = store.revisionStamp()
        var lent = idle.withLock { idle -> (searcher: Searcher, stamp: String)? in
            // The freshest first: readers are put back at the end.
            idle.readers.popLast()
        }
        if let reader = lent, reader.stamp != stamp {
            lent = nil  // an older revision: closed here (deinit), outside the lock
            idle.withLock { $0.readers.removeAll { $0.stamp != stamp } }
        }
        let reader: (searcher: Searcher, stamp: String)
        if let lent { reader = lent } else { reader = (try Searcher(store: store), stamp) }
        defer {
            idle.withLock { idle in
                if idle.readers.count < keep { idle.readers.append(reader) }
            }
        }
        return try body(reader.searcher)
    }
}

extension IndexStore {
    /// Changes whenever what a new reader would see changes: the live database's name (a
    /// stub switch) and its version file's identity, time and size (Xapian's glass backend
    /// writes `iamglass` anew, by rename, at every commit). "" when there is no index.
    public func revisionStamp() -> String {
        let live = liveDatabaseName()
        let version = (live.map { path + "/" + $0 } ?? path) + "/iamglass"
        var info = stat()
        guard stat(version, &info) == 0 else { return "" }
        return "\(live ?? "-") \(info.st_ino) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_size)"
    }
}
