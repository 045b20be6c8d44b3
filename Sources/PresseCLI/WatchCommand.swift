import ArgumentParser
import Dispatch
import Glibc
import Presse

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Sync folders into the index, then keep it in step as files are added, changed or removed, until Ctrl-C.")

    @OptionGroup var indexOptions: IndexOptions

    @Option(name: .shortAndLong, help: "Parallel workers reading files (default: the number of cores).")
    var jobs: Int = Indexer.defaultJobs

    @Flag(name: .shortAndLong, help: "No line per change: only the syncs' summaries (the first, and the full sync after an overflow), skipped files and notices.")
    var quiet = false

    @Argument(help: "Folders to watch (default: Corpus).")
    var folders: [String] = []

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let quiet = self.quiet
        let watcher = try running { () throws(PresseError) in
            try FolderWatcher(store: indexOptions.chosenStore(), folders: folders.isEmpty ? ["Corpus"] : folders, jobs: jobs) {
                WatchCommand.show($0, quiet: quiet)
            }
        }
        let bar = System.isTerminal(2) && !quiet ? ProgressBar() : nil
        if let bar { watcher.onSyncProgress = { bar.show($0) } }
        StopSignals.install { watcher.stop() }
        do {
            try watcher.run()
        } catch let error where error.kind == .indexLocked {
            // Another watcher's claim (the writer lock itself is waited for): nothing to wait for.
            throw CommandFailure(error.message, .locked)
        } catch {
            throw CommandFailure(error)
        }
        // Stopped by SIGINT or SIGTERM, after the commit under way: exit 0.
    }

    /// One line per event on stderr (FolderWatcher.Event.logLine); the sync's summary on
    /// stdout, as `presse index` prints it.
    static func show(_ event: FolderWatcher.Event, quiet: Bool) {
        switch event {
        case .synced(let summary):
            if System.isTerminal(2) && !quiet { System.writeError("\r\u{1B}[K") }  // the progress bar's line
            _ = report(summary, quiet: quiet)
        case .watching:
            if let line = event.logLine(quiet: quiet) { System.writeError(line + " (Ctrl-C stops)\n") }
        default:
            if let line = event.logLine(quiet: quiet) { System.writeError(line + "\n") }
        }
    }
}

/// SIGINT and SIGTERM ask the watcher to stop after its commit under way; a second one ends
/// the process at once (what was committed stays: the index is never half-written).
enum StopSignals {
    /// The pipe's write end, for the handler. A signal handler may call only async-signal-safe
    /// functions: write(2) is one; a Swift closure such as `stop` is not guaranteed to be (the
    /// runtime may retain, release or allocate), so a thread waiting on the read end calls it.
    nonisolated(unsafe) private static var writeEnd: Int32 = -1

    static func install(_ stop: @escaping @Sendable () -> Void) {
        var ends: [Int32] = [0, 0]
        // Close-on-exec from the start: a pdftotext spawned meanwhile must not inherit them.
        guard System.makePipe(&ends) else { return }
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)  // the handler never blocks; the reader does
        writeEnd = ends[1]
        let readEnd = ends[0]
        DispatchQueue(label: "presse.stop-signals").async {
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
            stop()
        }
        for number in [SIGINT, SIGTERM] {
            signal(number) { number in
                var byte: UInt8 = 1
                _ = write(StopSignals.writeEnd, &byte, 1)
                signal(number, SIG_DFL)  // a second signal stops at once
            }
        }
    }
}
