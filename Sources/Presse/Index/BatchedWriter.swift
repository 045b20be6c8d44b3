/// The one way releases are written: inside a transaction that commits after `passages`
/// passages or `bytes` bytes of release text, so memory stays bounded (Xapian holds a
/// transaction's changes until it commits) and a killed run loses at most one batch. A
/// release's record is part of its document (schema.h), so the two always change together.
/// Used by the one-writer path and by each shard of a parallel build.
final class BatchedWriter {
    let database: XapianDatabase
    private let passageLimit: Int
    private let byteLimit: Int
    private var passages = 0
    private var bytes = 0
    private var open = false

    /// `passages`/`bytes`: Int.max keeps everything in one transaction (`presse add`: all the
    /// named files, or none).
    init(_ database: XapianDatabase, passages: Int = Indexer.batchPassages, bytes: Int = Indexer.batchBytes) {
        self.database = database
        self.passageLimit = passages
        self.byteLimit = bytes
    }

    /// Cancels an unfinished batch: a writer dropped on an error commits nothing of it.
    deinit { if open { try? database.cancelTransaction() } }

    /// Adds or replaces a release (its document, with its record).
    func store(_ release: PreparedRelease) throws(PresseError) {
        try begin()
        try database.addRelease(release)
        passages += release.passages.count
        bytes += release.record.size
        if passages >= passageLimit || bytes >= byteLimit { try commit() }
    }

    /// Compresses the releases stored from now on with this dictionary, kept with them.
    func useDictionary(_ dictionary: [UInt8]) throws(PresseError) {
        try begin()
        try database.useDictionary(dictionary)
    }

    /// Remembers a touched but unchanged file's new record, so the next sync skips it unread.
    func touch(_ release: PreparedRelease) throws(PresseError) {
        try begin()
        try database.touchRelease(key: release.key, record: release.record)
    }

    /// Removes a release (and so its record).
    func forget(path: String) throws(PresseError) {
        try begin()
        try database.deleteRelease(key: ReleaseRecord.key(for: path))
    }

    /// Commits what is pending.
    func finish() throws(PresseError) { if open { try commit() } }

    private func begin() throws(PresseError) {
        guard !open else { return }
        try database.beginTransaction()
        open = true
    }

    private func commit() throws(PresseError) {
        try database.commitTransaction()
        open = false
        passages = 0
        bytes = 0
    }
}
