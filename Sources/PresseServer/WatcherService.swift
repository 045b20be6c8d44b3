import Dispatch
import Presse
import ServiceLifecycle

/// `presse serve --watch`: the folder watcher of `presse watch` (FolderWatcher, issue 16) run
/// beside the server for its whole life, so a release saved into a watched folder is on the
/// search page within a second. Its thread is the watcher's own; the server's readers see
/// each commit at their next request (SearcherPool follows commits). On SIGINT or SIGTERM
/// the watcher finishes the commit under way before the server ends.
///
/// A watcher that fails (a damaged index, no folder left to watch) says so on stderr and the
/// server goes on answering searches: the index is still there to read.
public struct WatcherService: Service {
    let watcher: FolderWatcher

    public init(_ watcher: FolderWatcher) { self.watcher = watcher }

    public func run() async throws {
        let watcher = self.watcher
        watcher.start { failure in
            if let failure { System.writeError("presse: watching stopped: \(FileSystem.oneLine(failure.message))\n") }
        }
        // Until the server shuts down (or this task is cancelled).
        try? await gracefulShutdown()
        watcher.stop()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                watcher.wait()
                done.resume()
            }
        }
    }
}
