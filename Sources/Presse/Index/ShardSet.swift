/// An index split into shards by a stable key (issue 17, `presse index --shards N`): DIR/shard-1
/// … DIR/shard-N, each an ordinary index (served on its own by `presse shard-serve`, moved to
/// another machine as it is), and DIR/XAPIANDB, a stub naming all of them with `auto` lines, so
/// that `presse search --index DIR` (and Xapian's own tools) open them as one.
public struct ShardSet: Sendable {
    public let path: String
    public let count: Int

    public init(path: String, count: Int) {
        self.path = FileSystem.absolute(path)
        self.count = count
    }

    /// The shard a release belongs to: its path's FNV-1a hash (what its key is made of) modulo
    /// the count, so a release stays in its shard from one run to the next.
    public static func shard(of path: String, count: Int) -> Int { Int(fnv1a(path.utf8) % UInt64(count)) }

    public func shardStore(_ shard: Int) -> IndexStore { IndexStore(path: path + "/shard-\(shard + 1)") }

    /// Brings every shard in step with the folders (Indexer.sync, each shard taking its own
    /// releases), then writes the stub naming them. One summary for all of them.
    public func sync(_ folders: [String], jobs: Int, wait: Double,
                     onProgress: (@Sendable (IndexProgress) -> Void)? = nil) throws(PresseError) -> IndexSummary {
        let store = IndexStore(path: path)
        try store.refuseReplica()
        if FileSystem.exists(store.stubPath) {
            let specs = try store.shardSpecs()
            if specs == nil {
                throw PresseError(.invalidArgument, "\(path) is one index, not a set of shards: index it without --shards", context: path)
            }
            if let specs, specs.count != count {
                throw PresseError(.invalidArgument, "\(path) holds \(specs.count) shards, not \(count): give --shards \(specs.count)",
                                  context: path)
            }
        }
        if case .failure(let error) = FileSystem.makeDirectory(path) {
            throw PresseError(.io, "cannot create the index folder: \(error.message)", context: path)
        }
        let started = monotonicSeconds()
        var total = IndexSummary()
        for shard in 0..<count {
            var indexer = Indexer(store: shardStore(shard), jobs: jobs, wait: wait)
            indexer.onProgress = onProgress
            indexer.partition = (shard, count)
            let summary = try indexer.sync(folders)
            total.added += summary.added
            total.replaced += summary.replaced
            total.removed += summary.removed
            total.unchanged += summary.unchanged
            total.passages += summary.passages
            total.bytesRead += summary.bytesRead
            // The walk's problems (an unreadable folder) are met by every shard's walk: once.
            for skipped in summary.skipped where !total.skipped.contains(where: { $0.path == skipped.path }) {
                total.skipped.append(skipped)
            }
            total.notes += summary.notes
        }
        let stub = (1...count).map { "auto shard-\($0)\n" }.joined()
        if case .failure(let error) = FileSystem.writeAtomically(store.stubPath, contents: stub) {
            throw PresseError(.io, "cannot write \(store.stubPath): \(error.message)", context: path)
        }
        total.seconds = monotonicSeconds() - started
        return total
    }
}
