internal import CXapian
import Dispatch
import Glibc
import Synchronization

/// A replica (issue 17, `presse replicate`): a read-only copy of an index on another machine,
/// kept in step with it by Xapian's replication (replication.cpp): its master
/// (`presse replicate-serve`) sends the changesets the replica lacks, or the whole database
/// when it has none to send (a new replica, a rebuilt or compacted index). The copy is a
/// folder that opens as an index (`presse search --index`, `presse serve --index`) while it
/// is updated: Xapian's stub, XAPIANDB, names the live copy, replica_0 or replica_1, and a
/// whole new copy is made live by switching the stub, as a rebuild switches an index's.
///
/// `@unchecked Sendable`: stop() is called from another thread (a stop signal's) while run()
/// works; `stopped` is behind a Mutex, and the bridge's cx_replica_stop is made for that (it
/// takes the replica's own lock). Nothing else is shared.
public final class Replica: @unchecked Sendable {
    /// The master's address.
    public struct Master: Sendable, CustomStringConvertible {
        public let host: String
        public let port: Int

        /// "HOST:PORT" (an IPv6 address in brackets: "[::1]:7400").
        public init?(_ text: String) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                  (1...65_535).contains(port) else { return nil }
            var host = String(text[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { return nil }
            self.host = host
            self.port = port
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// What one exchange with the master brought.
    public struct Update: Sendable {
        public var changesets = 0
        public var fullCopies = 0
        /// Searches see something new.
        public var changed = false
        public var revision: UInt64 = 0
        public var releases: UInt64 = 0
    }

    public enum Event: Sendable {
        /// The copy changed, or the first exchange found it in step.
        case updated(Update)
        /// The master cannot be reached (said once, until it answers again or fails otherwise).
        case unreachable(String)
        /// An exchange failed after connecting (said once, likewise).
        case failed(String)
        /// An exchange succeeded again after `unreachable` or `failed`.
        case back
    }

    /// After a failure, the next try comes this much later.
    public static let retrySeconds = 2.0
    /// No read from the master waits longer: a master waits up to CX_REPLICATION_WAIT_SECONDS
    /// for a change before it answers "nothing new", so this is comfortably past that.
    static let readSeconds = Double(CX_REPLICATION_WAIT_SECONDS) + 20
    static let connectSeconds = 2.0

    public let store: IndexStore
    public let master: Master
    /// nil: the master is asked to answer when the index changes, so each commit arrives as
    /// soon as it is made. A number of seconds: the master is asked every that many seconds
    /// instead, and answers at once (for a link that drops a quiet connection, or to spare a
    /// master many replicas' changes).
    public let interval: Double?
    private let handle: OpaquePointer
    private let stopped = Mutex(false)
    private let wake = DispatchSemaphore(value: 0)

    /// Opens (or creates) the replica at `store`'s folder: a new folder, an empty one, or a
    /// replica made earlier; anything else is refused, since Xapian would write over it.
    public init(store: IndexStore, master: Master, interval: Double? = nil) throws(PresseError) {
        let path = store.path
        if case .success(let status) = FileSystem.status(path) {
            guard status.isDirectory else {
                throw PresseError(.invalidArgument, "\(path) is a file: a replica is a folder", context: path)
            }
            if !store.isReplica {
                guard case .success(let names) = FileSystem.entries(path), names.isEmpty else {
                    throw PresseError(.invalidArgument, "\(path) is not a replica (it holds an index or other files): "
                        + "replicate into a new folder, or one `presse replicate` made", context: path)
                }
                rmdir(path)  // Xapian's DatabaseReplica makes the folder it starts in
            }
        } else {
            let parent = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
            if !parent.isEmpty && !FileSystem.isDirectory(parent) {
                throw PresseError(.invalidArgument, "cannot make the replica \(path): no folder \(parent)", context: path)
            }
        }
        var opened: OpaquePointer?
        do {
            try bridged(path) { cx_replica_open(path, &opened, $0) }
        } catch let error where error.kind == .indexLocked {
            throw PresseError(.indexLocked, "replica \(path) is already kept in step by another `presse replicate`", context: path)
        }
        guard let opened else { throw PresseError(.other, "could not open the replica \(path)", context: path) }
        // A whole copy cut off (a stop, a lost master) leaves its folder beside the live copy,
        // which Xapian removes only before its next whole copy. This process holds the live
        // copy's lock, so no other `presse replicate` is writing it; readers open the live one.
        if let live = store.liveDatabaseName() {
            let offline = path + "/" + (live == "replica_0" ? "replica_1" : "replica_0")
            if FileSystem.exists(offline) { FileSystem.removeTree(offline) }
        }
        self.handle = opened
        self.store = store
        self.master = master
        self.interval = interval
    }

    deinit { cx_replica_close(handle) }

    /// Keeps the copy in step until stop() (or, with `once`, for one exchange: failures are
    /// then thrown, not retried). A master that cannot be reached is tried again every
    /// retrySeconds; nothing waits longer than readSeconds on it. The first exchange is
    /// answered at once (it says where the copy stands); without an interval the next ones
    /// ask the master to answer when the index changes.
    public func run(once: Bool = false, onEvent: (Event) -> Void) throws(PresseError) {
        // The failure being met, said once until it changes or the master answers again.
        var failure: String?
        var first = true
        while !isStopped {
            let started = monotonicSeconds()
            // After a failure too, answered at once: the master's return is known at once.
            let onChange = !first && failure == nil && interval == nil
            do {
                try bridged(master.description) { error in
                    cx_replica_connect(handle, master.host, Int32(master.port), Self.connectSeconds, onChange ? 1 : 0, error)
                }
            } catch {
                if isStopped { return }
                if once { throw PresseError(.shardUnavailable, "master \(master) is unreachable (\(error.message))", context: store.path) }
                if failure != error.message { onEvent(.unreachable(error.message)) }
                failure = error.message
                pause(Self.retrySeconds)
                continue
            }
            let update: Update
            do {
                update = try receive()
            } catch {
                if isStopped { return }
                if once { throw PresseError(error.kind, "replication from \(master) failed (\(error.message))", context: store.path) }
                if failure != error.message { onEvent(.failed(error.message)) }
                failure = error.message
                pause(Self.retrySeconds)
                continue
            }
            if failure != nil { onEvent(.back) }
            failure = nil
            let brought = update.changed || update.changesets > 0 || update.fullCopies > 0
            if brought || first { onEvent(.updated(update)) }
            first = false
            if once { return }
            if let interval {
                pause(interval - (monotonicSeconds() - started))
            } else if onChange && !brought {
                // A master that answered "nothing new" at once to a request it could hold does
                // not hold requests: not a tight loop.
                pause(1 - (monotonicSeconds() - started))
            }
        }
    }

    /// Ends run() at once, from another thread (a stop signal's): a connection or an exchange
    /// under way is cut, which Xapian's replica survives (a changeset is applied whole or not
    /// at all, a copy is made live only once it is whole).
    public func stop() {
        stopped.withLock { $0 = true }
        cx_replica_stop(handle)
        wake.signal()
    }

    private var isStopped: Bool { stopped.withLock { $0 } }

    private func pause(_ seconds: Double) {
        guard seconds > 0, !isStopped else { return }
        _ = wake.wait(timeout: .now() + seconds)
    }

    private func receive() throws(PresseError) -> Update {
        var result = cx_replica_update()
        do {
            try bridged(master.description) { cx_replica_receive(handle, Self.readSeconds, &result, $0) }
        } catch where error.kind == .indexLocked {
            throw PresseError(.indexLocked, "replica \(store.path) is locked by a writer (\(error.message))", context: store.path)
        }
        var update = Update()
        update.changesets = Int(result.changesets)
        update.fullCopies = Int(result.full_copies)
        update.changed = result.changed != 0
        update.revision = result.revision
        update.releases = result.releases
        return update
    }
}

/// The master's side of replicas (`presse replicate-serve`): the index served to replicas
/// over Xapian's replication protocol (replication.cpp), each connection on a thread of its
/// own. Opening binds the port and checks the index; `run` serves until the process ends.
public final class ReplicationServer {
    private let handle: OpaquePointer
    public let store: IndexStore
    /// The port bound (the one asked for, or a free one for port 0).
    public let port: Int

    public init(store: IndexStore, host: String, port: Int) throws(PresseError) {
        guard FileSystem.exists(store.path) else { throw PresseError(.indexNotFound, "no index at \(store.path)", context: store.path) }
        var opened: OpaquePointer?
        var bound: Int32 = 0
        try bridged(store.path) { error in cx_replication_server_open(store.path, host, Int32(port), &bound, &opened, error) }
        guard let opened else { throw PresseError(.other, "could not serve \(store.path)", context: store.path) }
        self.handle = opened
        self.store = store
        self.port = Int(bound)
    }

    /// Serves replicas until the process ends.
    public func run() throws(PresseError) {
        try bridged(store.path) { cx_replication_server_run(handle, $0) }
    }
}
