import Glibc
internal import CXapian

/// Where an index lives and how it is opened. The index folder (Index/ by default) holds a
/// Xapian stub file, XAPIANDB, naming the live database folder (db-1, db-2, ...). Readers and
/// writers open the folder; a full parallel build writes a new database beside the live one
/// and switches the stub with an atomic rename, so no half-merged index is ever opened.
public struct IndexStore: Sendable {
    public let path: String
    /// Several indexes searched as one (issue 17): local index paths and "remote HOST:PORT"
    /// shards; empty for one index. Set by `--index A --index B`, or read from a shard list
    /// (shardSpecs).
    public let shards: [String]
    /// With shards: fail rather than answer without a shard that is down.
    public var requireAllShards = false

    public init(path: String) {
        self.path = FileSystem.absolute(path)
        self.shards = []
    }

    /// Several indexes searched as one.
    public init(shards: [String]) {
        let specs = shards.map { $0.hasPrefix("remote ") ? $0 : FileSystem.absolute($0) }
        self.path = specs.first ?? ""
        self.shards = specs
    }

    /// `--index`, else $PRESSE_INDEX, else ./Index.
    public static func resolve(_ option: String?) -> IndexStore {
        if let option, !option.isEmpty { return IndexStore(path: option) }
        if let env = getenv("PRESSE_INDEX"), env.pointee != 0 { return IndexStore(path: String(cString: env)) }
        return IndexStore(path: "Index")
    }

    var stubPath: String { path + "/XAPIANDB" }

    /// The live database folder's name, from the stub.
    func liveDatabaseName() -> String? {
        guard case .success(let bytes) = FileSystem.read(stubPath) else { return nil }
        // Bytes, not Characters: the stub is a short ASCII file, our own one line ("auto
        // db-2"), or a replica's (Xapian's DatabaseReplica writes two `#` lines first).
        let line = bytes.split(separator: UInt8(ascii: "\n")).first { $0.first != UInt8(ascii: "#") } ?? []
        let parts = line.split(separator: UInt8(ascii: " "))
        return parts.count == 2 ? String(decoding: parts[1], as: UTF8.self) : nil
    }

    /// True when the folder is a replica (issue 17): a read-only copy of another index, kept
    /// in step with it by `presse replicate`. Xapian's DatabaseReplica names its copies
    /// replica_0 and replica_1; a Presse index names its databases db-N.
    public var isReplica: Bool { liveDatabaseName()?.hasPrefix("replica_") ?? false }

    /// Every writer calls this first: a replica is written by its master's changes only (a
    /// release added here would be lost at its next update, or break it).
    func refuseReplica() throws(PresseError) {
        if isReplica {
            throw PresseError(.invalidArgument, "\(path) is a replica, read-only: it is kept in step with its master's index "
                + "by `presse replicate`; write the master's index instead", context: path)
        }
    }

    /// True when the folder holds a database of its own (a plain Xapian folder, no stub).
    private var isPlainDatabase: Bool { FileSystem.exists(path + "/iamglass") }

