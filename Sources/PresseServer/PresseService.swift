import Glibc
import NIOPosix
import Presse
import Synchronization

/// The library as the server uses it: searches, releases and statistics through a pool of
/// readers (SearcherPool), writes one at a time. Xapian calls block, so they run on a thread
/// pool of their own, never on the event loops that serve connections.
final class PresseService: Sendable {
    let settings: ServerSettings
    let readers: SearcherPool
    private let threads: NIOThreadPool
    /// One write at a time from this server; `presse index` and other writers are kept apart
    /// by the index's own lock (a write waits for it, then answers 409).
    private let writing = Mutex(false)

    init(settings: ServerSettings) {
        self.settings = settings
        self.readers = SearcherPool(store: settings.store, keep: settings.searchThreads)
        self.threads = NIOThreadPool(numberOfThreads: settings.searchThreads)
        threads.start()
    }

    func shutdown() async {
        try? await threads.shutdownGracefully()
    }

    /// `work` on a search thread, its PresseError as a ServerError. Answers 503 once
    /// `requestTimeoutSeconds` have passed: Xapian cannot be interrupted, so the thread
    /// finishes the work and its answer is dropped.
    private func blocking<T: Sendable>(_ work: @escaping @Sendable () throws(PresseError) -> T) async throws(ServerError) -> T {
        let seconds = settings.requestTimeoutSeconds
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, ServerError>, Never>) in
            let answer = FirstAnswer(continuation)
            let timer = Task {
                try await Task.sleep(for: .seconds(seconds))
                answer.give(.failure(ServerError(.serviceUnavailable, "the index took longer than \(seconds) s to answer; try again")))
            }
            threads.submit { state in
                timer.cancel()
                guard state == .active else {
                    answer.give(.failure(ServerError(.serviceUnavailable, "the server is shutting down")))
                    return
                }
                do throws(PresseError) {
                    answer.give(.success(try work()))
                } catch {
                    answer.give(.failure(ServerError(error)))
                }
            }
        }
        return try outcome.get()
    }

    func search(_ request: SearchRequest) async throws(ServerError) -> SearchResults {
        let readers = self.readers
        return try await blocking { () throws(PresseError) in
            try readers.withSearcher { searcher throws(PresseError) in try searcher.search(request.text, options: request.options) }
        }
    }

    func release(id: String) async throws(ServerError) -> StoredReleaseContents {
        let readers = self.readers
        let found = try await blocking { () throws(PresseError) in
            try readers.withSearcher { searcher throws(PresseError) in try searcher.release(id: id) }
        }
        guard let found else {
            throw ServerError(.notFound, "no release with id '\(QueryParameters.shown(id))' in the index (an id is 16 hex digits, as a hit's \"id\")")
        }
        return found
    }

    func statistics() async throws(ServerError) -> IndexStatistics {
        let readers = self.readers
        return try await blocking { () throws(PresseError) in
            try readers.withSearcher { searcher throws(PresseError) in try searcher.statistics() }
        }
    }

    /// Whether the index opens now (`/healthz`).
    func indexOpens() async -> Result<Void, ServerError> {
        do {
            let readers = self.readers
            _ = try await blocking { () throws(PresseError) in try readers.withSearcher { _ throws(PresseError) in true } }
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    // MARK: - Writes

    /// Writes an upload to the uploads folder as `name` and adds (or replaces) it in the
    /// index; its release id and absolute path.
    func add(name: String, bytes: [UInt8]) async throws(ServerError) -> (id: String, path: String, summary: IndexSummary) {
        let settings = self.settings
        let path = FileSystem.absolute(settings.uploads + "/" + name)
        let summary = try await exclusively { () throws(PresseError) -> IndexSummary in
            if case .failure(let error) = FileSystem.makeDirectory(settings.uploads) {
                throw PresseError(.io, "cannot create the uploads folder: \(error.message)", context: settings.uploads)
            }
            // The file is the release's identity, so the upload is written where it stays; if
            // it cannot be indexed (refused, or the index busy), the file is put back as it was,
            // so that the uploads folder and the index keep saying the same.
            let earlier: [UInt8]? = if case .success(let found) = FileSystem.read(path) { found } else { nil }
            func putBack() {
                if let earlier { _ = FileSystem.writeAtomically(path, bytes: earlier) } else { unlink(path) }
            }
            if case .failure(let error) = FileSystem.writeAtomically(path, bytes: bytes) {
                throw PresseError(.io, "cannot keep the upload: \(error.message)", context: path)
            }
            do throws(PresseError) {
                let summary = try Indexer(store: settings.store, jobs: 1, wait: settings.writerWaitSeconds).add([path])
                if !summary.skipped.isEmpty { putBack() }
                return summary
            } catch {
                putBack()
                throw error
            }
        }
        if let skipped = summary.skipped.first {
            throw ServerError(.badRequest, "\(name) cannot be indexed: \(skipped.reason)")
        }
        return (ReleaseRecord.key(for: path), path, summary)
    }

    /// Removes a release from the index; its file too when it is an upload of this server.
    func remove(id: String) async throws(ServerError) -> StoredReleaseContents {
        let release = try await self.release(id: id)
        let settings = self.settings
        let summary = try await exclusively { () throws(PresseError) -> IndexSummary in
            let summary = try Indexer(store: settings.store, jobs: 1, wait: settings.writerWaitSeconds).remove([release.path])
            let uploads = FileSystem.absolute(settings.uploads) + "/"
            if summary.removed > 0 && release.path.hasPrefix(uploads) { unlink(release.path) }
            return summary
        }
        guard summary.removed > 0 else { throw ServerError(.notFound, "release '\(id)' was removed meanwhile") }
        return release
    }

    /// One write at a time: a second one while the first runs gets 409 at once (the client
    /// retries), as a write waiting for `presse index` does after `writerWaitSeconds`.
    private func exclusively<T: Sendable>(_ work: @escaping @Sendable () throws(PresseError) -> T) async throws(ServerError) -> T {
        guard writing.withLock({ busy in
            if busy { return false }
            busy = true
            return true
        }) else {
            throw ServerError(.conflict, "another write to the index is running; try again")
        }
        defer { writing.withLock { $0 = false } }
        return try await blocking(work)
    }
}

/// A continuation resumed by whichever comes first, the work or its deadline; later
/// answers are dropped.
private final class FirstAnswer<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Result<T, ServerError>, Never>?>

    init(_ continuation: CheckedContinuation<Result<T, ServerError>, Never>) {
        self.continuation = Mutex(continuation)
    }

    func give(_ answer: Result<T, ServerError>) {
        let waiting = continuation.withLock { waiting in
            defer { waiting = nil }
            return waiting
        }
        waiting?.resume(returning: answer)
    }
}
