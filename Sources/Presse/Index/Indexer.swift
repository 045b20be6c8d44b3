import Dispatch

/// Keeps an index in step with release files: `sync` for folders (new files added, changed
/// ones replaced, vanished ones removed, unchanged ones skipped by size and time without being
/// read), `add` and `remove` for single files. A release's passages always change inside one
/// transaction with its record, so the index never holds half a release; long runs commit in
/// batches, so a killed run keeps what it committed and a re-run resumes.
public struct Indexer: Sendable {
    public let store: IndexStore
    public let jobs: Int
    public let wait: Double
    /// Called from indexing threads (more than one during a parallel build).
    public var onProgress: (@Sendable (IndexProgress) -> Void)?
    public var splitter = PassageSplitter()
    /// Each folder's furniture lines (RepeatedLines), for the files being prepared.
    var repeatedLines: [String: RepeatedLines] = [:]

    /// Files are prepared (read, decoded, split, language-tagged) in chunks on every core
    /// while the writer indexes the previous chunk.
    static let chunkSize = 256
    /// A transaction (and so a commit) closes after this many passages or bytes: it bounds the
    /// memory Xapian holds and how much a killed run has to redo.
    static let batchPassages = 40_000
    static let batchBytes = 48 << 20
    /// An empty index built from at least this many files uses the parallel shard build.
    public var shardThreshold = 2_000
    /// One shard of a ShardSet (`presse index --shards N`): only the releases whose path
    /// hashes to `shard` of `count` are indexed here.
    public var partition: (shard: Int, count: Int)? = nil

    public init(store: IndexStore, jobs: Int = Indexer.defaultJobs, wait: Double = 0) {
        self.store = store
        self.jobs = max(1, jobs)
        self.wait = wait
    }

    public static var defaultJobs: Int { max(1, System.coreCount) }

    // MARK: - Folder sync