    /// The shards a shard list names: a file whose lines are `remote HOST:PORT` or a local
    /// index (`auto PATH`, or the path alone; relative to the list's folder), or an index
    /// folder's stub naming several (`auto`, `glass` and `remote` lines, Xapian's stub syntax);
    /// nil when `path` is one index. Blank lines and `#` comments are skipped.
    func shardSpecs() throws(PresseError) -> [String]? {
        if FileSystem.isDirectory(path) {
            // The common case, one index: its stub is one line ("auto db-2"), told from a list
            // on its bytes before any String work (every one-shot search opens an index).
            guard case .success(let stub) = FileSystem.read(stubPath) else { return nil }
            let lines = stub.split(separator: UInt8(ascii: "\n")).filter { line in
                !line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
            }
            if lines.count <= 1 && !(lines.first?.starts(with: "remote".utf8) ?? false) { return nil }
        }
        let list = FileSystem.isDirectory(path) ? stubPath : path
        guard FileSystem.exists(list), !FileSystem.isDirectory(list), !FileSystem.exists(path + "/iamglass"),
              case .success(let bytes) = FileSystem.read(list) else { return nil }
        let folder = list.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        var specs: [String] = []
        var remote = false
        for raw in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let line = raw.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed()
                .map(String.init).joined()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts[0] == "remote", parts.count == 2 {
                specs.append("remote " + parts[1].filter { $0 != " " })
                remote = true
            } else if ["auto", "glass"].contains(parts[0]), parts.count == 2 {
                specs.append(parts[1].hasPrefix("/") ? parts[1] : folder + "/" + parts[1])
            } else if parts.count == 1 && !FileSystem.isDirectory(path) {
                specs.append(parts[0].hasPrefix("/") ? parts[0] : folder + "/" + parts[0])
            } else if FileSystem.isDirectory(path) {
                return nil  // an index folder's stub that is not a list: Xapian says what is wrong
            } else {
                throw PresseError(.notAnIndex, "\(list): not a shard list (line '\(FileSystem.oneLine(line))': "
                    + "give `remote HOST:PORT` or an index path)", context: path)
            }
        }
        // An index folder's own stub names one database: that is one index, not a list.
        if FileSystem.isDirectory(path) && specs.count <= 1 && !remote { return nil }
        guard !specs.isEmpty else { throw PresseError(.notAnIndex, "\(list) names no shards", context: path) }
        return specs
    }

    /// Opens a reader; a clear error when there is no index there.
    func openReader() throws(PresseError) -> XapianDatabase {
        if !shards.isEmpty {
            return try XapianDatabase(shards: shards, requireAll: requireAllShards, context: shards.joined(separator: ", "))
        }
        if let specs = try shardSpecs() {
            return try XapianDatabase(shards: specs, requireAll: requireAllShards, context: path)
        }
        if !FileSystem.exists(path) {
            throw PresseError(.indexNotFound, "no index at \(path)", context: path)
        }
        if FileSystem.isDirectory(path) && !FileSystem.exists(stubPath) && !isPlainDatabase {
            throw PresseError(.indexNotFound, "no index at \(path) (the folder holds no Presse index)", context: path)
        }
        let live = liveDatabaseName()
        do {
            return try XapianDatabase(path: path, mode: .read)
        } catch where live?.hasPrefix("replica_") == true && liveDatabaseName() != live {
            // A replica made a whole new copy live between reading its stub and opening the
            // copy it named, which Xapian then removed: the stub names the new one.
            return try XapianDatabase(path: path, mode: .read)
        }
    }

    /// Opens the writer, creating the index if there is none. With `wait` > 0, a locked index
    /// is retried until that many seconds have passed. When a `presse watch` watches the index
    /// (WatcherClaim), the lock is retried for watcherGrace seconds even without `wait`: the
    /// watcher holds it only while it commits, so both sides take turns instead of failing.
    func openWriter(wait: Double) throws(PresseError) -> XapianDatabase {
        if FileSystem.exists(path) && !FileSystem.isDirectory(path) {
            throw PresseError(.notAnIndex, "\(path) is a file, not an index folder", context: path)
        }
        try refuseReplica()
        keepChangesetsIfAsked()
        if try shardSpecs() != nil {
            throw PresseError(.invalidArgument, "\(path) is a set of shards: write each shard's index, "
                + "or the whole set with `presse index --shards N`", context: path)
        }
        if case .failure(let error) = FileSystem.makeDirectory(path) {
            throw PresseError(.io, "cannot create the index folder: \(error.message)", context: path)
        }
        return try retryingWhileLocked(wait: wait) { () throws(PresseError) in try openOrCreateWriter() }
    }

    /// Runs `open` (a writer's opening) again while the index is locked: for `wait` seconds,
    /// and for watcherGrace seconds when a watcher holds the index.
    func retryingWhileLocked<T>(wait: Double, _ open: () throws(PresseError) -> T) throws(PresseError) -> T {
        let started = monotonicSeconds()
        var deadline = started + max(wait, 0)
        var watcher: Int32?
        while true {
            do {
                return try open()
            } catch let error where error.kind == .indexLocked {
                if watcher == nil, let found = watcherProcess() {
                    watcher = found
                    deadline = max(deadline, started + Self.watcherGrace)
                }
                guard monotonicSeconds() < deadline else {
                    guard let watcher else { throw error }
                    // Named by who holds it: the watcher while it commits, else another writer
                    // (which the watcher waits for too).
                    let holder = watcherIsWriting() ? "`presse watch` (process \(watcher)), committing its changes,"
                        : "another writer, not the `presse watch` that watches it (process \(watcher)),"
                    throw PresseError(.indexLocked, "index \(path) is locked by \(holder) and stayed locked for "
                        + "\(Int(monotonicSeconds() - started)) s", context: path)
                }
                usleep(watcher == nil ? 100_000 : 20_000)
            }
        }
    }

    private func openOrCreateWriter() throws(PresseError) -> XapianDatabase {
        if FileSystem.exists(stubPath) || isPlainDatabase {
            return try XapianDatabase(path: path, mode: .write)
        }
        // A new index: create db-1, then point the stub at it. A crash in between leaves only
        // an orphan db-1, which the next run opens again.
        let database = try XapianDatabase(path: path + "/db-1", mode: .create)
        try database.commit()
        try writeStub(databaseName: "db-1")
        return database
    }

    func writeStub(databaseName: String) throws(PresseError) {
        if case .failure(let error) = FileSystem.writeAtomically(stubPath, contents: "glass \(databaseName)\n") {
            throw PresseError(.io, "cannot update \(stubPath): \(error.message)", context: path)
        }
    }

    /// A fresh name for a database folder beside the live one.
    func nextDatabaseName() -> String {
        var number = 1
        if let live = liveDatabaseName(), live.hasPrefix("db-"), let n = Int(live.dropFirst(3)) { number = n + 1 }
        while FileSystem.exists(path + "/db-\(number)") { number += 1 }
        return "db-\(number)"
    }

    /// Disk use of the whole index folder, in bytes.
    public func sizeOnDisk() -> Int { Self.treeSize(path) }

    private static func treeSize(_ path: String) -> Int {
        guard case .success(let status) = FileSystem.status(path) else { return 0 }
        guard status.isDirectory, case .success(let names) = FileSystem.entries(path) else { return status.size }
        return names.reduce(0) { $0 + treeSize(path + "/" + $1) }
    }
}

