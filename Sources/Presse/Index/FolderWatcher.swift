import Dispatch
import Glibc

/// Keeps an index in step with folders while files change in them: one sync at start (as
/// `presse index`), then Linux inotify on every folder below, new ones included. A file
/// written, closed after writing, touched or moved in is added or replaced once it has
/// settled; one deleted or moved out is removed. `presse watch` runs it in the foreground; a
/// server runs it beside its searches (`presse serve --watch`).
///
/// The API, for a front end:
///
///     let watcher = try FolderWatcher(store: store, folders: ["Corpus"]) { event in log(event) }
///     try watcher.run()        // blocks: sync, then watch until stop(); throws only when the
///                              // index fails (damaged, unwritable) or cannot be watched at all
/// or, in the background:
///
///     watcher.start { failure in ... }   // run() on a thread of its own; the closure gets
///                                        // run()'s error (nil after a stop) when it ends
///     watcher.stop()                     // from any thread (not from a signal handler):
///     watcher.wait()                     // finishes the commit under way, then run() returns
///
/// `onEvent` is called on the watcher's thread, one event per change committed (`.changed`,
/// after its commit: it is then searchable), per file that cannot be read (`.skipped`), per
/// sync (`.synced`), per transaction of a burst (`.progress`) and for what the user should
/// know (`.notice`: a folder that cannot be watched, a lock waited for, inotify's overflow).
///
/// One writer at a time, politely: the writer lock is taken only to commit, and files are read
/// before it is taken; `presse add`, `index` and the like, finding the lock taken while a
/// watcher runs (WatcherClaim), wait for it instead of failing, and the watcher waits for
/// theirs without blocking its own loop. Changes that settle while the index is locked stay
/// pending until it is free. Pending changes not committed when it stops, or lost when it is
/// killed, are found by the next start's sync: nothing committed is ever lost.
public final class FolderWatcher: @unchecked Sendable {
    // @unchecked Sendable: everything but the stop pipe is touched only by the thread that
    // runs run() (the loop, and the Xapian writer it opens and closes there). stop() only
    // writes a byte into the pipe, which the kernel makes safe from any thread.

    public enum Event: Sendable {
        /// The initial sync, or the full sync after inotify's queue overflowed.
        case synced(IndexSummary)
        /// Watching started, on this many folders.
        case watching(folders: Int)
        case changed(Change)
        /// A file that cannot be indexed (unreadable, binary, empty...): the watcher goes on.
        case skipped(path: String, reason: String)
        /// A burst's transaction committed: `done` of `total` settled files.
        case progress(done: Int, total: Int, seconds: Double)
        case notice(String)
    }

    public struct Change: Sendable {
        public enum Kind: String, Sendable { case added, replaced, removed }
        public var kind: Kind
        public var path: String
        /// The release's passages (0 for a removal).
        public var passages: Int
        /// From the start of its transaction (reading the file) to its commit.
        public var milliseconds: Double
    }

    public struct Settings: Sendable {
        /// A file is taken this long after its last event (a burst of events on one file gives
        /// one update), and a burst of files once no event came for this long.
        public var debounce = 0.2
        /// A file created or written but not yet closed is waited for (IN_CLOSE_WRITE), up to
        /// this long without any event on it (a hard link, a writer that keeps it open).
        public var unclosedQuiet = 2.0
        /// A settled file waits at most this long for a burst around it to end.
        public var maximumDelay = 1.0
        /// Files a transaction takes at most; the writer lock is let go between transactions.
        public var transactionFiles = 1_000
        /// How often a locked index is tried again.
        public var lockRetry = 0.25
        public init() {}
    }

    public let store: IndexStore
    /// The watched folders, absolute.
    public let roots: [String]
    public let jobs: Int
    public let settings: Settings
    /// The initial and overflow syncs' progress (as `presse index` reports it).
    public var onSyncProgress: (@Sendable (IndexProgress) -> Void)?
    private let onEvent: @Sendable (Event) -> Void

