import ArgumentParser
import Glibc
import Presse

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Bring the index in step with folders of releases: add new files, replace changed ones, remove vanished ones.")

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var writerOptions: WriterOptions

    @Option(name: .shortAndLong, help: "Parallel workers (default: the number of cores). With 1: one writer, and files read a chunk ahead on one other thread.")
    var jobs: Int = Indexer.defaultJobs

    @Flag(name: .long, help: "Index the folders from scratch into a new database, then switch to it (for an index of an earlier Presse, or a damaged one). The index then holds these folders only.")
    var rebuild = false

    @Option(name: .long, help: ArgumentHelp("Split the releases over N indexes in the index folder (shard-1 ... shard-N) by a hash of their path, searched as one.", valueName: "n"))
    var shards: Int?

    @Option(name: .long, help: ArgumentHelp("Keep the last N changesets, from this run on and for every writer of the index (add, remove, watch, serve), so that replicas (presse replicate) are sent what changed; 0 stops.", valueName: "n"))
    var changesets: Int?

    @Argument(help: "Folders or files to index (default: Corpus).")
    var paths: [String] = []

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let shards {
            // One shard is one index: `presse index` without --shards.
            guard (2...256).contains(shards) else { throw ValidationError("--shards must be between 2 and 256") }
            guard !rebuild else { throw ValidationError("--rebuild goes with one index, not --shards") }
            // Each shard is an index of its own, replicated on its own.
            guard changesets == nil else { throw ValidationError("--changesets goes with one index: set it on each shard (--index DIR/shard-K)") }
        }
        if let changesets, !(0...1_000_000).contains(changesets) { throw ValidationError("--changesets takes a number from 0 to 1000000") }
    }

    func run() throws {
        var indexer = Indexer(store: indexOptions.chosenStore(), jobs: jobs, wait: writerOptions.wait)
        let bar = System.isTerminal(2) && !writerOptions.quiet ? ProgressBar() : nil
        if let bar { indexer.onProgress = { bar.show($0) } }
        let folders = paths.isEmpty ? ["Corpus"] : paths
        let summary = try running { () throws(PresseError) in
            // Stored first, so that this run's own commits keep changesets too.
            if let changesets { try indexer.store.keepChangesets(changesets) }
            if let shards {
                return try ShardSet(path: indexer.store.path, count: shards)
                    .sync(folders, jobs: jobs, wait: writerOptions.wait, onProgress: indexer.onProgress)
            }
            return try rebuild ? indexer.rebuild(folders) : indexer.sync(folders)
        }
        bar?.finish()
        let status = report(summary, quiet: writerOptions.quiet)
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}

/// A one-line progress bar on stderr: files done of total, MB/s, time left.
final class ProgressBar: @unchecked Sendable {
    // Guarded by `lock`: parallel builds report from several threads.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var lastDrawn = 0.0
    private var drawn = false

    init() { pthread_mutex_init(lock, nil) }
    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    func show(_ progress: IndexProgress) {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if progress.merging {
            System.writeError("\r\u{1B}[Kmerging the shards into one index...")
            drawn = true
            return
        }
        guard progress.elapsed - lastDrawn >= 0.1 || progress.done == progress.total else { return }
        lastDrawn = progress.elapsed
        let fraction = progress.total > 0 ? Double(progress.done) / Double(progress.total) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let rate = progress.elapsed > 0 ? Double(progress.bytes) / 1_048_576 / progress.elapsed : 0
        let left = fraction > 0 ? progress.elapsed * (1 - fraction) / fraction : 0
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        System.writeError("\r[\(bar)] \(progress.done)/\(progress.total) files  \(Rendering.decimal(rate, places: 1)) MB/s  \(Int(left.rounded())) s left ")
        drawn = true
    }

    func finish() {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if drawn { System.writeError("\r\u{1B}[K") }
    }
}
