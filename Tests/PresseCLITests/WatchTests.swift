import Foundation
import XCTest

/// `presse watch`: files copied, edited, deleted or moved while it runs reach the index by
/// themselves; other writers still get their turn; a killed watcher loses nothing committed.
/// Every check polls with a generous deadline (the machine may be loaded): how fast a change is
/// searchable is the benchmark's to measure (`scripts/bench --watch`), not a test's.
final class WatchTests: XCTestCase {
    private var sandbox: Sandbox!
    private var background: [RunningCommand] = []
    /// How long a change may take to show, at most, on a loaded machine.
    private let deadline: TimeInterval = 30

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-watch")
        try sandbox.copySamples(to: "releases", only: Array(PresseCLI.sampleNames.prefix(2)))
    }

    override func tearDown() {
        for command in background where command.isRunning {
            command.kill()
            _ = command.wait(timeout: 10)
        }
        background = []
        sandbox?.remove()
        sandbox = nil
    }

    private var index: String { sandbox.index.path }

    // MARK: - Helpers

    /// Starts `presse watch` on `folders` and waits until it watches (its first sync done).
    private func startWatcher(_ folders: [String] = ["releases"], file: StaticString = #filePath, line: UInt = #line) throws -> RunningCommand {
        let watcher = try sandbox.start(["watch", "--index", index] + folders)
        background.append(watcher)
        XCTAssertTrue(waitUntil { self.stderr(of: watcher).contains("presse: watching ") },
                      "the watcher syncs, then says it watches: \(stderr(of: watcher))", file: file, line: line)
        return watcher
    }

    /// What the running command wrote on stderr so far.
    private func stderr(of command: RunningCommand) -> String {
        (try? String(contentsOf: command.errURL, encoding: .utf8)) ?? ""
    }

    /// Polls `condition` until it holds or `deadline` passes; true when it held.
    private func waitUntil(_ seconds: TimeInterval? = nil, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds ?? deadline)
        while Date() < end {
            if try condition() { return true }
            pause(0.05)
        }
        return try condition()
    }

    /// The paths of the releases `query` finds (absolute).
    private func found(_ query: String) throws -> [String] {
        let result = try sandbox.run(["search", "--index", index, "--json", "--limit", "100", query], timeout: 60)
        guard result.exited(0), let output = result.stdoutLines.first.flatMap({ try? JSONLine.decode(SearchOutput.self, $0) })
        else { return [] }
        return output.hits.map { sandbox.absolute($0.path) }
    }

    private func release(_ word: String, _ extra: String = "") -> String {
        "The \(word) partnership between Osaka and Munich\n\nBoth clusters announced the \(word) agreement today. \(extra)\n"
    }

    /// Stops the watcher with `signal` and expects exit 0.
    private func stop(_ watcher: RunningCommand, _ signal: Int32 = SIGINT, file: StaticString = #filePath, line: UInt = #line) -> CommandResult {
        watcher.kill(signal)
        let result = watcher.wait(timeout: 60)
        XCTAssertTrue(result.exited(0), "SIGINT/SIGTERM stop the watcher with exit 0: \(result)", file: file, line: line)
        assertMessagesArePresse(result, file: file, line: line)
        return result
    }

    // MARK: - Changes reach the index

    func testCopiedFileIsFoundThenEditedThenDeleted() throws {
        let watcher = try startWatcher()
        let release = try sandbox.write("outside/zanzibar.txt", release("qzzanzibar"))
        let copy = sandbox.url("releases/zanzibar.txt").path
        try FileManager.default.copyItem(atPath: release.path, toPath: copy)
        XCTAssertTrue(try waitUntil { try found("qzzanzibar") == [copy] }, "a file copied in is found")

        // Edited: the new words are found, the release is still one release.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: copy))
        handle.seekToEndOfFile()
        handle.write(Data("\nA later paragraph names the qzwombatferry crossing.\n".utf8))
        try handle.close()
        XCTAssertTrue(try waitUntil { try found("qzwombatferry") == [copy] }, "an edited file is replaced")
        XCTAssertEqual(try found("qzzanzibar"), [copy], "replaced, not added twice")

        try FileManager.default.removeItem(atPath: copy)
        XCTAssertTrue(try waitUntil { try found("qzzanzibar").isEmpty }, "a deleted file disappears")
        XCTAssertEqual(try stats(sandbox).releases, 2, "the two releases of the start")

        let result = stop(watcher)
        XCTAssertEqual(result.stdoutLines.count, 1, "the first sync's summary: \(result)")
        assertSummary(result, added: 2, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        let changes = result.stderrLines.filter { $0.contains("zanzibar.txt") }
        XCTAssertEqual(changes.count, 3, "one line per change: \(result)")
        XCTAssertTrue(changes[0].hasPrefix("presse: added releases/zanzibar.txt ("), "\(result)")
        XCTAssertTrue(changes[0].range(of: #"\(\d+ passages?, \d+ ms\)$"#, options: .regularExpression) != nil, "\(result)")
        XCTAssertTrue(changes[1].hasPrefix("presse: replaced releases/zanzibar.txt ("), "\(result)")
        XCTAssertTrue(changes[2].range(of: #"^presse: removed releases/zanzibar.txt \(\d+ ms\)$"#, options: .regularExpression) != nil,
                      "\(result)")
    }

    func testFileMovedOutOrRenamedOver() throws {
        let kept = try sandbox.write("releases/kept.txt", release("qzkeptrelease"))
        let leaving = try sandbox.write("releases/leaving.txt", release("qzleavingrelease"))
        let watcher = try startWatcher()
        XCTAssertEqual(try found("qzleavingrelease"), [leaving.path], "indexed by the first sync")

        try FileManager.default.moveItem(at: leaving, to: sandbox.url("elsewhere.txt"))
        XCTAssertTrue(try waitUntil { try found("qzleavingrelease").isEmpty }, "a file moved out disappears")

        // An editor's save: the new text written to a temporary, renamed over the release.
        try sandbox.write("releases/.kept.txt.swp", release("qzsavedversion"))
        XCTAssertEqual(rename(sandbox.url("releases/.kept.txt.swp").path, kept.path), 0)
        XCTAssertTrue(try waitUntil { try found("qzsavedversion") == [kept.path] }, "a file renamed over a release replaces it")
        XCTAssertEqual(try found("qzkeptrelease"), [], "the old text is gone")
        _ = stop(watcher, SIGTERM)
    }

    func testNewSubfolderWithFilesIsPickedUp() throws {
        let watcher = try startWatcher()
        // Written straight into a new folder: the first files may come before its watch does.
        var written: [String] = []
        for number in 0..<20 {
            written.append(try sandbox.write("releases/2026/december/new-\(number).txt", release("qznewfolder\(number)k")).path)
        }
        // A folder made elsewhere and moved in whole: its files send no events of their own.
        let moved = try sandbox.write("staging/batch/moved.txt", release("qzmovedfolder"))
        XCTAssertEqual(rename(sandbox.url("staging/batch").path, sandbox.url("releases/batch").path), 0)
        let movedPath = sandbox.url("releases/batch/moved.txt").path
        XCTAssertFalse(FileManager.default.fileExists(atPath: moved.path))

        XCTAssertTrue(try waitUntil { try found("qzmovedfolder") == [movedPath] }, "a folder moved in is indexed")
        for (number, path) in written.enumerated() {
            XCTAssertTrue(try waitUntil { try found("qznewfolder\(number)k") == [path] }, "new folder's file \(number)")
        }
        // A file written in the new folder later is seen too (the folder is watched).
        let late = try sandbox.write("releases/2026/december/late.txt", release("qzlatefile"))
        XCTAssertTrue(try waitUntil { try found("qzlatefile") == [late.path] }, "the new folder is watched")

        // The folder moved out again: its releases go with it.
        XCTAssertEqual(rename(sandbox.url("releases/batch").path, sandbox.url("staging/back").path), 0)
        XCTAssertTrue(try waitUntil { try found("qzmovedfolder").isEmpty }, "a folder moved out disappears")
        XCTAssertEqual(try stats(sandbox).releases, 2 + 20 + 1)
        _ = stop(watcher)
    }

    func testHiddenFilesTemporariesAndHalfWrittenFiles() throws {
        let watcher = try startWatcher()
        for name in [".hidden.txt", "draft.txt~", "#draft.txt#", "download.txt.part", "notes.tmp"] {
            try sandbox.write("releases/" + name, release("qzignoredfile"))
        }
        XCTAssertEqual(mkfifo(sandbox.url("releases/pipe.txt").path, 0o644), 0, "a FIFO is not read (it would block)")

        // A file written in pieces through one open descriptor, created by it: indexed once,
        // whole, when closed (however the pieces fall around the watcher's reads).
        let slow = sandbox.url("releases/slow.txt")
        let descriptor = open(slow.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        var pieces = ["The qzslowfirst report\n\n"]
        pieces += (0..<10).map { "Paragraph \($0) of the report about Osaka and Munich.\n\n" }
        pieces.append("The last paragraph names qzslowlast.\n")
        for piece in pieces {
            XCTAssertEqual(piece.utf8.withContiguousStorageIfAvailable { Glibc.write(descriptor, $0.baseAddress, $0.count) },
                           piece.utf8.count)
        }
        XCTAssertEqual(close(descriptor), 0)
        XCTAssertTrue(try waitUntil { try found("qzslowlast") == [slow.path] }, "the finished file is indexed")

        let after = try sandbox.write("releases/after.txt", release("qzafterfile"))
        XCTAssertTrue(try waitUntil { try found("qzafterfile") == [after.path] })
        XCTAssertEqual(try found("qzignoredfile"), [], "hidden files and temporaries are not releases")
        XCTAssertEqual(try stats(sandbox).releases, 4)

        let result = stop(watcher)
        let slowLines = result.stderrLines.filter { $0.contains("slow.txt") }
        XCTAssertEqual(slowLines.count, 1, "a file being written is indexed once, when finished: \(result)")
        let passages = try XCTUnwrap(inspect(sandbox, [slow.path]).first).passages.count
        XCTAssertTrue(slowLines.first?.hasPrefix("presse: added releases/slow.txt (\(passages) passages,") ?? false, "\(result)")
        XCTAssertFalse(result.stderr.contains("pipe.txt"), "\(result)")
    }

    // MARK: - Bad input

    func testBadFilesAreNamedAndTheWatcherGoesOn() throws {
        let watcher = try startWatcher()
        try sandbox.write("releases/logo.txt", Data((0..<4_000).map { UInt8(truncatingIfNeeded: $0 * 7919) }))
        try sandbox.write("releases/empty.txt", "")
        let good = try sandbox.write("releases/good.txt", release("qzgoodafterbad"))
        XCTAssertTrue(try waitUntil { try found("qzgoodafterbad") == [good.path] }, "the watcher goes on after bad files")
        XCTAssertTrue(waitUntil { self.stderr(of: watcher).contains("presse: skipped releases/empty.txt: empty") },
                      stderr(of: watcher))
        XCTAssertTrue(stderr(of: watcher).contains("presse: skipped releases/logo.txt: binary, not text"), stderr(of: watcher))
        XCTAssertTrue(watcher.isRunning)
        _ = stop(watcher)
    }

    func testUnreadableFolderAndFileAreNamed() throws {
        try XCTSkipIf(getuid() == 0, "root reads every file: an unreadable file cannot be made")
        try sandbox.write("releases/private/secret.txt", release("qzsecret"))
        XCTAssertEqual(chmod(sandbox.url("releases/private").path, 0), 0)
        let watcher = try startWatcher()
        XCTAssertTrue(stderr(of: watcher).contains("releases/private: Permission denied"), stderr(of: watcher))
        let locked = try sandbox.write("releases/locked.txt", release("qzlockedfile"))
        XCTAssertEqual(chmod(locked.path, 0), 0)
        let good = try sandbox.write("releases/good.txt", release("qzgoodafterbad"))
        XCTAssertTrue(try waitUntil { try found("qzgoodafterbad") == [good.path] })
        XCTAssertTrue(waitUntil { self.stderr(of: watcher).contains("presse: skipped releases/locked.txt: Permission denied") },
                      stderr(of: watcher))
        _ = stop(watcher)
    }

    func testMissingFolderAndSecondWatcherAreRefused() throws {
        let missing = try sandbox.run(["watch", "--index", index, "nowhere"], timeout: 60)
        XCTAssertTrue(missing.exited(2), "\(missing)")
        XCTAssertEqual(missing.stderrLines.count, 1, "\(missing)")
        XCTAssertTrue(missing.stderr.hasPrefix("presse: cannot watch \(sandbox.url("nowhere").path): No such file or directory"), "\(missing)")

        let watcher = try startWatcher()
        let second = try sandbox.run(["watch", "--index", index, "releases"], timeout: 60)
        XCTAssertTrue(second.exited(5), "one watcher per index: \(second)")
        XCTAssertEqual(second.stderrLines, ["presse: index \(index) is already watched by another `presse watch` (process \(watcher.pid))"],
                       "\(second)")
        XCTAssertTrue(watcher.isRunning)
        _ = stop(watcher)
    }

    // MARK: - Other writers, kills

    func testOtherWritersGetTheirTurnDuringABurst() throws {
        let corpus = try GeneratedCorpus.make(in: sandbox.url("staging/burst"), count: 1_500)
        let extra = (0..<4).map { sandbox.url("extra/extra-\($0).txt") }
        for (number, url) in extra.enumerated() { try sandbox.write("extra/" + url.lastPathComponent, release("qzextra\(number)k")) }
        let watcher = try startWatcher()

        // 1,500 files arrive at once while other writers add files and sync a folder: each
        // waits for the watcher's commits instead of failing.
        XCTAssertEqual(rename(corpus.folder.path, sandbox.url("releases/burst").path), 0)
        for (number, url) in extra.enumerated() {
            let added = try sandbox.run(["add", "--index", index, url.path], timeout: 120)
            XCTAssertTrue(added.exited(0), "presse add succeeds while the watcher runs: \(added)")
            XCTAssertTrue(try found("qzextra\(number)k") == [url.path])
        }
        let synced = try sandbox.run(["index", "--index", index, "extra"], timeout: 120)
        XCTAssertTrue(synced.exited(0), "presse index succeeds while the watcher runs: \(synced)")

        XCTAssertTrue(try waitUntil(120) { try stats(sandbox).releases == 2 + 1_500 + 4 }, "the burst is indexed")
        let result = stop(watcher)
        let progress = result.stderrLines.filter { $0.contains(" changed files committed") }
        XCTAssertFalse(progress.isEmpty, "a burst reports its progress: \(result)")
        XCTAssertLessThanOrEqual(progress.count, 10, "a burst is a few transactions, not one per file: \(result)")
        XCTAssertTrue(progress.last?.hasPrefix("presse: 1500 of 1500 ") ?? false, "\(result)")
        XCTAssertEqual(result.stderrLines.filter { $0.hasPrefix("presse: added releases/burst/") }.count, 1_500)
    }

    /// True when some process holds a lock on the index's writer lock file (Xapian's
    /// `flintlock`, locked with fcntl while a writer has the database open).
    private func writerLockIsHeld() -> Bool {
        let descriptor = open(sandbox.url("index/db-1/flintlock").path, O_RDWR)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var query = flock()
        query.l_type = Int16(F_WRLCK)
        query.l_whence = Int16(SEEK_SET)
        return fcntl(descriptor, F_GETLK, &query) == 0 && query.l_type != Int16(F_UNLCK)
    }

    func testWatcherAndOtherWritersWaitForEachOther() throws {
        _ = try GeneratedCorpus.make(in: sandbox.url("corpus"), count: 800)
        let watcher = try startWatcher()
        // Another writer, stopped (SIGSTOP) while it holds the writer lock: it holds it for as
        // long as the test needs.
        let writer = try sandbox.start(["index", "--index", index, "--jobs", "1", "corpus"])
        background.append(writer)
        XCTAssertTrue(waitUntil(60) { self.writerLockIsHeld() || !writer.isRunning }, "the writer takes the lock")
        guard writer.stop() else { throw SandboxError("the writer finished before it could be stopped: \(writer.wait(timeout: 10))") }
        XCTAssertTrue(writerLockIsHeld())

        // The watcher's change waits for the lock, and so does `presse add`, because a watcher
        // runs: neither fails.
        let waiting = try sandbox.write("releases/waiting.txt", release("qzwaitingrelease"))
        try sandbox.write("releases/empty.txt", "")
        XCTAssertTrue(waitUntil { self.stderr(of: watcher).contains("presse: index \(self.index) is locked by another writer: changes wait for it") },
                      stderr(of: watcher))
        // A writer that waits in vain (30 s) names who holds the lock: not the watcher.
        let refusedFile = try sandbox.write("extra/refused.txt", release("qzrefusedadd"))
        let refused = try sandbox.run(["add", "--index", index, refusedFile.path], timeout: 120)
        XCTAssertTrue(refused.exited(5), "\(refused)")
        XCTAssertTrue(refused.stderr.hasPrefix("presse: index \(index) is locked by another writer, not the `presse watch` that "
            + "watches it (process \(watcher.pid)), and stayed locked for "), "\(refused)")
        // A writer that comes while it is still held waits, and succeeds once it is let go:
        // it does not fail at once because a watcher runs.
        let extra = try sandbox.write("extra/extra.txt", release("qzpoliteadd"))
        let add = try sandbox.start(["add", "--index", index, extra.path])
        background.append(add)
        XCTAssertTrue(watcher.isRunning)
        writer.resume()

        XCTAssertTrue(writer.wait(timeout: 120).exited(0))
        let added = add.wait(timeout: 120)
        XCTAssertTrue(added.exited(0), "presse add succeeds once the lock is free: \(added)")
        XCTAssertTrue(try waitUntil { try found("qzwaitingrelease") == [waiting.path] }, "the watcher's change is committed")
        XCTAssertEqual(try found("qzpoliteadd"), [extra.path])
        XCTAssertEqual(try stats(sandbox).releases, 2 + 800 + 2)
        let result = stop(watcher)
        // Tried every 250 ms while locked, the files are read once the lock is free: a bad
        // one is named once.
        XCTAssertEqual(result.stderrLines.filter { $0.hasPrefix("presse: skipped releases/empty.txt") }.count, 1, "\(result)")
    }

    func testQueueOverflowFallsBackToAFullSync() throws {
        // The kernel queues at most max_queued_events events per watcher; a stopped watcher
        // reads none, so three events a file (create, modify, close) overflow it surely.
        let limit = Int((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 16_384
        try XCTSkipIf(limit > 60_000, "max_queued_events is \(limit): too many files to write to overflow it")
        let count = limit / 3 + 500
        let watcher = try startWatcher()
        XCTAssertTrue(watcher.stop(), "the watcher is stopped (SIGSTOP) while the files are written")
        for number in 0..<count {
            try Data("Release \(number) about Osaka and Munich, \(GeneratedCorpus.token(number)).\n".utf8)
                .write(to: sandbox.url("releases/flood-\(number).txt"))
        }
        watcher.resume()
        XCTAssertTrue(waitUntil(120) { self.stderr(of: watcher).contains(
            "presse: too many changes at once (inotify's queue overflowed): syncing the folders in full") }, stderr(of: watcher))
        XCTAssertTrue(try waitUntil(120) { try stats(sandbox).releases == 2 + count }, "the full sync finds every file")
        XCTAssertEqual(try found(GeneratedCorpus.token(count - 1)), [sandbox.url("releases/flood-\(count - 1).txt").path])

        // And it goes on watching.
        let after = try sandbox.write("releases/after.txt", release("qzafteroverflow"))
        XCTAssertTrue(try waitUntil { try found("qzafteroverflow") == [after.path] })
        let result = stop(watcher)
        XCTAssertEqual(result.stdoutLines.count, 2, "the first sync's summary, then the full sync's: \(result)")
        assertSummary(result, added: count, replaced: 0, removed: 0, unchanged: 2, skipped: 0)
    }

    func testKilledWatcherLosesNothingAndTheNextStartSyncs() throws {
        var watcher = try startWatcher()
        var copies: [String] = []
        for number in 0..<10 {
            copies.append(try sandbox.write("releases/kept-\(number).txt", release("qzkept\(number)k")).path)
        }
        XCTAssertTrue(try waitUntil { try stats(sandbox).releases == 12 })
        watcher.kill(SIGKILL)
        XCTAssertTrue(watcher.wait(timeout: 60).signaled)

        // Nothing committed is lost; what changes while no watcher runs is found at its start.
        for (number, path) in copies.enumerated() { XCTAssertEqual(try found("qzkept\(number)k"), [path]) }
        let missed = try sandbox.write("releases/missed.txt", release("qzmissed"))
        try FileManager.default.removeItem(atPath: copies[0])
        watcher = try startWatcher()
        XCTAssertEqual(try found("qzmissed"), [missed.path], "the next start syncs what was missed")
        XCTAssertEqual(try found("qzkept0k"), [], "and what was deleted")
        let result = stop(watcher)
        assertSummary(result, added: 1, replaced: 0, removed: 1, unchanged: 11, skipped: 0)
    }

    // MARK: - Folders and links, the index's own folder, the filter

    func testDeletedFolderAndFolderLinks() throws {
        let watcher = try startWatcher()
        let inside = try sandbox.write("releases/sub/deep/inside.txt", release("qzdeletedfolder"))
        XCTAssertTrue(try waitUntil { try found("qzdeletedfolder") == [inside.path] })
        try FileManager.default.removeItem(at: sandbox.url("releases/sub"))  // rm -r
        XCTAssertTrue(try waitUntil { try found("qzdeletedfolder").isEmpty }, "a deleted folder's releases are removed")

        // A symbolic link to a folder elsewhere, made inside the tree: followed, as the walk
        // follows it, and watched.
        try sandbox.write("outside/linked/first.txt", release("qzlinkedfirst"))
        XCTAssertEqual(symlink(sandbox.url("outside/linked").path, sandbox.url("releases/linked").path), 0)
        let first = sandbox.url("releases/linked/first.txt").path
        XCTAssertTrue(try waitUntil { try found("qzlinkedfirst") == [first] }, "a folder linked in is indexed")
        try sandbox.write("outside/linked/second.txt", release("qzlinkedsecond"))
        let second = sandbox.url("releases/linked/second.txt").path
        XCTAssertTrue(try waitUntil { try found("qzlinkedsecond") == [second] }, "and watched")
        XCTAssertEqual(unlink(sandbox.url("releases/linked").path), 0)
        XCTAssertTrue(try waitUntil { try found("qzlinkedfirst").isEmpty && found("qzlinkedsecond").isEmpty },
                      "the link deleted, its releases go")
        XCTAssertEqual(try stats(sandbox).releases, 2)
        _ = stop(watcher)
    }

    func testDeletedRootEndsTheWatcher() throws {
        let watcher = try startWatcher()
        try FileManager.default.removeItem(at: sandbox.url("releases"))
        let result = watcher.wait(timeout: 120)
        XCTAssertTrue(result.exited(2), "nothing left to watch: \(result)")
        XCTAssertEqual(result.stderrLines.last, "presse: no folder is watched any more (releases deleted or moved away)", "\(result)")
        assertMessagesArePresse(result)
        XCTAssertEqual(try stats(sandbox).releases, 0, "its releases were removed first")
    }

    func testIndexInsideTheWatchedFolder() throws {
        // `presse watch .` with ./Index: the claim is made before the index exists, so the
        // first sync sees the index folder as a plain folder; the claim is no release.
        let store = sandbox.url("releases/Index").path
        let watcher = try sandbox.start(["watch", "--index", store, "releases"])
        background.append(watcher)
        XCTAssertTrue(waitUntil { self.stderr(of: watcher).contains("presse: watching ") }, stderr(of: watcher))
        let result = stop(watcher)
        assertSummary(result, added: 2, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        XCTAssertFalse(result.stderr.contains("Index/"), "\(result)")
    }

    func testIndexSkipsTemporaries() throws {
        // The filter `watch` uses is `index`'s too.
        for name in ["draft.txt~", "#draft.txt#", "osaka.txt.swp", "~$aka.docx", "download.txt.part", "notes.tmp"] {
            try sandbox.write("releases/" + name, release("qzignoredfile"))
        }
        let result = try sandbox.run(["index", "--index", index, "releases"], timeout: 120)
        XCTAssertTrue(result.exited(0), "\(result)")
        assertSummary(result, added: 2, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        XCTAssertEqual(try found("qzignoredfile"), [], "temporaries are not releases")
    }
}