func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

extension IndexStore {
    /// If Xapian ever crashes on a damaged table (it trusts its own files), the process ends
    /// with `message` (one line) and `status` instead of a core dump. What to do about it is
    /// the front end's to say.
    public func reportCrashes(as message: String, status: Int32) {
        var bytes = message.hasSuffix("\n") ? message : message + "\n"
        bytes.withUTF8 { cx_install_fatal_signal_message($0.baseAddress, $0.count, status) }
    }

    /// Reports a crash while reading this index (a damaged table that crashes Xapian) with one
    /// line naming what to check and how to rebuild, and exit status `status`. Installed at the
    /// start of every reading process, so it reads no file (one `stat`): `xapian-check` reads the stub itself.
    public func reportCrashesAsDamage(status: Int32) {
        let checked = FileSystem.exists(stubPath) ? stubPath : path
        reportCrashes(as: "presse: reading index \(FileSystem.oneLine(path)) crashed: it is damaged; check it with "
                          + "`xapian-check \(checked)`, or rebuild it with `presse index --rebuild FOLDER...`",
                      status: status)
    }
}

// MARK: - Changesets, for replicas (issue 17)

extension IndexStore {
    /// The index folder's setting file: the number of changesets every writer keeps. A file
    /// beside the database, not Xapian metadata, because a writer must know it before it opens
    /// the database, and because it outlives the database (a rebuild or a compaction switches
    /// to a new one).
    var changesetsSettingPath: String { path + "/changesets" }

    /// How many changesets the index's writers keep (`presse index --changesets N`); nil when
    /// they keep none.
    public func keptChangesets() -> Int? {
        guard case .success(let bytes) = FileSystem.read(changesetsSettingPath) else { return nil }
        // Bytes, as the stub: the file is our own "N\n".
        let digits = bytes.filter { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }
        guard let count = Int(String(decoding: digits, as: UTF8.self)), count > 0 else { return nil }
        return count
    }

    /// Asks every writer of the index to keep its last `count` changesets from its next
    /// commit on, so that a replica is sent what changed rather than a copy of the whole
    /// index; 0 stops it (those kept stay until the index is rebuilt or compacted).
    public func keepChangesets(_ count: Int) throws(PresseError) {
        try refuseReplica()
        if case .failure(let error) = FileSystem.makeDirectory(path) {
            throw PresseError(.io, "cannot create the index folder: \(error.message)", context: path)
        }
        if count == 0 {
            FileSystem.removeTree(changesetsSettingPath)
            return
        }
        if case .failure(let error) = FileSystem.writeAtomically(changesetsSettingPath, contents: "\(count)\n") {
            throw PresseError(.io, "cannot write \(changesetsSettingPath): \(error.message)", context: path)
        }
    }

    /// Xapian writes a changeset at each commit when XAPIAN_MAX_CHANGESETS is set in the
    /// writing process (read when a writer opens and after each commit): every writer opens
    /// through openWriter, which calls this, so `add`, `remove`, `watch`, `serve`'s uploads and
    /// `index` all keep them. The variable is set only when it differs: setenv is not safe
    /// while another thread reads the environment, and a process writes one index, so it is
    /// set once, before a writer's first commit (presse-serve calls this at start-up, before
    /// its threads). Without the setting file the environment is left as it is (a user's own
    /// XAPIAN_MAX_CHANGESETS keeps working).
    public func keepChangesetsIfAsked() {
        guard let count = keptChangesets() else { return }
        let wanted = String(count)
        if let current = getenv("XAPIAN_MAX_CHANGESETS"), String(cString: current) == wanted { return }
        setenv("XAPIAN_MAX_CHANGESETS", wanted, 1)
    }
}
