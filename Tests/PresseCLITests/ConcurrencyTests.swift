import Foundation
import XCTest

/// Two writers, readers during a write, and a writer killed mid-run.
final class ConcurrencyTests: XCTestCase {
    private var sandbox: Sandbox!
    private var background: [RunningCommand] = []

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-concurrency")
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
    private var stub: String { sandbox.index.appendingPathComponent("XAPIANDB").path }

    private func start(_ arguments: [String]) throws -> RunningCommand {
        let command = try sandbox.start(arguments)
        background.append(command)
        return command
    }

    /// Waits until `condition` holds or `command` ends; true when the condition held.
    private func wait(for command: RunningCommand, timeout: TimeInterval = 60, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            if !command.isRunning { return condition() }
            pause(0.01)
        }
        return condition()
    }

    /// A search while a writer works: 0 or 1, never an index error or a crash.
    private func assertSearchAnswers(_ query: String, during what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try sandbox.run(["search", "--index", index, "--json", query], timeout: 60)
        XCTAssertTrue(result.exited(in: [0, 1]), "search during \(what): \(result)", file: file, line: line)
        if result.exited(in: [0, 1]) {
            XCTAssertNotNil(result.stdoutLines.first.flatMap { try? JSONLine.decode(SearchOutput.self, $0) },
                            "search during \(what) printed no valid JSON: \(result)", file: file, line: line)
        }
    }

    /// The index holds every generated release exactly once.
    private func assertEveryReleaseOnce(_ corpus: GeneratedCorpus, extra: Int = 0, file: StaticString = #filePath, line: UInt = #line) throws {
        let statistics = try stats(sandbox, file: file, line: line)
        XCTAssertEqual(statistics.releases, corpus.count + extra, "one release per file", file: file, line: line)

        let (result, all) = try searchJSON(sandbox, ["--all-passages", "--limit", "100000", GeneratedCorpus.commonToken], file: file, line: line)
        XCTAssertTrue(result.exited(0), "\(result)", file: file, line: line)
        let paths = all.hits.map { sandbox.absolute($0.path) }
        XCTAssertEqual(paths.count, corpus.count, "every release's passage with the common word, once", file: file, line: line)
        XCTAssertEqual(Set(paths).count, corpus.count, "no release twice", file: file, line: line)

        var random = SeededRandom(seed: UInt64(corpus.count))
        for _ in 0..<6 {
            let number = Int(random.next() % UInt64(corpus.count))
            let (found, own) = try searchJSON(sandbox, ["--all-passages", "--limit", "100", GeneratedCorpus.token(number)], file: file, line: line)
            XCTAssertTrue(found.exited(0), "release \(number)'s own word: \(found)", file: file, line: line)
            XCTAssertEqual(own.hits.map { sandbox.absolute($0.path) }, [corpus.file(number).path],
                           "release \(number)'s word is in one passage of one release", file: file, line: line)
        }
    }

    // MARK: - Two writers

    /// Starts `presse index` over `folder` and stops it (SIGSTOP) as soon as it has created the
    /// index, and so holds the writer lock: it then holds the lock for as long as the test
    /// needs, whatever the machine's speed. `resume()` lets it finish.
    private func startWriterHoldingTheLock(_ folder: String, file: StaticString = #filePath, line: UInt = #line) throws -> RunningCommand {
        let writer = try start(["index", "--index", index, "--jobs", "1", folder])
        XCTAssertTrue(wait(for: writer) { FileManager.default.fileExists(atPath: stub) }, "the writer creates the index",
                      file: file, line: line)
        let stopped = writer.stop()
        guard stopped else {
            throw SandboxError("the writer finished before it could be stopped: generate more files (\(writer.wait(timeout: 10)))")
        }
        return writer
    }

    /// The one line a writer turned away by the lock prints.
    private var lockedMessage: String {
        "presse: index \(index) is locked by another writer: wait for it to finish, or pass --wait SECONDS"
    }

    func testSecondWriterIsLockedOutThenWaits() throws {
        let corpus = try GeneratedCorpus.make(in: sandbox.url("corpus"), count: 800)
        let extra = try sandbox.write("extra/late.txt", "A late release about the qzlatecomer partnership between Osaka and Munich.\n")
        let writer = try startWriterHoldingTheLock("corpus")

        // While the first writer holds the lock, every other writer is turned away at once, with
        // exit 5 and one line that says why and what to do; readers are answered.
        for arguments in [["add", "--index", index, extra.path], ["remove", "--index", index, extra.path],
                          ["index", "--index", index, "extra"], ["index", "--index", index, "--rebuild", "extra"],
                          ["compact", "--index", index]] {
            let second = try sandbox.run(arguments, timeout: 60)
            XCTAssertTrue(second.exited(5), "a second writer is locked out with exit 5: \(second)")
            XCTAssertEqual(second.stderrLines, [lockedMessage], "\(second)")
            XCTAssertEqual(second.stdout, "", "\(second)")
        }
        try assertSearchAnswers(GeneratedCorpus.commonToken, during: "the first writer's run")
        try assertSearchAnswers("osaka", during: "the first writer's run")

        // A second writer that waits keeps trying while the lock is held, and gets its turn
        // once the first writer is done.
        let waiting = try start(["add", "--index", index, "--wait", "120", extra.path])
        pause(1.5)
        XCTAssertTrue(waiting.isRunning, "--wait 120 is still waiting while the first writer holds the lock")
        XCTAssertTrue(writer.isStopped, "the first writer held the lock throughout")
        writer.resume()
        let first = writer.wait(timeout: 120)
        let waited = waiting.wait(timeout: 120)
        XCTAssertTrue(first.exited(0), "the first writer finished its work: \(first)")
        assertSummary(first, added: corpus.count, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        XCTAssertTrue(waited.exited(0), "--wait 120 succeeds once the first writer is done: \(waited)")
        assertSummary(waited, added: 1, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        try assertEveryReleaseOnce(corpus, extra: 1)
        let (late, lateHits) = try searchJSON(sandbox, ["qzlatecomer"])
        XCTAssertTrue(late.exited(0), "\(late)")
        XCTAssertEqual(lateHits.hits.map { sandbox.absolute($0.path) }, [extra.path])
    }

    func testWaitGivesUpWhenTheWriterOutlastsIt() throws {
        let corpus = try GeneratedCorpus.make(in: sandbox.url("corpus"), count: 800)
        let extra = try sandbox.write("extra/late.txt", "A late release about the qzlatecomer partnership in Osaka.\n")
        let writer = try startWriterHoldingTheLock("corpus")
        let started = Date()
        let second = try sandbox.run(["add", "--index", index, "--wait", "0.5", extra.path], timeout: 30)
        let waited = Date().timeIntervalSince(started)
        XCTAssertTrue(second.exited(5), "a --wait shorter than the first writer's run ends locked out: \(second)")
        XCTAssertEqual(second.stderrLines, [lockedMessage], "\(second)")
        XCTAssertGreaterThanOrEqual(waited, 0.5, "it waited the half second it was given before giving up")
        XCTAssertTrue(writer.isStopped, "the first writer held the lock throughout")
        writer.resume()
        XCTAssertTrue(writer.wait(timeout: 120).exited(0))
        XCTAssertEqual(try stats(sandbox).releases, corpus.count, "the writer that gave up added nothing")
        let (late, _) = try searchJSON(sandbox, ["qzlatecomer"])
        XCTAssertTrue(late.exited(1), "\(late)")
    }

    // MARK: - Readers during many commits

    /// A release replaced over and over while readers search it: every reader sees exactly
    /// one version of it (its passages change in one transaction), never none, never two.
    func testReadersSeeOneVersionOfAReleaseBeingReplaced() throws {
        try sandbox.copySamples(to: "corpus")
        let release = sandbox.url("corpus/moving.txt")
        func version(_ number: Int) -> String {
            var text = "A release that keeps changing\n\nThe atomicprobe paragraph opens every version of this release about Osaka.\n\n"
            for paragraph in 0..<(1 + number % 4) {
                text += "Paragraph \(paragraph) of version \(number) adds more words about the partnership and its cluster.\n\n"
            }
            return text
        }
        try sandbox.write("corpus/moving.txt", version(0))
        XCTAssertTrue(try sandbox.run("index", "--index", index, "corpus").exited(0))

        let answers = Shared<[CommandResult]>([])
        let stop = Shared(false)
        let group = DispatchGroup()
        let sandbox: Sandbox = self.sandbox
        let index = self.index
        DispatchQueue.global().async(group: group) {
            while !stop.read({ $0 }) {
                guard let result = try? sandbox.run(["search", "--index", index, "--json", "--all-passages", "atomicprobe"], timeout: 60)
                else { continue }
                answers.update { $0.append(result) }
            }
        }
        var replaced = 0
        for number in 1...60 {
            try sandbox.write("corpus/moving.txt", version(number))
            let result = try sandbox.run("add", "--index", index, release.path)
            XCTAssertTrue(result.exited(0), "\(result)")
            if result.exited(0) { replaced += 1 }
        }
        stop.update { $0 = true }
        group.wait()
        let results = answers.read { $0 }

        XCTAssertEqual(replaced, 60)
        XCTAssertGreaterThan(results.count, 5, "readers ran while the release was replaced")
        for answer in results {
            XCTAssertTrue(answer.exited(0), "the release is always there: \(answer)")
            guard answer.exited(0), let output = try? JSONLine.decode(SearchOutput.self, answer.stdout) else { continue }
            XCTAssertEqual(output.hits.count, 1, "one version of the release at a time: \(output.hits.map(\.passage))")
        }
        XCTAssertEqual(try stats(sandbox).releases, 6)
    }

    // MARK: - A writer killed mid-run

    private func killMidRun(jobs: Int, count: Int) throws {
        let corpus = try GeneratedCorpus.make(in: sandbox.url("corpus"), count: count)
        let writer = try start(["index", "--index", index, "--jobs", String(jobs), "corpus"])
        XCTAssertTrue(wait(for: writer) { FileManager.default.fileExists(atPath: stub) }, "the writer creates the index")
        pause(0.7)
        XCTAssertTrue(writer.isRunning, "the writer finished before it could be killed: generate more files")
        writer.kill(SIGKILL)
        let killed = writer.wait(timeout: 30)
        XCTAssertTrue(killed.signaled && killed.status == SIGKILL, "\(killed)")

        // The index is readable after the kill.
        try assertSearchAnswers(GeneratedCorpus.commonToken, during: "the index a killed writer left")
        let afterKill = try stats(sandbox)
        XCTAssertLessThanOrEqual(afterKill.releases, count)

        // A new run completes the work, with searches going on beside it.
        let rerun = try start(["index", "--index", index, "--jobs", String(jobs), "corpus"])
        var searches = 0
        while rerun.isRunning && searches < 5_000 {
            try assertSearchAnswers(searches % 2 == 0 ? GeneratedCorpus.commonToken : "osaka", during: "the re-run")
            searches += 1
            pause(0.05)
        }
        let done = rerun.wait(timeout: 240)
        XCTAssertTrue(done.exited(0), "the re-run completes: \(done)")
        let counts = summaryCounts(done)
        XCTAssertEqual((counts["added"] ?? 0) + (counts["unchanged"] ?? 0), count, "every file accounted for: \(done)")
        XCTAssertEqual(counts["replaced"], 0, "\(done)")
        XCTAssertEqual(counts["removed"], 0, "\(done)")
        XCTAssertEqual(counts["skipped"], 0, "\(done)")
        try assertEveryReleaseOnce(corpus)

        // And a third run finds nothing left to do.
        let again = try sandbox.run(["index", "--index", index, "--jobs", String(jobs), "corpus"], timeout: 120)
        XCTAssertTrue(again.exited(0), "\(again)")
        assertSummary(again, added: 0, replaced: 0, removed: 0, unchanged: count, skipped: 0)
    }

    /// Killed while the shards are merged into the new database (or just after the switch):
    /// readers see all of the releases or none, and a re-run finishes the build.
    func testKilledDuringShardMerge() throws {
        let count = 2_000
        let corpus = try GeneratedCorpus.make(in: sandbox.url("corpus"), count: count)
        let writer = try start(["index", "--index", index, "--jobs", "2", "corpus"])
        let merged = sandbox.index.appendingPathComponent("db-2").path
        let seen = wait(for: writer, timeout: 240) { FileManager.default.fileExists(atPath: merged) }
        writer.kill(SIGKILL)
        let killed = writer.wait(timeout: 30)
        XCTAssertTrue(seen, "the merged database never appeared while the build ran: \(killed)")
        XCTAssertTrue(killed.signaled, "the build was still running when the merge began: \(killed)")

        try assertSearchAnswers(GeneratedCorpus.commonToken, during: "the index a build killed in its merge left")
        let afterKill = try stats(sandbox)
        XCTAssertTrue(afterKill.releases == 0 || afterKill.releases == count,
                      "readers see the whole build or nothing of it, not \(afterKill.releases) releases")

        let rerun = try sandbox.run(["index", "--index", index, "--jobs", "2", "corpus"], timeout: 240)
        XCTAssertTrue(rerun.exited(0), "the re-run completes: \(rerun)")
        let counts = summaryCounts(rerun)
        XCTAssertEqual((counts["added"] ?? 0) + (counts["unchanged"] ?? 0), count, "every file accounted for: \(rerun)")
        try assertEveryReleaseOnce(corpus)

        // Nothing of the interrupted build is left behind.
        let entries = try FileManager.default.contentsOfDirectory(atPath: index)
        XCTAssertFalse(entries.contains { $0.hasPrefix(".build") }, "scratch shards removed: \(entries)")
        XCTAssertEqual(entries.filter { $0.hasPrefix("db-") }.count, 1, "one database folder: \(entries)")
    }

    /// `add` writes all its files in one transaction: killed half-way, it leaves none of them.
    func testKilledAddLeavesAllOrNothing() throws {
        try sandbox.copySamples(to: "samples")
        XCTAssertTrue(try sandbox.run("index", "--index", index, "samples").exited(0))
        // 3,000 files, so that `add` is still writing after a second (600 no longer were).
        let corpus = try GeneratedCorpus.make(in: sandbox.url("corpus"), count: 3_000)
        let adder = try start(["add", "--index", index] + (0..<corpus.count).map { corpus.file($0).path })
        pause(1.0)
        let wasRunning = adder.isRunning
        adder.kill(SIGKILL)
        let killed = adder.wait(timeout: 30)
        XCTAssertTrue(wasRunning && killed.signaled, "add finished before it could be killed: generate more files (\(killed))")
        let releases = try stats(sandbox).releases
        XCTAssertTrue(releases == 5 || releases == 5 + corpus.count, "all of the files or none, not \(releases - 5)")
        let again = try sandbox.run(["add", "--index", index] + (0..<corpus.count).map { corpus.file($0).path }, timeout: 240)
        XCTAssertTrue(again.exited(0), "\(again)")
        try assertEveryReleaseOnce(corpus, extra: 5)
    }

    /// 4,000 files: a debug build reads a file ~20 times faster since FileSystem.read stopped
    /// growing its array at every file's end, and 800 were indexed before the kill came.
    func testKilledSerialWriter() throws {
        try killMidRun(jobs: 1, count: 4_000)
    }

    /// `--jobs 2` on an empty index with at least 2,000 files: the parallel shard build.
    func testKilledParallelShardBuild() throws {
        try killMidRun(jobs: 2, count: 2_000)
    }
}
