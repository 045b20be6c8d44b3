#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Replicas (issue 17), through the command line: `presse replicate-serve` on the master's
/// index, `presse replicate` keeping a copy in step on a free loopback port. A search on the
/// copy must see each add, replace and remove within a second of the master's commit (the
/// one thing timed here: it is what a replica promises), a rebuild as a whole new copy;
/// `presse serve` on the copy answers while the master indexes; writers are refused on it; a
/// master that is down is named and tried again, never waited on.
final class ReplicaTests: XCTestCase {
    private var sandbox: Sandbox!
    private var processes: [RunningCommand] = []

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-replica")
    }

    override func tearDown() {
        for process in processes { process.kill() }
        for process in processes { _ = process.wait() }
        processes = []
        sandbox?.remove()
        sandbox = nil
    }

    /// The must-show: a replica follows the master through add, replace and remove, each seen
    /// by a search on it within 1 s of the master's commit, and through a rebuild.
    func testReplicaFollowsAddReplaceAndRemoveWithinASecond() throws {
        try sandbox.copySamples(to: "corpus")
        let built = try sandbox.run(["index", "--quiet", "--changesets", "100", "--index", "master", "corpus"])
        XCTAssertTrue(built.exited(0), "\(built)")
        XCTAssertEqual(try String(contentsOf: sandbox.url("master/changesets"), encoding: .utf8), "100\n")
        let (server, port) = try serveMaster("master")
        XCTAssertFalse(errorText(server).contains("keeps no changesets"), "the index keeps them")
        let replica = try startReplica(port: port)
        try waitForLine(replica, containing: "copied 127.0.0.1:\(port) whole: revision")
        XCTAssertEqual(try stats(sandbox, index: sandbox.url("replica")).releases, 5)
        XCTAssertEqual(try hits("osaka", in: "replica"), try hits("osaka", in: "master"), "the copy answers as the master")

        // Add: a new release, committed by `presse add` (its exit is after its commit).
        let release = try sandbox.write("corpus/zebrafish.txt", "Zebrafish laboratory opens in Lyon\n\nThe zebrafish platform will study regeneration.\n")
        let added = try sandbox.run(["add", "--index", "master", release.path])
        XCTAssertTrue(added.exited(0), "\(added)")
        try assertSeenWithinASecond("the added release") { try self.hits("zebrafish", in: "replica") == ["corpus/zebrafish.txt"] }

        // Replace: the file changed and added again.
        let handle = try FileHandle(forWritingTo: release)
        handle.seekToEndOfFile()
        handle.write(Data("Quokkas will be studied there too.\n".utf8))
        try handle.close()
        let replaced = try sandbox.run(["add", "--index", "master", release.path])
        XCTAssertTrue(replaced.exited(0), "\(replaced)")
        XCTAssertTrue(replaced.stdout.contains("1 replaced"), "\(replaced)")
        try assertSeenWithinASecond("the replaced release") { try self.hits("quokkas", in: "replica") == ["corpus/zebrafish.txt"] }

        // Remove.
        let removed = try sandbox.run(["remove", "--index", "master", release.path])
        XCTAssertTrue(removed.exited(0), "\(removed)")
        try assertSeenWithinASecond("the removal") { try self.hits("zebrafish", in: "replica").isEmpty }
        XCTAssertEqual(try stats(sandbox, index: sandbox.url("replica")).releases, 5)

        // Each change came as changesets (the master keeps them), not as another whole copy:
        // a replica woken by a commit waits for its changeset to be in place.
        XCTAssertEqual(errorText(replica).components(separatedBy: "whole").count, 2, errorText(replica))
        XCTAssertTrue(errorText(replica).contains("changesets applied: revision"), errorText(replica))

        // A rebuild switches the master to a new database: the replica copies it whole and
        // switches its own stub (no second-long promise for a whole copy).
        let stubBefore = try String(contentsOf: sandbox.url("replica/XAPIANDB"), encoding: .utf8)
        try sandbox.write("corpus/axolotl.txt", "Axolotl genome decoded\n\nResearchers decoded the axolotl genome.\n")
        let rebuilt = try sandbox.run(["index", "--quiet", "--rebuild", "--index", "master", "corpus"])
        XCTAssertTrue(rebuilt.exited(0), "\(rebuilt)")
        XCTAssertTrue(poll(seconds: 30) { (try? self.hits("axolotl", in: "replica")) == ["corpus/axolotl.txt"] }, "the rebuilt index reaches the replica")
        XCTAssertNotEqual(try String(contentsOf: sandbox.url("replica/XAPIANDB"), encoding: .utf8), stubBefore, "a whole new copy, made live by the stub")
        XCTAssertEqual(try stats(sandbox, index: sandbox.url("replica")).releases, 7)
        // The next change after the rebuild is a changeset again: the setting outlives the database.
        try sandbox.write("corpus/okapi.txt", "Okapi calf born\n\nAn okapi calf was born at the zoo.\n")
        XCTAssertTrue(try sandbox.run(["add", "--index", "master", sandbox.url("corpus/okapi.txt").path]).exited(0))
        try assertSeenWithinASecond("a release added after the rebuild") { try self.hits("okapi", in: "replica") == ["corpus/okapi.txt"] }
        try waitForLine(replica, containing: ", 8 releases")
        XCTAssertEqual(errorText(replica).components(separatedBy: "whole").count, 3, errorText(replica))

        // SIGTERM stops both at once, with status 0.
        replica.kill(SIGTERM)
        let stopped = replica.wait(timeout: 5)
        XCTAssertTrue(stopped.exited(0), "\(stopped)")
        assertMessagesArePresse(stopped)
        server.kill(SIGTERM)
        XCTAssertTrue(server.wait(timeout: 5).exited(0))
    }

    /// `presse serve` on a replica answers every request while the master indexes a batch
    /// (changesets applied under its readers) and then rebuilds (a whole copy, a stub switch).
    func testServeOnAReplicaAnswersWhileTheMasterIndexes() throws {
        try sandbox.copySamples(to: "corpus")
        XCTAssertTrue(try sandbox.run(["index", "--quiet", "--changesets", "100", "--index", "master", "corpus"]).exited(0))
        let (_, port) = try serveMaster("master")
        let replica = try startReplica(port: port)
        try waitForLine(replica, containing: "copied 127.0.0.1:\(port) whole")
        let server = try RunningServer(sandbox, ["--index", sandbox.url("replica").path])
        defer { _ = server.stop(SIGKILL) }
        let corpus = try GeneratedCorpus.make(in: sandbox.url("generated"), count: 600)

        let load = SteadyRequests(server, path: "/api/search?q=osaka+" + GeneratedCorpus.commonToken + "&limit=3")
        let sync = try sandbox.run(["index", "--quiet", "--index", "master", "corpus", corpus.folder.path])
        XCTAssertTrue(sync.exited(0), "\(sync)")
        let total = { () -> Int? in
            (try? server.get("/api/search?q=\(GeneratedCorpus.commonToken)&facets=true&limit=0"))?.object?["total"] as? Int
        }
        XCTAssertTrue(poll(seconds: 30) { total() == 600 }, "the batch reaches the served replica")
        let stubBefore = try String(contentsOf: sandbox.url("replica/XAPIANDB"), encoding: .utf8)
        let rebuild = try sandbox.run(["index", "--quiet", "--rebuild", "--index", "master", "corpus", corpus.folder.path])
        XCTAssertTrue(rebuild.exited(0), "\(rebuild)")
        let token = GeneratedCorpus.token(17)
        XCTAssertTrue(poll(seconds: 30) {
            let answer = try? server.get("/api/search?q=\(token)")
            let stub = try? String(contentsOf: self.sandbox.url("replica/XAPIANDB"), encoding: .utf8)
            return answer?.status == 200 && (answer?.object?["total"] as? Int) == 1 && stub != stubBefore
        }, "the rebuilt index is served from the replica's new copy")
        let asked = load.finish()
        XCTAssertGreaterThan(asked.requests, 10)
        XCTAssertEqual(asked.failures, [], "every request answered 200 while the master indexed")
    }

    /// Every writer is refused on a replica with one line and a non-zero status; a second
    /// `presse replicate` on it too; and a replica is never made over an index.
    func testWritersAreRefusedOnAReplica() throws {
        try sandbox.copySamples(to: "corpus")
        XCTAssertTrue(try sandbox.run(["index", "--quiet", "--index", "master", "corpus"]).exited(0))
        let (server, port) = try serveMaster("master")
        XCTAssertTrue(errorText(server).contains("presse: warning: index master keeps no changesets"), errorText(server))
        let once = try sandbox.run(["replicate", "--from", "127.0.0.1:\(port)", "--index", "replica", "--once"])
        XCTAssertTrue(once.exited(0), "\(once)")
        XCTAssertEqual(once.stderrLines.count, 1, "\(once)")
        XCTAssertTrue(once.stderr.hasPrefix("presse: copied 127.0.0.1:\(port) whole: revision "), "\(once)")
        XCTAssertTrue(once.stderr.hasSuffix(", 5 releases\n"), "\(once)")
        let file = sandbox.url("corpus/\(PresseCLI.sampleNames[0])").path
        let writers: [[String]] = [
            ["add", file], ["remove", file], ["index", "corpus"], ["index", "--rebuild", "corpus"], ["index", "--shards", "2", "corpus"],
            ["index", "--changesets", "10", "corpus"], ["compact"], ["synonyms", "add", "biom", "munich biotech"], ["watch", "corpus"],
        ]
        for writer in writers {
            let result = try sandbox.run(writer + ["--index", "replica"], timeout: 30)
            XCTAssertTrue(result.exited(2), "\(result)")
            XCTAssertEqual(result.stderrLines.count, 1, "\(result)")
            XCTAssertTrue(result.stderr.contains("replica is a replica, read-only: it is kept in step with its master's index by `presse replicate`"), "\(result)")
        }
        try sandbox.write("token", "a-token-of-at-least-16-characters\n")
        for serving in [["--allow-writes", "--token-file", "token"], ["--watch", "corpus"]] {
            let result = try sandbox.run(["serve", "--port", "0", "--index", "replica"] + serving, timeout: 30)
            XCTAssertTrue(result.exited(2), "\(result)")
            XCTAssertTrue(result.stderr.contains("is a replica, read-only: serve it without --allow-writes and --watch"), "\(result)")
        }
        // Nothing was written: the copy is still the master's.
        XCTAssertEqual(try stats(sandbox, index: sandbox.url("replica")).releases, 5)
        XCTAssertEqual(try hits("osaka", in: "replica"), try hits("osaka", in: "master"))

        // One `presse replicate` per replica.
        let running = try startReplica(port: port)
        try waitForLine(running, containing: "in step with 127.0.0.1:\(port)")
        let second = try sandbox.run(["replicate", "--from", "127.0.0.1:\(port)", "--index", "replica"], timeout: 30)
        XCTAssertTrue(second.exited(5), "\(second)")
        XCTAssertEqual(second.stderrLines, ["presse: replica \(sandbox.url("replica").path) is already kept in step by another `presse replicate`"])
        // A folder holding anything else (here, the master's index) is never replicated into.
        let overIndex = try sandbox.run(["replicate", "--from", "127.0.0.1:\(port)", "--index", "master", "--once"], timeout: 30)
        XCTAssertTrue(overIndex.exited(2), "\(overIndex)")
        XCTAssertTrue(overIndex.stderr.contains("master is not a replica (it holds an index or other files)"), "\(overIndex)")
        // A shard's server (Xapian's remote protocol) is not taken for a master that has
        // nothing new: it is named as what it is not.
        let shardPort = try freePort()
        let shard = try sandbox.start(["shard-serve", "--index", "master", "--port", "\(shardPort)"])
        processes.append(shard)
        XCTAssertTrue(poll(seconds: 30) { ((try? String(contentsOf: shard.outURL, encoding: .utf8)) ?? "").contains("serving") })
        let wrong = try sandbox.run(["replicate", "--from", "127.0.0.1:\(shardPort)", "--index", "other", "--once"], timeout: 30)
        XCTAssertTrue(wrong.exited(3), "\(wrong)")
        XCTAssertEqual(wrong.stderrLines, ["presse: replication from 127.0.0.1:\(shardPort) failed (it does not answer as a replication "
            + "master: a shard server, or another service?)"])
    }

    /// A master that is down: `--once` fails at once with its address; a running replica says
    /// so once, tries again, takes the master back when it answers, and stops at once on
    /// SIGINT however the master behaves.
    func testAnUnreachableMasterIsNamedAndTriedAgain() throws {
        let port = try freePort()
        let once = try sandbox.run(["replicate", "--from", "127.0.0.1:\(port)", "--index", "replica", "--once"], timeout: 30)
        XCTAssertTrue(once.exited(3), "\(once)")
        XCTAssertEqual(once.stderrLines, ["presse: master 127.0.0.1:\(port) is unreachable (Connection refused)"])

        let replica = try startReplica(port: port)
        try waitForLine(replica, containing: "presse: master 127.0.0.1:\(port) is unreachable (Connection refused): trying again every 2 s")
        // The master comes up (without changesets: whole copies, which work as well).
        try sandbox.copySamples(to: "corpus")
        XCTAssertTrue(try sandbox.run(["index", "--quiet", "--index", "master", "corpus"]).exited(0))
        var (server, _) = try serveMaster("master", port: port)
        try waitForLine(replica, containing: "presse: master 127.0.0.1:\(port) answers again")
        try waitForLine(replica, containing: "copied 127.0.0.1:\(port) whole: revision")
        XCTAssertEqual(try hits("osaka", in: "replica"), try hits("osaka", in: "master"))
        try sandbox.write("corpus/narwhal.txt", "Narwhal tusk study\n\nA narwhal study begins.\n")
        XCTAssertTrue(try sandbox.run(["add", "--index", "master", sandbox.url("corpus/narwhal.txt").path]).exited(0))
        XCTAssertTrue(poll(seconds: 10) { (try? self.hits("narwhal", in: "replica")) == ["corpus/narwhal.txt"] })

        // Down again, in the middle of a replica's wait for changes; up again.
        server.kill()
        _ = server.wait()
        try waitForLine(replica, containing: "presse: replication from 127.0.0.1:\(port) failed")
        (server, _) = try serveMaster("master", port: port)
        XCTAssertTrue(poll(seconds: 15) { self.errorText(replica).components(separatedBy: "answers again").count == 3 },
                      "taken back a second time")
        // A master that hangs (stopped): the replica still stops at once.
        XCTAssertTrue(server.stop())
        pause(0.5)
        replica.kill(SIGINT)
        let stopped = replica.wait(timeout: 5)
        server.resume()
        XCTAssertTrue(stopped.exited(0), "\(stopped)")
        assertMessagesArePresse(stopped)
        XCTAssertTrue(stopped.stderrLines.allSatisfy { !$0.contains("\n") })
    }

    /// After many commits, applied as changesets under the replica's readers, the copy
    /// answers the benchmark slice's 60 queries exactly as the master does.
    func testAReplicaAnswersAsItsMasterAfterManyCommits() throws {
        try sandbox.unpackFixture("bench-slice-2100.tar.gz")
        XCTAssertTrue(try sandbox.run(["index", "--quiet", "--changesets", "100", "--index", "master", "corpus/en"]).exited(0))
        let (_, port) = try serveMaster("master")
        let replica = try startReplica(port: port)
        try waitForLine(replica, containing: "copied 127.0.0.1:\(port) whole")
        for part in ["fr", "de"] {
            let synced = try sandbox.run(["index", "--quiet", "--jobs", "1", "--index", "master", "corpus/\(part)"])
            XCTAssertTrue(synced.exited(0), "\(synced)")
        }
        let releases = try stats(sandbox, index: sandbox.url("master")).releases
        XCTAssertTrue(poll(seconds: 60) { (try? self.stats(self.sandbox, index: self.sandbox.url("replica")).releases) == releases })
        let arguments = ["--batch", "corpus.queries.tsv", "--json", "--limit", "10", "--no-suggest"]
        let answers = { (index: String) throws -> [String] in
            let result = try self.sandbox.run(["search", "--index", index] + arguments)
            XCTAssertTrue(result.exited(in: [0, 1]), "\(result)")
            // The same bytes but the time each took.
            return result.stdoutLines.map { $0.replacingOccurrences(of: #","took_ms":[0-9.]+"#, with: "", options: .regularExpression) }
        }
        let master = try answers("master")
        XCTAssertEqual(master.count, 60)
        XCTAssertEqual(try answers("replica"), master)
        XCTAssertEqual(errorText(replica).components(separatedBy: "whole").count, 2, "changesets after the first copy: \(errorText(replica))")
    }

    /// Every writer of an index that keeps changesets keeps writing them: `watch`, `serve`'s
    /// uploads and `synonyms` changes reach the replica as changesets (a writer without them
    /// would make the master send the whole index), each within a second of its commit.
    func testEveryWriterOfTheMasterKeepsChangesets() throws {
        try sandbox.copySamples(to: "corpus")
        XCTAssertTrue(try sandbox.run(["index", "--quiet", "--changesets", "50", "--index", "master", "corpus"]).exited(0))
        let (_, port) = try serveMaster("master")
        let replica = try startReplica(port: port)
        try waitForLine(replica, containing: "copied 127.0.0.1:\(port) whole")

        let watcher = try sandbox.start(["watch", "--index", "master", "corpus"])
        processes.append(watcher)
        try waitForLine(watcher, containing: "watching 1 folder")
        try sandbox.write("corpus/okapi.txt", "Okapi calf born\n\nAn okapi calf was born at the zoo of Basel.\n")
        try waitForLine(watcher, containing: "presse: added corpus/okapi.txt")
        try assertSeenWithinASecond("a release the watcher added") { try self.hits("okapi", in: "replica") == ["corpus/okapi.txt"] }
        watcher.kill(SIGINT)
        XCTAssertTrue(watcher.wait(timeout: 30).exited(0))

        let synonyms = try sandbox.run(["synonyms", "add", "--index", "master", "quagga", "osaka"])
        XCTAssertTrue(synonyms.exited(0), "\(synonyms)")
        try assertSeenWithinASecond("a synonym") { try self.hits("quagga", in: "replica").count == 3 }

        try sandbox.write("token", "a-token-of-at-least-16-characters\n")
        let server = try RunningServer(sandbox, ["--index", sandbox.url("master").path, "--allow-writes", "--token-file", "token"])
        defer { _ = server.stop(SIGKILL) }
        let upload = try server.request("POST", "/api/releases?name=ibex.txt", headers: ["Authorization": "Bearer a-token-of-at-least-16-characters"],
                                        body: Data("Ibex census\n\nThe ibex census counted more animals.\n".utf8))
        XCTAssertEqual(upload.status, 201, "\(upload)")
        try assertSeenWithinASecond("an upload") { try self.hits("ibex", in: "replica").count == 1 }

        XCTAssertEqual(errorText(replica).components(separatedBy: "whole").count, 2, "one whole copy, then changesets: \(errorText(replica))")
    }

    /// `--interval S`: the replica asks every S seconds (answered at once) and still follows.
    func testAReplicaWithAnIntervalAsksAndFollows() throws {
        try sandbox.copySamples(to: "corpus")
        XCTAssertTrue(try sandbox.run(["index", "--quiet", "--changesets", "10", "--index", "master", "corpus"]).exited(0))
        let (_, port) = try serveMaster("master")
        let replica = try sandbox.start(["replicate", "--from", "127.0.0.1:\(port)", "--index", "replica", "--interval", "0.5"])
        processes.append(replica)
        try waitForLine(replica, containing: "copied 127.0.0.1:\(port) whole")
        try sandbox.write("corpus/ibex.txt", "Ibex census\n\nThe ibex census counted more animals.\n")
        XCTAssertTrue(try sandbox.run(["add", "--index", "master", sandbox.url("corpus/ibex.txt").path]).exited(0))
        XCTAssertTrue(poll(seconds: 10) { (try? self.hits("ibex", in: "replica")) == ["corpus/ibex.txt"] })
        try waitForLine(replica, containing: "applied: revision")
        let bad = try sandbox.run(["replicate", "--from", "127.0.0.1:\(port)", "--index", "replica", "--interval", "0"])
        XCTAssertTrue(bad.exited(2), "\(bad)")
    }

    // MARK: - Helpers

    /// `presse replicate-serve --index INDEX --port PORT` (0: any free port); the port it
    /// printed.
    private func serveMaster(_ index: String, port: Int = 0) throws -> (RunningCommand, Int) {
        let server = try sandbox.start(["replicate-serve", "--index", index, "--port", "\(port)"])
        processes.append(server)
        for _ in 0..<3_000 where server.isRunning {
            let text = (try? String(contentsOf: server.outURL, encoding: .utf8)) ?? ""
            // "serving master to replicas on 127.0.0.1:PORT (Ctrl-C stops)"
            if let range = text.range(of: "on 127.0.0.1:"), let bound = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                return (server, bound)
            }
            pause(0.01)
        }
        throw SandboxError("replicate-serve did not start: \(server.wait(timeout: 1))")
    }

    private func startReplica(port: Int) throws -> RunningCommand {
        let replica = try sandbox.start(["replicate", "--from", "127.0.0.1:\(port)", "--index", "replica"])
        processes.append(replica)
        return replica
    }

    private func errorText(_ command: RunningCommand) -> String {
        (try? String(contentsOf: command.errURL, encoding: .utf8)) ?? ""
    }

    private func waitForLine(_ command: RunningCommand, containing text: String, seconds: Double = 30,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let found = poll(seconds: seconds) { (self.errorText(command)).contains(text) }
        XCTAssertTrue(found, "no line with '\(text)' in: \(errorText(command))", file: file, line: line)
        if !found { throw SandboxError("gave up waiting") }
    }

    /// The paths of the hits of a search on the index folder `index` (empty when none).
    private func hits(_ query: String, in index: String) throws -> [String] {
        let result = try sandbox.run(["search", "--index", index, "--json", "--no-suggest", "--no-translate", query])
        guard result.exited(in: [0, 1]), let line = result.stdoutLines.first else { throw SandboxError("\(result)") }
        return try JSONLine.decode(SearchOutput.self, line).hits.map(\.path)
    }

    /// Polls `seen` after the master's commit: it must hold within 1 s, the replica's promise.
    private func assertSeenWithinASecond(_ what: String, file: StaticString = #filePath, line: UInt = #line,
                                         _ seen: @escaping () throws -> Bool) throws {
        let committed = Date()
        var held = false
        while !held && Date().timeIntervalSince(committed) < 1 {
            held = try seen()
        }
        let after = Date().timeIntervalSince(committed)
        XCTAssertTrue(held && after <= 1, "\(what) was not seen on the replica within 1 s of the master's commit (\(after) s)",
                      file: file, line: line)
    }

    private func poll(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            pause(0.05)
        }
        return condition()
    }
}