    public func sync(_ paths: [String]) throws(PresseError) -> IndexSummary {
        let started = monotonicSeconds()
        var summary = IndexSummary()
        let walk = CorpusWalker.walk(paths)
        summary.skipped.append(contentsOf: walk.problems)

        var database = try store.openWriter(wait: wait)
        try cleanLeftovers()
        let records = try database.records()

        var toRead: [(path: String, status: FileSystem.Status)] = []
        var seen = Set<String>()
        for (path, status) in walk.files {
            let key = ReleaseRecord.key(for: path)
            seen.insert(key)
            if let partition, ShardSet.shard(of: path, count: partition.count) != partition.shard { continue }
            if let record = records[key], record.size == status.size, record.modified == status.modified {
                summary.unchanged += 1
            } else {
                toRead.append((path, status))
            }
        }
        // Releases not met in the walk: gone if they were under a folder walked. Records hold
        // no path (schema.h), so each such release's path is read from its document.
        var vanished: [String] = []
        for key in records.keys where !seen.contains(key) {
            guard let path = try database.findRelease(key: key, withPath: true)?.path else { continue }
            if walk.roots.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { vanished.append(path) }
        }

        var indexer = self
        indexer.repeatedLines = learnRepeatedLines(all: walk.files, reading: toRead)
        if records.isEmpty && jobs > 1 && toRead.count >= shardThreshold {
            database = try ShardedBuild(indexer: indexer, live: database, keepSynonyms: true).run(toRead, into: &summary)
            try cleanLeftovers()  // the retired database, now that its handle is closed
        } else {
            if !vanished.isEmpty {
                let writer = BatchedWriter(database, passages: .max, bytes: .max)
                for path in vanished { try writer.forget(path: path) }
                try writer.finish()
                summary.removed = vanished.count
            }
            try indexer.write(toRead, into: database, records: records, summary: &summary)
        }
        try keep(indexer.repeatedLines, in: database)
        try stampUpdate(database)
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    /// Indexes the folders from scratch into a new database and switches the index to it
    /// when done, with the stub's atomic rename (as the parallel build does): searches use the
    /// old index until then. The way out for an index written by an earlier Presse, or
    /// damaged: of the old database only the user's synonyms are read, where it can be opened
    /// at all (it is locked then; one that cannot be opened cannot be written by anyone else
    /// either). The new index holds the given folders only.
    public func rebuild(_ paths: [String]) throws(PresseError) -> IndexSummary {
        try store.refuseReplica()  // before anything is written beside its copy
        guard store.liveDatabaseName() != nil else { return try sync(paths) }  // nothing to replace
        store.keepChangesetsIfAsked()  // the new database's own commits (its replicas copy it whole first)
        let started = monotonicSeconds()
        var summary = IndexSummary()
        let walk = CorpusWalker.walk(paths)
        summary.skipped.append(contentsOf: walk.problems)

        var old: XapianDatabase?
        do {
            old = try store.retryingWhileLocked(wait: wait) { () throws(PresseError) in
                try XapianDatabase(path: store.path, mode: .lockAnySchema)
            }
        } catch let error where error.kind == .indexLocked {
            throw error
        } catch {
            old = nil
        }
        // The user's synonyms are theirs, not the files': carried over from the old database
        // when it can be read (a damaged one may not be, and then they are lost with it).
        let synonyms = (try? old?.synonyms()) ?? []
        try cleanLeftovers()
        let database: XapianDatabase
        var indexer = self
        indexer.repeatedLines = learnRepeatedLines(all: walk.files, reading: walk.files)
        if jobs > 1 && walk.files.count >= shardThreshold {
            var build = ShardedBuild(indexer: indexer, live: old)
            build.synonyms = synonyms  // written before the switch
            database = try build.run(walk.files, into: &summary)
            try keep(indexer.repeatedLines, in: database)
            try stampUpdate(database)
        } else {
            let target = store.nextDatabaseName()
            database = try XapianDatabase(path: store.path + "/" + target, mode: .create)
            try indexer.write(walk.files, into: database, records: [:], summary: &summary)
            try keep(indexer.repeatedLines, in: database)
            for pair in synonyms { try database.addSynonym(pair.word, pair.synonym) }
            try stampUpdate(database)
            try store.writeStub(databaseName: target)
        }
        old = nil  // closes the retired database, which cleanLeftovers then removes
        try cleanLeftovers()
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    // MARK: - Single files

    /// Adds or replaces the given files in one transaction: all of them, or none.
    public func add(_ files: [String]) throws(PresseError) -> IndexSummary {
        let started = monotonicSeconds()
        var summary = IndexSummary()
        var toRead: [(path: String, status: FileSystem.Status)] = []
        for file in files {
            let path = FileSystem.absolute(file)
            switch FileSystem.status(path) {
            case .failure(let error): summary.skipped.append((path, error.message))
            case .success(let status) where status.isRegularFile: toRead.append((path, status))
            case .success: summary.skipped.append((path, "not a regular file"))
            }
        }
        let database = try store.openWriter(wait: wait)
        var records: [String: ReleaseRecord] = [:]
        for (path, _) in toRead {
            let key = ReleaseRecord.key(for: path)
            if let found = try database.findRelease(key: key) { records[key] = found.record }
        }
        var indexer = self
        indexer.repeatedLines = try storedRepeatedLines(for: toRead.map(\.path), in: database)
        try indexer.write(toRead, into: database, records: records, summary: &summary, oneTransaction: true)
        try stampUpdate(database)
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    /// Removes the given files' releases in one transaction.
    public func remove(_ files: [String]) throws(PresseError) -> IndexSummary {
        let started = monotonicSeconds()
        var summary = IndexSummary()
        let database = try store.openWriter(wait: wait)
        let writer = BatchedWriter(database, passages: .max, bytes: .max)
        for file in files {
            let path = FileSystem.absolute(file)
            guard try database.findRelease(key: ReleaseRecord.key(for: path)) != nil else {
                summary.notes.append((path, "not in the index"))
                continue
            }
            try writer.forget(path: path)
            summary.removed += 1
        }
        try writer.finish()
        try stampUpdate(database)
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    // MARK: - The writer

    /// Prepares files on every core, a chunk ahead of the writer, and writes them in batches.
    private func write(_ files: [(path: String, status: FileSystem.Status)], into database: XapianDatabase,
                       records: [String: ReleaseRecord], summary: inout IndexSummary,
                       oneTransaction: Bool = false) throws(PresseError) {
        guard !files.isEmpty else { return }
        let chunks = stride(from: 0, to: files.count, by: Self.chunkSize).map {
            Array(files[$0..<min($0 + Self.chunkSize, files.count)])
        }
        let started = monotonicSeconds()
        let writer = oneTransaction ? BatchedWriter(database, passages: .max, bytes: .max) : BatchedWriter(database)
        // The releases read to train the dictionary are written as read then, not read again.
        var sampled = CompressionSample()
        if try database.dictionaryID() == 0 { sampled = compressionSample(for: files) }
        if let dictionary = sampled.dictionary { try writer.useDictionary(dictionary) }
        let reused = sampled.releases
        var done = 0

        var current = prepare(chunks[0], reusing: reused)
        for index in chunks.indices {
            let next = Slot<[ReleaseReader.Outcome]>()
            let group = DispatchGroup()
            if index + 1 < chunks.count {
                let chunk = chunks[index + 1]
                DispatchQueue.global().async(group: group) { next.value = self.prepare(chunk, reusing: reused) }
            }
            defer { group.wait() }  // never leave a preparation running behind a thrown error
            for outcome in current {
                done += 1
                guard case .ready(let release) = outcome else {
                    if case .skipped(let path, let reason) = outcome { summary.skipped.append((path, reason)) }
                    continue
                }
                summary.bytesRead += release.record.size
                let old = records[release.key]
                if let old, old.sameContent(as: release.record) {
                    // Same bytes: only the record changes, unless the release is dated by
                    // the file's modification time, which changed (why it was read again).
                    if release.date?.source == .file { try writer.store(release) } else { try writer.touch(release) }
                    summary.unchanged += 1
                    continue
                }
                try writer.store(release)
                if old != nil { summary.replaced += 1 } else { summary.added += 1 }
                summary.passages += release.passages.count
            }
            onProgress?(IndexProgress(done: done, total: files.count, bytes: summary.bytesRead,
                                      elapsed: monotonicSeconds() - started))
            group.wait()
            if index + 1 < chunks.count { current = next.value ?? [] }
        }
        try writer.finish()
    }

    /// Under this many files, releases are stored without a dictionary of their own: too
    /// little text for one to pay for itself.
    static let dictionaryMinimumFiles = 1_000

    /// A compression dictionary for the stored text of these files' releases (release_data.h),
    /// trained on a fifth of them (at most 4,000: about 2 MB of text) taken evenly across the
    /// list, since a corpus's folders are often one language or one source each; with those
    /// releases as read, by path, for the writer to use instead of reading them again.
    func compressionSample(for files: [(path: String, status: FileSystem.Status)]) -> CompressionSample {
        guard files.count >= Self.dictionaryMinimumFiles else { return CompressionSample() }
        let count = min(4_000, files.count / 5)
        let step = Double(files.count) / Double(count)
        let sample = (0..<count).map { files[Int(Double($0) * step)] }
        let outcomes = prepare(sample)
        let releases = outcomes.compactMap { outcome -> PreparedRelease? in
            if case .ready(let release) = outcome { return release }
            return nil
        }
        return CompressionSample(dictionary: try? XapianDatabase.trainDictionary(releases),
                                 releases: Dictionary(zip(sample.map(\.path), outcomes), uniquingKeysWith: { first, _ in first }))
    }

    /// Reads and splits a chunk of files: on every core, or on one thread with --jobs 1;
    /// a file already read (`reusing`, by path) is not read again.
    func prepare(_ chunk: [(path: String, status: FileSystem.Status)],
                 reusing read: [String: ReleaseReader.Outcome] = [:]) -> [ReleaseReader.Outcome] {
        let splitter = self.splitter
        @Sendable func outcome(_ file: (path: String, status: FileSystem.Status)) -> ReleaseReader.Outcome {
            read[file.path] ?? ReleaseReader.prepare(path: file.path, status: file.status, splitter: splitter,
                                                     repeated: repeatedLines(for: file.path))
        }
        if jobs == 1 { return chunk.map(outcome) }
        let results = SlotArray<ReleaseReader.Outcome>(count: chunk.count)
        DispatchQueue.concurrentPerform(iterations: chunk.count) { index in results[index] = outcome(chunk[index]) }
        return results.values.map { $0 ?? .skipped(path: "", reason: "not prepared") }
    }

    private func stampUpdate(_ database: XapianDatabase) throws(PresseError) {
        try database.stampUpdate(Int64(System.unixTime()))
        try database.commit()
    }

    /// Scratch shards and retired database folders from an earlier, interrupted run. Safe
    /// because the caller holds the writer lock.
    func cleanLeftovers() throws(PresseError) {
        guard let live = store.liveDatabaseName(), case .success(let names) = FileSystem.entries(store.path) else { return }
        for name in names where name.hasPrefix("db-") && name != live {
            FileSystem.removeTree(store.path + "/" + name)
        }
    }
}

/// A build's compression dictionary and the releases it was trained on, as read.
struct CompressionSample: Sendable {
    var dictionary: [UInt8]?
    var releases: [String: ReleaseReader.Outcome] = [:]
}

/// A value handed from one thread to another. Safe without a lock because the writer and
/// the reader are ordered by a DispatchGroup (written before leave(), read after wait()).
final class Slot<Value>: @unchecked Sendable {
    var value: Value?
}

/// Results of DispatchQueue.concurrentPerform: each iteration writes only its own element of
/// a buffer allocated up front, and the buffer is read after concurrentPerform returns, so no
/// two threads ever touch one element.
final class SlotArray<Value>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Value?>
    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }
    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }
    subscript(index: Int) -> Value? {
        get { buffer[index] }
        set { buffer[index] = newValue }
    }
    var values: [Value?] { Array(buffer) }
}