    private let inotify: Inotify
    /// A pipe: stop() writes a byte into `stopDescriptor`, the loop's poll sees
    /// `wakeDescriptor` readable. The byte is never read: once stopped, stopped.
    private let wakeDescriptor: Int32
    private let stopDescriptor: Int32
    private let ended = DispatchSemaphore(value: 0)

    /// Watched folders by watch number, and the (device, inode) pairs watched, so that a
    /// folder reached twice through a symbolic link is watched once.
    private var folders: [Int32: (path: String, node: [UInt64])] = [:]
    private var watchedNodes = Set<[UInt64]>()
    /// Files with events not yet acted on, by path.
    private var pending: [String: PendingFile] = [:]
    /// Folders moved out or deleted (a watched root, or a folder moved away, whose files
    /// send no events of their own): their releases are removed once they settle.
    private var goneFolders: [String: Double] = [:]
    private var lastEvent = 0.0
    private var lockedUntil = 0.0
    private var waitingForLock = false
    private var burstDone = 0
    private var stopping = false
    /// Held while run() runs; marks the commits (WatcherClaim.markWriting).
    private var claim: WatcherClaim?

    private struct PendingFile {
        var lastEvent: Double
        /// Created or written, and not closed since: perhaps still being written.
        var unclosed: Bool
    }

    /// Fails when a folder is missing or not a folder, or inotify cannot be started.
    public init(store: IndexStore, folders: [String], jobs: Int = Indexer.defaultJobs, settings: Settings = Settings(),
                onEvent: @escaping @Sendable (Event) -> Void) throws(PresseError) {
        self.store = store
        self.roots = folders.map(FileSystem.absolute)
        self.jobs = max(1, jobs)
        self.settings = settings
        self.onEvent = onEvent
        try store.refuseReplica()
        for root in roots {
            switch FileSystem.status(root) {
            case .failure(let error): throw PresseError(.invalidArgument, "cannot watch \(error.message)", context: root)
            case .success(let status) where !status.isDirectory:
                throw PresseError(.invalidArgument, "cannot watch \(root): not a folder (watch the folder that holds it)", context: root)
            case .success: break
            }
        }
        inotify = try Inotify()
        var ends: [Int32] = [0, 0]
        // Close-on-exec from the start (a pdftotext spawned meanwhile inherits nothing), and
        // non-blocking: a stop() never blocks, even asked twice; the read end is only polled.
        guard System.makePipe(&ends, nonblocking: true) else { throw PresseError(.io, "cannot create a pipe: \(Inotify.errnoText())") }
        wakeDescriptor = ends[0]
        stopDescriptor = ends[1]
    }

    deinit {
        close(wakeDescriptor)
        close(stopDescriptor)
    }

    // MARK: - Start and stop

    /// Asks run() to return once the commit under way (if any) is done. Thread-safe.
    public func stop() {
        var byte: UInt8 = 1
        _ = write(stopDescriptor, &byte, 1)
    }

    /// Runs run() on a thread of its own; `onEnd` gets its error, nil after a stop.
    public func start(onEnd: @escaping @Sendable (PresseError?) -> Void = { _ in }) {
        DispatchQueue(label: "presse.folder-watcher").async {
            var failure: PresseError?
            do throws(PresseError) { try self.run() } catch { failure = error }
            onEnd(failure)
            self.ended.signal()
        }
    }

    /// After start(): returns once the watcher has stopped.
    public func wait() { ended.wait() }

    // MARK: - The loop

