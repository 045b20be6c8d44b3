internal import CXapian
import Glibc

/// One index served as a shard over Xapian's remote protocol (Xapian's TcpServer, with
/// Presse's query parts registered: shards.cpp). Opening binds the port and checks the
/// index's schema; `run` serves until the process ends, at most `maxConnections` connections
/// at once (one more is closed as soon as it is accepted: its searching side leaves the shard
/// out, named).
public final class ShardServer {
    private let handle: OpaquePointer
    public let store: IndexStore

    /// The connections served at once unless told otherwise (`shard-serve --max-connections`):
    /// each is a process; a searching process holds one per thread while it lives.
    public static let defaultMaxConnections = 128

    public init(store: IndexStore, host: String, port: Int, maxConnections: Int = ShardServer.defaultMaxConnections) throws(PresseError) {
        guard FileSystem.exists(store.path) else { throw PresseError(.indexNotFound, "no index at \(store.path)", context: store.path) }
        var opened: OpaquePointer?
        try bridged(store.path) { error in cx_shard_server_open(store.path, host, Int32(port), UInt32(clamping: maxConnections), &opened, error) }
        guard let opened else { throw PresseError(.other, "could not serve \(store.path)", context: store.path) }
        self.handle = opened
        self.store = store
    }

    /// Serves connections, each in a process of its own, until the process ends.
    public func run() throws(PresseError) {
        try bridged(store.path) { cx_shard_server_run(handle, $0) }
    }
}
