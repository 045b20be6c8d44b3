import Presse

/// What `presse serve` was asked for, and the bounds it keeps to. Every bound is here, so
/// the README and the OpenAPI document can be checked against one place.
public struct ServerSettings: Sendable {
    public var store: IndexStore
    public var host = "127.0.0.1"
    /// 0: any free port (the tests'); the bound one is printed.
    public var port = 8080
    /// Writes (upload, delete) need `--allow-writes` and a bearer token read from a file.
    public var writeToken: String? = nil
    /// Where uploaded releases are kept: a release's identity is its file's absolute path,
    /// so an upload becomes a file of its own before it is indexed.
    public var uploads: String
    /// Search threads, each with its own Xapian reader (SearcherPool).
    public var searchThreads = max(2, System.coreCount)

    /// A query's text, in UTF-8 bytes: a search's work grows with its words.
    public var maxQueryBytes = 1_000
    /// Hits per page and how deep a page may start.
    public var maxLimit = 100
    public var maxOffset = 10_000
    /// An upload's size.
    public var maxUploadBytes = 16 * 1_048_576
    /// A request's whole time (an answer after it is a 503), and an idle connection's.
    public var requestTimeoutSeconds = 15
    public var idleTimeoutSeconds = 60
    /// How long a write waits for another writer (`presse index`) before answering 409.
    public var writerWaitSeconds = 5.0

    public init(store: IndexStore, uploads: String? = nil) {
        self.store = store
        self.uploads = uploads ?? store.path + "-uploads"
    }

    /// True for the addresses only this machine reaches.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
