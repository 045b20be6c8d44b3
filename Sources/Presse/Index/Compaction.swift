/// What `presse compact` did.
public struct CompactionSummary: Sendable {
    public var bytesBefore = 0
    public var bytesAfter = 0
    public var seconds = 0.0

    /// "compacted: 367.68 MB -> 200.31 MB (1.9 s)"
    public var line: String {
        "compacted: \(Rendering.megabytes(bytesBefore)) MB -> \(Rendering.megabytes(bytesAfter)) MB"
            + " (\(Rendering.decimal(seconds, places: 1)) s)"
    }
}

extension Indexer {
    /// Rewrites the live database with Xapian's compactor (full blocks, no free space, the
    /// way `xapian-compact` does) into a new database beside it, then switches the index's
    /// stub to it with one atomic rename, as the parallel build does: a reader sees the old
    /// database or the new one, never part of either. An index that grew by one writer
    /// (`--jobs 1`, `add`, many syncs) holds about twice the space it needs.
    ///
    /// The writer lock is held from start to switch, so nothing changes while it copies.
    public func compact() throws(PresseError) -> CompactionSummary {
        let started = monotonicSeconds()
        var summary = CompactionSummary()
        let compacted: XapianDatabase
        do {
            _ = try store.openReader()  // a clear error, and nothing created, where there is no index
            let writer = try store.openWriter(wait: wait)
            try cleanLeftovers()
            guard let live = store.liveDatabaseName() else {
                throw PresseError(.notAnIndex, "\(store.path) is a plain Xapian database, not a Presse index folder: compact it with xapian-compact", context: store.path)
            }
            summary.bytesBefore = store.sizeOnDisk()
            let target = store.nextDatabaseName()
            try XapianDatabase.compact(sources: [store.path + "/" + live], into: store.path + "/" + target)
            // Lock the new database before readers and writers are sent to it.
            compacted = try XapianDatabase(path: store.path + "/" + target, mode: .write)
            try store.writeStub(databaseName: target)
            withExtendedLifetime(writer) {}
        }
        // The old database's handle is closed: remove it (a reader that still has it open
        // keeps its files until it lets go).
        try cleanLeftovers()
        summary.bytesAfter = store.sizeOnDisk()
        summary.seconds = monotonicSeconds() - started
        withExtendedLifetime(compacted) {}
        return summary
    }
}
