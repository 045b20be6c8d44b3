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
            + " (\(passages) passages, \(formatted(seconds, 1)) s, \(formatted(rate, 1)) MB/s)"
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

/// A fixed-point rendering without Foundation's String(format:).
func formatted(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "0" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled) - whole * Int(scale)
    let sign = value < 0 && scaled > 0 ? "-" : ""
    guard decimals > 0 else { return sign + String(whole) }
    let digits = String(fraction)
    return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
}
