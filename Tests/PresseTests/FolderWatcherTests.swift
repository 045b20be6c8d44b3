import Foundation
import Testing
@testable import Presse

/// FolderWatcher through its background API, as a server runs it (`start`, `stop`, `wait`):
/// the CLI's tests (PresseCLITests/WatchTests) cover the behaviour in depth.
struct FolderWatcherTests {
    /// The events a watcher reported, from its thread.
    final class Events: @unchecked Sendable {  // every access under `lock`
        private let lock = NSLock()
        private var list: [FolderWatcher.Event] = []
        func append(_ event: FolderWatcher.Event) { lock.withLock { list.append(event) } }
        var changes: [FolderWatcher.Change] {
            lock.withLock { list.compactMap { if case .changed(let change) = $0 { change } else { nil } } }
        }
        var watching: Bool { lock.withLock { list.contains { if case .watching = $0 { true } else { false } } } }
    }

    private func waitUntil(_ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(30)
        while Date() < end {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    @Test func startedInTheBackgroundThenStopped() throws {
        let folder = TemporaryFolder()
        folder.write("corpus/first.txt", "Zanzibar cluster news\n\nThe zanzibar cluster signed an agreement.")
        let store = IndexStore(path: folder.path + "/index")
        let events = Events()
        let watcher = try FolderWatcher(store: store, folders: [folder.path + "/corpus"], jobs: 1) { events.append($0) }
        let ended = Events()
        watcher.start { failure in if let failure { ended.append(.notice(failure.message)) } else { ended.append(.watching(folders: 0)) } }
        #expect(waitUntil { events.watching })
        #expect(try Searcher(store: store).statistics().releases == 1, "the first sync")

        let second = folder.write("corpus/second.txt", "Quokka programme\n\nThe quokka programme starts in spring.")
        #expect(waitUntil { events.changes.contains { $0.path == second && $0.kind == .added } })
        var searcher = try Searcher(store: store)
        #expect(try searcher.search("quokka").hits.count == 1, "searchable once reported")

        try FileManager.default.removeItem(atPath: second)
        #expect(waitUntil { events.changes.contains { $0.path == second && $0.kind == .removed } })
        searcher = try Searcher(store: store)
        #expect(try searcher.search("quokka").hits.isEmpty)

        watcher.stop()
        watcher.wait()
        #expect(ended.watching, "run() ended without an error after stop()")
        // Stopped, it let go of its claim: another watcher of the index starts.
        let nextEvents = Events()
        let next = try FolderWatcher(store: store, folders: [folder.path + "/corpus"], jobs: 1) { nextEvents.append($0) }
        let nextEnded = Events()
        next.start { failure in nextEnded.append(.notice(failure?.message ?? "stopped")) }
        #expect(waitUntil { nextEvents.watching })
        next.stop()
        next.wait()
    }

    @Test func aMissingFolderIsRefusedAtOnce() {
        let folder = TemporaryFolder()
        #expect(throws: PresseError.self) {
            try FolderWatcher(store: IndexStore(path: folder.path + "/index"), folders: [folder.path + "/nowhere"]) { _ in }
        }
    }

    /// Whoever looks for the watcher (a writer finding the lock taken: watcherProcess() takes
    /// the claim's lock shared for an instant) does not make a starting watcher give up.
    @Test func lookingForTheWatcherDoesNotRefuseOne() throws {
        let folder = TemporaryFolder()
        let store = IndexStore(path: folder.path + "/index")
        _ = try WatcherClaim(store)  // the index folder and the claim's file exist from now on
        final class Flag: @unchecked Sendable {  // every access under `lock`
            private let lock = NSLock()
            private var value = false
            var isSet: Bool { lock.withLock { value } }
            func set() { lock.withLock { value = true } }
        }
        let done = Flag(), lookerEnded = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            while !done.isSet { _ = store.watcherProcess() }
            lookerEnded.signal()
        }
        defer { done.set(); lookerEnded.wait() }
        for _ in 0..<300 {
            #expect(throws: Never.self) { _ = try WatcherClaim(store) }
        }
    }
}
