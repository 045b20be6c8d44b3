/// What an indexing command did, for its closing summary and exit status.
public struct IndexSummary: Sendable {
    public var added = 0
    public var replaced = 0
    public var removed = 0
    public var unchanged = 0
    public var passages = 0
    public var bytesRead = 0
    public var skipped: [(path: String, reason: String)] = []
    public var notes: [(path: String, reason: String)] = []
    public var seconds = 0.0
    /// True when the parallel shard build was used.
    public var sharded = false

    public init() {}

    /// "3 added, 1 replaced, 0 removed, 12 unchanged, 2 skipped (41 passages, 0.2 s)".
    public var line: String {
        let rate = seconds > 0 ? Double(bytesRead) / 1_048_576 / seconds : 0
        return "\(added) added, \(replaced) replaced, \(removed) removed, \(unchanged) unchanged, \(skipped.count) skipped"
            + " (\(passages) passages, \(Rendering.decimal(seconds, places: 1)) s, \(Rendering.decimal(rate, places: 1)) MB/s)"
    }
}

/// Progress of a long run, reported from the indexing threads.
public struct IndexProgress: Sendable {
    public var done: Int
    public var total: Int
    public var bytes: Int
    public var elapsed: Double
    /// True while a parallel build merges its shards (after every file is done).
    public var merging = false
}