    /// Syncs, then watches until stop(). Holds the index's WatcherClaim while it runs: a
    /// second watcher of the same index is refused (.indexLocked).
    public func run() throws(PresseError) {
        claim = try WatcherClaim(store)
        defer { claim = nil }
        // Watches first, then the sync: a file written in between is seen by one or the other.
        for root in roots { watchTree(root, scanning: false) }
        guard !folders.isEmpty else { throw PresseError(.io, "no folder could be watched", context: roots.first) }
        guard try syncAll() else { return }
        onEvent(.watching(folders: folders.count))
        while !stopping {
            let timeout: Int32 = pending.isEmpty && goneFolders.isEmpty ? -1 : 25  // ms: settling is checked 40 times a second
            var descriptors = [pollfd(fd: inotify.descriptor, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)]
            if poll(&descriptors, 2, timeout) < 0 && errno != EINTR {
                throw PresseError(.io, "waiting for changes failed: \(Inotify.errnoText())")
            }
            if descriptors[1].revents != 0 { break }
            if read() { try resync() }
            try commitSettled()
            if folders.isEmpty && pending.isEmpty && goneFolders.isEmpty {
                // Every root was deleted or moved away (their releases are removed by now):
                // running on, watching nothing, would look like watching.
                let shown = roots.map { FileSystem.display($0) }.joined(separator: ", ")
                throw PresseError(.invalidArgument, "no folder is watched any more (\(shown) deleted or moved away)",
                                  context: roots.first)
            }
        }
    }

