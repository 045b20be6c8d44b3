import Dispatch

/// The parallel build of an empty index: N workers each read, split, detect and index their
/// share of the files into a scratch shard (Xapian allows one writer per database, so this is
/// how N cores write at once), then Xapian's compactor merges the shards into a new database
/// and the index's stub is switched to it with one atomic rename.
///
/// Crash safety: the live database stays as it was (empty) until the switch, so readers see
/// either nothing or everything. Shards commit in batches without fsync (DB_NO_SYNC: they are
/// scratch that can always be rebuilt from the files); a killed build leaves them in
/// `.build-N/`, and the next run with the same N resumes from what they committed.
struct ShardedBuild {
    let indexer: Indexer
    /// Held (and so locked) until the switch; nil when rebuilding an index that cannot be opened.
    let live: XapianDatabase?
    /// The live database's user synonyms go into the merged one (the empty index's of a first
    /// build).
    var keepSynonyms = false
    /// Synonyms to write into the merged database before the switch (a rebuild's, read from
    /// the old database by its caller, which may be damaged).
    var synonyms: [(word: String, synonym: String)] = []

    var store: IndexStore { indexer.store }

    /// Builds, merges and switches; returns a writer on the new live database (opened, and so
    /// locked, before the switch, so no other writer can slip in).
    func run(_ files: [(path: String, status: FileSystem.Status)], into summary: inout IndexSummary) throws(PresseError) -> XapianDatabase {
        let shardCount = indexer.jobs
        let buildFolder = store.path + "/.build-\(shardCount)"
        if case .success(let names) = FileSystem.entries(store.path) {
            for name in names where name.hasPrefix(".build-") && name != ".build-\(shardCount)" {
                FileSystem.removeTree(store.path + "/" + name)
            }
        }
        if case .failure(let error) = FileSystem.makeDirectory(buildFolder) {
            throw PresseError(.io, "cannot create \(buildFolder): \(error.message)", context: buildFolder)
        }
        // Files go to shards by path hash, so a resumed build sends each file where it went.
        var shares = Array(repeating: [(path: String, status: FileSystem.Status)](), count: shardCount)
        for file in files { shares[Int(fnv1a(file.path.utf8) % UInt64(shardCount))].append(file) }

        let shareList = shares
        // One dictionary for every shard, learnt from all the files (release_data.h).
        let sampled = indexer.compressionSample(for: files)
        let results = SlotArray<Result<IndexSummary, PresseError>>(count: shardCount)
        let progress = ProgressCounter(total: files.count, report: indexer.onProgress)
        let indexer = self.indexer
        DispatchQueue.concurrentPerform(iterations: shardCount) { shard in
            results[shard] = Result { () throws(PresseError) -> IndexSummary in
                try Self.buildShard(path: buildFolder + "/shard-\(shard)", files: shareList[shard],
                                    indexer: indexer, sampled: sampled, progress: progress)
            }
        }
        for result in results.values {
            switch result {
            case .success(let part)?:
                summary.added += part.added
                summary.passages += part.passages
                summary.bytesRead += part.bytesRead
                summary.skipped.append(contentsOf: part.skipped)
            case .failure(let error)?: throw error
            case nil: throw PresseError(.other, "a shard did not finish")
            }
        }

        indexer.onProgress?(IndexProgress(done: files.count, total: files.count, bytes: summary.bytesRead,
                                          elapsed: 0, merging: true))
        let target = store.nextDatabaseName()
        let shardPaths = (0..<shardCount).map { buildFolder + "/shard-\($0)" }
        try XapianDatabase.compact(sources: shardPaths, into: store.path + "/" + target)
        let writer = try XapianDatabase(path: store.path + "/" + target, mode: .write)
        let carried = synonyms + (keepSynonyms ? try live?.synonyms() ?? [] : [])
        if !carried.isEmpty {
            for pair in carried { try writer.addSynonym(pair.word, pair.synonym) }
            try writer.commit()
        }
        try store.writeStub(databaseName: target)
        // Readers that open the index from now on get the merged database; the old (empty)
        // one is removed by the caller once its handle is closed.
        FileSystem.removeTree(buildFolder)
        summary.sharded = true
        return writer
    }

    private static func buildShard(path: String, files: [(path: String, status: FileSystem.Status)],
                                   indexer: Indexer, sampled: CompressionSample,
                                   progress: ProgressCounter) throws(PresseError) -> IndexSummary {
        var summary = IndexSummary()
        let shard: XapianDatabase
        do {
            shard = try XapianDatabase(path: path, mode: .createScratch)
        } catch {
            // A shard damaged by a crash is scratch: start it again.
            FileSystem.removeTree(path)
            shard = try XapianDatabase(path: path, mode: .createScratch)
        }
        let done = try shard.records()
        summary.added += done.count
        let writer = BatchedWriter(shard)
        if let dictionary = sampled.dictionary { try writer.useDictionary(dictionary) }
        for file in files {
            defer { progress.advance(bytes: file.status.size) }
            if done[ReleaseRecord.key(for: file.path)] != nil { continue }
            switch indexer.prepare([file], reusing: sampled.releases)[0] {
            case .skipped(let path, let reason):
                summary.skipped.append((path, reason))
            case .ready(let release):
                try writer.store(release)
                summary.added += 1
                summary.passages += release.passages.count
                summary.bytesRead += release.record.size
            }
        }
        try writer.finish()
        return summary
    }
}

/// Counts files done across shard threads and reports progress at most every 1% of the work.
final class ProgressCounter: @unchecked Sendable {
    // Guarded by `lock`: shard threads advance it concurrently.
    private let lock = DispatchSemaphore(value: 1)
    private var done = 0
    private var bytes = 0
    private var lastReported = 0
    private let total: Int
    private let report: (@Sendable (IndexProgress) -> Void)?
    private let started = monotonicSeconds()

    init(total: Int, report: (@Sendable (IndexProgress) -> Void)?) {
        self.total = total
        self.report = report
    }

    func advance(bytes size: Int) {
        lock.wait()
        done += 1
        bytes += size
        let due = done - lastReported >= max(1, total / 100) || done == total
        if due { lastReported = done }
        let snapshot = IndexProgress(done: done, total: total, bytes: bytes, elapsed: monotonicSeconds() - started)
        lock.signal()
        if due { report?(snapshot) }
    }
}