    /// True when stop() was called (without waiting).
    private func stopRequested() -> Bool {
        if stopping { return true }
        var descriptor = pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)
        stopping = poll(&descriptor, 1, 0) > 0
        return stopping
    }

    /// Waits up to `seconds` for a stop; true when one came.
    private func sleepUnlessStopped(_ seconds: Double) -> Bool {
        var descriptor = pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)
        stopping = poll(&descriptor, 1, Int32(seconds * 1000)) > 0
        return stopping
    }

    // MARK: - Watching folders

    /// Watches a folder and every folder below it (hidden ones and those holding an index
    /// skipped, as the indexer skips them); with `scanning`, the files found are marked
    /// changed: a folder created or moved in may hold files written before its watch was set.
    private func watchTree(_ folder: String, scanning: Bool) {
        if folder == store.path || folder.hasPrefix(store.path + "/") { return }  // the index's own writes
        guard case .success(let status) = FileSystem.status(folder), status.isDirectory else { return }
        let node = [status.device, status.inode]
        guard !watchedNodes.contains(node) else { return }
        let names: [String]
        switch FileSystem.entries(folder) {
        case .failure(let error):
            onEvent(.notice("cannot watch \(FileSystem.display(folder)): \(CorpusWalker.reason(error))"))
            return
        case .success(let list): names = list
        }
        if CorpusWalker.holdsIndex(names) { return }
        switch inotify.watch(folder) {
        case .failure(let error):
            onEvent(.notice("cannot watch \(FileSystem.display(folder)): \(CorpusWalker.reason(error))"))
            return
        case .success(let watch):
            folders[watch] = (folder, node)
            watchedNodes.insert(node)
        }
        let now = monotonicSeconds()
        for name in names where !name.hasPrefix(".") {
            let path = folder + "/" + name
            guard case .success(let child) = FileSystem.status(path) else { continue }
            if child.isDirectory {
                watchTree(path, scanning: scanning)
            } else if scanning && child.isRegularFile && CorpusWalker.isReleaseName(name) {
                pending[path] = PendingFile(lastEvent: now, unclosed: pending[path]?.unclosed ?? false)
                lastEvent = now
            }
        }
    }

    /// Stops watching a folder and every folder below it (moved away or deleted).
    private func unwatchTree(_ folder: String) {
        for (watch, watched) in folders where watched.path == folder || watched.path.hasPrefix(folder + "/") {
            inotify.unwatch(watch)
            folders[watch] = nil
            watchedNodes.remove(watched.node)
        }
    }

    /// Reads the events waiting and marks what they touch; true when the queue overflowed.
    private func read() -> Bool {
        var overflowed = false
        let now = monotonicSeconds()
        for event in inotify.read() {
            if event.isOverflow { overflowed = true; continue }
            guard let folder = folders[event.watch]?.path else { continue }
            if event.has(IN_IGNORED) {  // the kernel dropped the watch: its folder is gone
                watchedNodes.remove(folders[event.watch]!.node)
                folders[event.watch] = nil
                continue
            }
            lastEvent = now
            if event.has(IN_DELETE_SELF) || event.has(IN_MOVE_SELF) {
                // A folder below a root is handled by its parent's event; a root has none.
                if roots.contains(folder) {
                    onEvent(.notice("\(FileSystem.display(folder)) was \(event.has(IN_MOVE_SELF) ? "moved" : "deleted"): its releases are removed, and it is no longer watched"))
                    unwatchTree(folder)
                    goneFolders[folder] = now
                }
                continue
            }
            let path = folder + "/" + event.name
            if event.isDirectory {
                if event.name.hasPrefix(".") { continue }
                // IN_ATTRIB: a folder that could not be read may now be (chmod); one watched
                // already is left as it is.
                if event.has(IN_CREATE) || event.has(IN_MOVED_TO) || event.has(IN_ATTRIB) {
                    watchTree(path, scanning: true)
                } else if event.has(IN_MOVED_FROM) {
                    unwatchTree(path)
                    goneFolders[path] = now  // its files send no events: found by their paths
                } else if event.has(IN_DELETE) {
                    // Its files' deletions came first, unless they were missed (a folder not
                    // yet watched, or unreadable): its releases are looked for, as when moved out.
                    unwatchTree(path)
                    goneFolders[path] = now
                }
                continue
            }
            if folders.values.contains(where: { $0.path == path }) && (event.has(IN_DELETE) || event.has(IN_MOVED_FROM)) {
                // A symbolic link to a folder, watched through it, deleted or moved away.
                unwatchTree(path)
                goneFolders[path] = now
                continue
            }
            if event.has(IN_CREATE) || event.has(IN_MOVED_TO),
               case .success(let status) = FileSystem.status(path), status.isDirectory {
                // A symbolic link to a folder (inotify says IN_ISDIR only of a folder itself):
                // watched and listed, as the walk follows it.
                if !event.name.hasPrefix(".") { watchTree(path, scanning: true) }
                continue
            }
            guard CorpusWalker.isReleaseName(event.name) else { continue }
            var file = pending[path] ?? PendingFile(lastEvent: now, unclosed: false)
            file.lastEvent = now
            if event.has(IN_CREATE) || event.has(IN_MODIFY) { file.unclosed = true }
            if event.has(IN_CLOSE_WRITE) || event.has(IN_MOVED_TO) || event.has(IN_MOVED_FROM) || event.has(IN_DELETE) {
                file.unclosed = false
            }
            pending[path] = file
        }
        return overflowed
    }

    // MARK: - Committing

    /// Initial sync, with the lock waited for; false when stopped while waiting.
    private func syncAll() throws(PresseError) -> Bool {
        var indexer = Indexer(store: store, jobs: jobs)
        indexer.onProgress = onSyncProgress
        var noticed = false
        while true {
            do {
                onEvent(.synced(try indexer.sync(roots)))
                return true
            } catch let error where error.kind == .indexLocked {
                if !noticed { onEvent(.notice("index \(store.path) is locked by another writer: waiting for it")) }
                noticed = true
                if sleepUnlessStopped(settings.lockRetry) { return false }
            }
        }
    }

    /// After inotify's queue overflowed, events were lost: every folder is watched again and
    /// synced in full.
    private func resync() throws(PresseError) {
        onEvent(.notice("too many changes at once (inotify's queue overflowed): syncing the folders in full"))
        for watch in folders.keys { inotify.unwatch(watch) }
        folders = [:]
        watchedNodes = []
        _ = inotify.read()  // what came before the new watches: the sync covers it
        pending = [:]
        goneFolders = [:]
        for root in roots { watchTree(root, scanning: false) }
        _ = try syncAll()
    }

    /// Commits the settled changes, in transactions of at most transactionFiles files, once
    /// their burst is over (or they waited maximumDelay, or there are enough of them).
    private func commitSettled() throws(PresseError) {
        let now = monotonicSeconds()
        guard now >= lockedUntil else { return }
        let settled = pending.filter { _, file in
            now - file.lastEvent >= (file.unclosed ? settings.unclosedQuiet : settings.debounce)
        }
        let settledFolders = goneFolders.filter { now - $0.value >= settings.debounce }.map(\.key)
        guard !settled.isEmpty || !settledFolders.isEmpty else { return }
        let oldest = settled.values.map(\.lastEvent).min() ?? now
        let burstOver = now - lastEvent >= settings.debounce
        guard burstOver || settled.count >= settings.transactionFiles || now - oldest >= settings.maximumDelay else { return }

        let paths = settled.keys.sorted()
        let total = burstDone + pending.count
        var first = 0
        repeat {
            let chunk = Array(paths[first..<min(first + settings.transactionFiles, paths.count)])
            let started = monotonicSeconds()
            guard try commit(chunk, foldersGone: first == 0 ? settledFolders : []) else {
                if !waitingForLock {
                    onEvent(.notice("index \(store.path) is locked by another writer: changes wait for it"))
                }
                waitingForLock = true
                lockedUntil = monotonicSeconds() + settings.lockRetry
                return
            }
            waitingForLock = false
            if first == 0 { for folder in settledFolders { goneFolders[folder] = nil } }
            for path in chunk { pending[path] = nil }
            first += chunk.count
            burstDone += chunk.count
            if total > 1 { onEvent(.progress(done: burstDone, total: total, seconds: monotonicSeconds() - started)) }
        } while first < paths.count && !stopRequested()  // what is left is found by the next sync
        if pending.isEmpty { burstDone = 0 }
    }

    /// One transaction: the files are read first, then the writer lock is taken for the
    /// writes and the commit only. False, with nothing written, when the index is locked.
    /// Events are delivered once the writer is closed: a slow receiver (a blocked stderr)
    /// must not hold the lock; and only after the commit, so a retry reports nothing twice.
    private func commit(_ paths: [String], foldersGone: [String]) throws(PresseError) -> Bool {
        // While another writer holds the lock, the files (PDFs through pdftotext) are not read
        // again at every retry: the lock is tried first. Taken by someone between this look
        // and the writes, they are read again at the next try, as rarely as that race happens.
        guard try writerLockIsFree() else { return false }
        let started = monotonicSeconds()
        var toRead: [(path: String, status: FileSystem.Status)] = []
        var gone: [String] = []
        var skipped: [(path: String, reason: String)] = []
        for path in paths {
            switch FileSystem.status(path) {
            case .success(let status) where status.isRegularFile: toRead.append((path, status))
            case .success(let status) where status.isDirectory:
                watchTree(path, scanning: true)  // a folder (or a link to one) behind a file's event
            case .success: continue  // a device, a FIFO...: not a release
            case .failure(let error):
                if FileSystem.exists(path) { skipped.append((path, CorpusWalker.reason(error))) } else { gone.append(path) }
            }
        }
        var indexer = Indexer(store: store, jobs: jobs)
        // The furniture the last sync learnt for these folders, as `presse add` uses it.
        if !toRead.isEmpty, let reader = try? store.openReader() {
            indexer.repeatedLines = (try? indexer.storedRepeatedLines(for: toRead.map(\.path), in: reader)) ?? [:]
        }
        let outcomes = indexer.prepare(toRead)
        guard let changes = try writeChanges(outcomes, gone: gone, foldersGone: foldersGone, skipped: &skipped) else { return false }

        let milliseconds = (monotonicSeconds() - started) * 1000
        for (path, reason) in skipped { onEvent(.skipped(path: path, reason: reason)) }
        for var change in changes {
            change.milliseconds = milliseconds
            onEvent(.changed(change))
        }
        return true
    }

    /// Whether the writer lock can be taken now (it is let go at once).
    private func writerLockIsFree() throws(PresseError) -> Bool {
        do {
            let probe = try store.openWriter(wait: 0)
            withExtendedLifetime(probe) {}  // closed here, by its deinit
            return true
        } catch let error where error.kind == .indexLocked {
            return false
        }
    }

    /// Writes and commits what was read; the changes, or nil (nothing written) when the index
    /// is locked. The writer is closed when this returns: nothing else holds the database.
    private func writeChanges(_ outcomes: [ReleaseReader.Outcome], gone: [String], foldersGone: [String],
                              skipped: inout [(path: String, reason: String)]) throws(PresseError) -> [Change]? {
        let database: XapianDatabase
        do {
            database = try store.openWriter(wait: 0)
        } catch let error where error.kind == .indexLocked {
            return nil
        }
        claim?.markWriting(true)
        defer { claim?.markWriting(false) }
        var gone = gone
        var changes: [Change] = []
        let writer = BatchedWriter(database)
        var wrote = false
        for outcome in outcomes {
            switch outcome {
            case .skipped(let path, let reason):
                // A file that vanished while it was read is a removal, not a failure.
                guard FileSystem.exists(path) else { gone.append(path); continue }
                // A read error's message starts with the path, which the event names already.
                skipped.append((path, reason.hasPrefix(path + ": ") ? String(reason.dropFirst(path.count + 2)) : reason))
            case .ready(let release):
                let old = try database.findRelease(key: release.key)?.record
                if let old, old.sameContent(as: release.record) {
                    // Same bytes (a touch, a save without change): only the record changes,
                    // as in a sync, unless the release is dated by the file's time.
                    guard old.modified != release.record.modified else { continue }
                    if release.date?.source == .file { try writer.store(release) } else { try writer.touch(release) }
                    wrote = true
                    continue
                }
                try writer.store(release)
                wrote = true
                changes.append(Change(kind: old == nil ? .added : .replaced, path: release.path,
                                      passages: release.passages.count, milliseconds: 0))
            }
        }
        for path in gone {
            guard try database.findRelease(key: ReleaseRecord.key(for: path)) != nil else { continue }
            try writer.forget(path: path)
            wrote = true
            changes.append(Change(kind: .removed, path: path, passages: 0, milliseconds: 0))
        }
        for path in try releases(under: foldersGone, in: database) where FileSystem.status(path).isFailure {
            try writer.forget(path: path)
            wrote = true
            changes.append(Change(kind: .removed, path: path, passages: 0, milliseconds: 0))
        }
        if wrote {
            try database.stampUpdate(Int64(System.unixTime()))  // inside the transaction when one is open
            try writer.finish()
            try database.commit()  // the stamp, when the writer had already committed its last batch
        }
        return changes
    }

    /// The paths of the releases below these folders (records hold no path: each is read
    /// from its document, as a sync does for vanished files).
    private func releases(under folders: [String], in database: XapianDatabase) throws(PresseError) -> [String] {
        guard !folders.isEmpty else { return [] }
        var paths: [String] = []
        for key in try database.records().keys {
            guard let path = try database.findRelease(key: key, withPath: true)?.path else { continue }
            if folders.contains(where: { path.hasPrefix($0 + "/") }) { paths.append(path) }
        }
        return paths.sorted()
    }
}

private extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}

extension FolderWatcher.Event {
    /// The line (without its end) that `presse watch` and `presse serve --watch` print on
    /// stderr for this event; nil for what they do not print: a committed change when `quiet`,
    /// the progress of a small burst, and a sync, which each front end reports its own way.
    public func logLine(quiet: Bool) -> String? {
        switch self {
        case .synced:
            return nil
        case .watching(let count):
            return "presse: watching \(count) folder\(count == 1 ? "" : "s") for changes"
        case .changed(let change):
            if quiet { return nil }
            let path = FileSystem.oneLine(FileSystem.display(change.path))
            let passages = change.kind == .removed ? "" : "\(change.passages) passage\(change.passages == 1 ? "" : "s"), "
            return "presse: \(change.kind.rawValue) \(path) (\(passages)\(Int(change.milliseconds.rounded())) ms)"
        case .skipped(let path, let reason):
            return "presse: skipped \(FileSystem.oneLine(FileSystem.display(path))): \(FileSystem.oneLine(reason))"
        case .progress(let done, let total, let seconds):
            guard total >= 20 else { return nil }
            return "presse: \(done) of \(total) changed files committed (\(Rendering.decimal(seconds, places: 1)) s)"
        case .notice(let text):
            return "presse: \(FileSystem.oneLine(text))"
        }
    }
}
