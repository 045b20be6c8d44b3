import Foundation
import XCTest

/// Several indexes searched as one (issue 17), through the command line: the benchmark slice
/// split over three shards, each served by `presse shard-serve` on a free loopback port, must
/// answer as one local index of all of it does; a shard that goes down is named and the
/// others answer.
final class ShardTests: XCTestCase {
    private var sandbox: Sandbox!
    private var servers: [RunningCommand] = []

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-shards")
        try sandbox.unpackFixture("bench-slice-2100.tar.gz")
    }

    override func tearDown() {
        for server in servers { server.kill() }
        for server in servers { _ = server.wait() }
        servers = []
        sandbox?.remove()
        sandbox = nil
    }

    /// The slice's languages: each a folder of its own, each a shard.
    private let parts = ["en", "fr", "de"]

    func testThreeRemoteShardsAnswerAsOneIndexAndGoOnWithoutOne() throws {
        let whole = try sandbox.run(["index", "--quiet", "--index", "whole", "corpus"])
        XCTAssertTrue(whole.exited(0), "\(whole)")
        for part in parts {
            let built = try sandbox.run(["index", "--quiet", "--index", "shard-\(part)", "corpus/\(part)"])
            XCTAssertTrue(built.exited(0), "\(built)")
        }
        var ports: [Int] = []
        for part in parts {
            let (server, port) = try serve("shard-\(part)")
            servers.append(server)
            ports.append(port)
        }
        try sandbox.write("shards", ports.map { "remote 127.0.0.1:\($0)\n" }.joined())

        // The same hits, scores and passages for every benchmark query, remote or local
        // shards: Xapian ranks them with the statistics of all three.
        let arguments = ["--batch", "corpus.queries.tsv", "--json", "--limit", "10", "--no-suggest"]
        let expected = try answers(["--index", "whole"] + arguments)
        XCTAssertEqual(expected.count, 60, "one answer per query")
        XCTAssertGreaterThan(expected.reduce(0) { $0 + $1.hits.count }, 60, "the queries find releases")
        let local = try answers(parts.flatMap { ["--index", "shard-\($0)"] } + arguments)
        let remote = try answers(["--index", "shards"] + arguments)
        for sharded in [local, remote] {
            XCTAssertEqual(sharded.count, expected.count)
            for (one, split) in zip(expected, sharded) {
                XCTAssertEqual(one.query, split.query)
                // Counts are compared where they are counted, not estimated.
                if one.total_exact && split.total_exact { XCTAssertEqual(one.total, split.total, "query \(one.query)") }
                assertSameHits(one, split)
            }
        }

        // Facets over remote shards: each counts its own releases, the searching side adds them.
        let facets = { (index: [String]) throws -> SearchOutput.Facets? in
            let result = try self.sandbox.run(["search", "--json", "--facets", "--no-suggest", "library"] + index)
            XCTAssertTrue(result.exited(0), "\(result)")
            return try JSONLine.decode(SearchOutput.self, result.stdoutLines.first ?? "").facets
        }
        let wholeFacets = try XCTUnwrap(try facets(["--index", "whole"]))
        let remoteFacets = try XCTUnwrap(try facets(["--index", "shards"]))
        XCTAssertEqual(wholeFacets.lang, remoteFacets.lang)
        XCTAssertEqual(wholeFacets.source, remoteFacets.source)
        XCTAssertGreaterThan(wholeFacets.source.count, 1, "the match is in several shards")

        // The French shard goes down: its address is named, the others answer.
        servers[1].kill()
        _ = servers[1].wait()
        let down = try sandbox.run(["search", "--index", "shards"] + arguments)
        XCTAssertTrue(down.exited(0), "\(down)")
        assertMessagesArePresse(down)
        XCTAssertFalse(down.stderrLines.isEmpty, "a warning for the shard that is down: \(down)")
        for line in down.stderrLines {
            XCTAssertTrue(line.contains("shard 127.0.0.1:\(ports[1]) is unavailable"), line)
        }
        let partial = try down.stdoutLines.map { try JSONLine.decode(SearchOutput.self, $0) }
        XCTAssertEqual(partial.count, 60, "every query answered")
        XCTAssertGreaterThan(partial.reduce(0) { $0 + $1.hits.count }, 0)
        for answer in partial {
            for hit in answer.hits { XCTAssertFalse(hit.path.hasPrefix("corpus/fr/"), "\(hit.path) is in the shard that is down") }
        }
        let required = try sandbox.run(["search", "--index", "shards", "--require-all", "library"])
        XCTAssertTrue(required.exited(3), "\(required)")
        XCTAssertEqual(required.stderrLines.count, 1, "\(required)")
        XCTAssertTrue(required.stderr.contains("shard 127.0.0.1:\(ports[1]) is unavailable"), "\(required)")

        // A shard that hangs (stopped) is left out when its time-out (5 s a message) passes.
        XCTAssertTrue(servers[2].stop(), "the German shard stops")
        let hung = try sandbox.run(["search", "--index", "shards", "--json", "library"])
        servers[2].resume()
        XCTAssertTrue(hung.exited(0), "\(hung)")
        XCTAssertTrue(hung.stderr.contains("shard 127.0.0.1:\(ports[2]) is unavailable (Timeout"), "\(hung)")
        let english = try JSONLine.decode(SearchOutput.self, hung.stdoutLines.first ?? "")
        XCTAssertFalse(english.hits.isEmpty)
        XCTAssertTrue(english.hits.allSatisfy { $0.path.hasPrefix("corpus/en/") }, "only the English shard answered")

        // A process that lives on (presse serve) takes the shard back once it answers again,
        // without a restart: it tries the shards it left out again (every 10 s).
        let server = try RunningServer(sandbox, ["--index", sandbox.url("shards").path])
        defer { _ = server.stop(SIGKILL) }
        let frenchHits = { () -> Int in
            let answer = try? server.get("/api/search?q=bibliotheque&limit=20")
            let hits = answer?.object?["hits"] as? [[String: Any]] ?? []
            return hits.filter { ($0["path"] as? String ?? "").contains("corpus/fr/") }.count
        }
        XCTAssertEqual(frenchHits(), 0, "the French shard is down")
        servers[1] = try serve("shard-fr", port: ports[1]).0
        let deadline = Date().addingTimeInterval(90)
        while frenchHits() == 0 && Date() < deadline { pause(0.5) }
        XCTAssertGreaterThan(frenchHits(), 0, "the French shard is used again once it answers")

        // Back on its port, it answers again.
        let again = try answers(["--index", "shards"] + arguments)
        for (one, split) in zip(expected, again) { assertSameHits(one, split) }
    }

    /// A batch over three remote shards loses one in its middle: its answers go on from the
    /// others, each naming the shard it is without, and once the shard is back on its port the
    /// same batch answers in full again (it tries the shards it left out again every 10 s).
    func testKillingAShardMidBatchNamesItAndRestartingItRestoresFullAnswers() throws {
        let ports = try threeRemoteShards(whole: true)
        let limit = ["--json", "--limit", "3", "--no-suggest"]
        let expected = try answers(["--index", "whole", "--batch", "corpus.queries.tsv"] + limit)
        XCTAssertEqual(expected.count, 60)
        // 900 queries: far more answers than a pipe holds, so the batch is still running (held
        // by its output, which this test reads) when the shard goes.
        let queries = try String(contentsOf: sandbox.url("corpus.queries.tsv"), encoding: .utf8)
        try sandbox.write("long.tsv", String(repeating: queries, count: 15))
        let batch = try PipedCommand(sandbox, ["search", "--index", "shards", "--batch", "long.tsv", "--jobs", "1"] + limit)
        defer { batch.kill() }
        var line = 0
        func next() throws -> SearchOutput? {
            guard let text = batch.readLine() else { return nil }
            defer { line += 1 }
            return try JSONLine.decode(SearchOutput.self, text)
        }
        let french = "127.0.0.1:\(ports[1])"

        let first = try XCTUnwrap(try next())
        XCTAssertNil(first.shards_left_out, "every shard answers")
        assertSameHits(expected[0], first)

        servers[1].kill()
        _ = servers[1].wait()
        var without: SearchOutput?
        while let answer = try next() {
            if answer.shards_left_out != nil { without = answer; break }
            assertSameHits(expected[(line - 1) % 60], answer)  // answered before the shard went
        }
        XCTAssertEqual(without?.shards_left_out, [french], "an answer without the French shard names it")
        let leftOutAt = line

        // Back on its port: the batch takes it back, within the queries it has left.
        servers[1] = try serve("shard-fr", port: ports[1]).0
        var withoutCount = 1, restoredAt: Int?
        while let answer = try next() {
            if answer.shards_left_out == nil { restoredAt = line - 1; assertSameHits(expected[(line - 1) % 60], answer); break }
            XCTAssertEqual(answer.shards_left_out, [french])
            for hit in answer.hits { XCTAssertFalse(hit.path.hasPrefix("corpus/fr/"), "\(hit.path) is in the shard that is down") }
            withoutCount += 1
            // Read slowly: the batch waits on its output meanwhile, so its queries outlast the
            // time until it tries the shard again (10 s), however fast it searches.
            pause(0.05)
        }
        XCTAssertNotNil(restoredAt, "the batch answers in full again once the shard is back (\(withoutCount) answers without it from \(leftOutAt))")
        XCTAssertGreaterThan(withoutCount, 0)
        // Every later answer is whole again, as one index's.
        while let answer = try next() {
            XCTAssertNil(answer.shards_left_out, "answer \(line - 1)")
            assertSameHits(expected[(line - 1) % 60], answer)
        }
        let result = batch.wait()
        XCTAssertTrue(result.exited(0), "\(result)")
        XCTAssertEqual(line, 900, "every query answered")
        // The loss is said on standard error, naming the shard (once: the answers name it after).
        XCTAssertFalse(result.stderrLines.isEmpty, "\(result)")
        for warning in result.stderrLines {
            XCTAssertTrue(warning.hasPrefix("presse: shard \(french) is unavailable ("), warning)
            XCTAssertTrue(warning.hasSuffix("): answering from the others"), warning)
        }
    }

    /// "Did you mean", synonyms and the oldest first work over remote shards as on one index;
    /// counts that are estimates say so.
    func testSuggestionsSynonymsOldestFirstAndCountsOverRemoteShards() throws {
        _ = try threeRemoteShards(whole: true)
        // Each long word of each benchmark query with a typo (its third letter dropped).
        let typos = try String(contentsOf: sandbox.url("corpus.queries.tsv"), encoding: .utf8)
            .split(separator: "\n").map { line -> String in
                let parts = line.split(separator: "\t", maxSplits: 1)
                let words = parts[1].split(separator: " ").map { $0.count >= 6 ? String($0.prefix(2) + $0.dropFirst(3)) : String($0) }
                return "\(parts[0])\t\(words.joined(separator: " "))"
            }.joined(separator: "\n")
        try sandbox.write("typos.tsv", typos + "\n")
        let asked = ["--batch", "typos.tsv", "--json", "--limit", "3"]
        let one = try answers(["--index", "whole"] + asked)
        let remote = try answers(["--index", "shards"] + asked)
        XCTAssertGreaterThan(one.filter { $0.suggestion != nil }.count, 40, "most typos get a suggestion")
        XCTAssertEqual(one.map { $0.suggestion ?? "" }, remote.map { $0.suggestion ?? "" }, "the same suggestions")

        // A synonym added to one shard while it is served is used at once.
        let none = try sandbox.run(["search", "--index", "shards", "--json", "--no-suggest", "zorglub"])
        XCTAssertTrue(none.exited(1), "\(none)")
        for index in ["shard-fr", "whole"] {
            let added = try sandbox.run(["synonyms", "add", "--index", index, "zorglub", "bibliothèque"])
            XCTAssertTrue(added.exited(0), "\(added)")
        }
        let synonym = try answers(["--index", "shards", "--json", "--no-suggest", "zorglub"])
        XCTAssertFalse(synonym.first?.hits.isEmpty ?? true, "found through the synonym")
        assertSameHits(try answers(["--index", "whole", "--json", "--no-suggest", "zorglub"])[0], synonym[0])

        // Counts: a count said to be exact is the whole match's (counted by --facets on one
        // index); one that is not is printed as "about".
        let counted = try answers(["--index", "whole", "--batch", "corpus.queries.tsv", "--json", "--limit", "0", "--no-suggest", "--facets"])
        let sharded = try answers(["--index", "shards", "--batch", "corpus.queries.tsv", "--json", "--limit", "3", "--no-suggest"])
        XCTAssertTrue(counted.allSatisfy(\.total_exact))
        for (exact, answer) in zip(counted, sharded) where answer.total_exact {
            XCTAssertEqual(answer.total, exact.total, "query \(answer.query)")
        }
        let estimated = try XCTUnwrap(sharded.firstIndex { !$0.total_exact }, "a query whose count is estimated")
        let line = try String(contentsOf: sandbox.url("corpus.queries.tsv"), encoding: .utf8).split(separator: "\n")[estimated]
        try sandbox.write("estimated.tsv", line + "\n")
        let text = try sandbox.run(["search", "--index", "shards", "--no-suggest", "--limit", "3", "--batch", "estimated.tsv"])
        XCTAssertTrue(text.stdoutLines.last?.hasSuffix("of about \(sharded[estimated].total) matches") ?? false, "\(text.stdout)")

        // Oldest first over remote shards, with more undated releases matching than the match
        // ranks (its window is 20): the three dated ones first, as on one index.
        let names = try FileManager.default.contentsOfDirectory(atPath: sandbox.url("corpus/fr").path).sorted()
        let holding = try names.filter { try String(contentsOf: sandbox.url("corpus/fr/\($0)"), encoding: .utf8).contains("paquet") }
        let future = Date(timeIntervalSince1970: 5_680_000_000)  // 2150: no date a release can have
        for name in names {
            try FileManager.default.setAttributes([.modificationDate: future], ofItemAtPath: sandbox.url("corpus/fr/\(name)").path)
        }
        for (name, day) in [(holding[5], 1_577_880_000), (holding[50], 1_609_502_400), (holding[100], 1_546_300_800)] {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: TimeInterval(day))],
                                                  ofItemAtPath: sandbox.url("corpus/fr/\(name)").path)
        }
        for index in ["dated-one", "dated-split"] {
            let built = try sandbox.run(["index", "--quiet", "--index", index] + (index == "dated-split" ? ["--shards", "2"] : []) + ["corpus/fr"])
            XCTAssertTrue(built.exited(0), "\(built)")
        }
        var listing = ""
        for shard in 1...2 {
            let (server, port) = try serve("dated-split/shard-\(shard)")
            servers.append(server)
            listing += "remote 127.0.0.1:\(port)\n"
        }
        try sandbox.write("dated", listing)
        let dates = { (index: String, order: String) throws -> [String?] in
            let result = try self.sandbox.run(["search", "--index", index, "--json", "--no-suggest", "--sort", order, "--limit", "5", "paquet"])
            XCTAssertTrue(result.exited(0), "\(result)")
            let answer = try JSONLine.decode(SearchOutput.self, result.stdoutLines.first ?? "")
            XCTAssertGreaterThan(answer.total, 20, "more undated releases match than the match ranks")
            return answer.hits.map(\.date)
        }
        XCTAssertEqual(try dates("dated-one", "-date"), ["2019-01-01", "2020-01-01", "2021-01-01", nil, nil])
        XCTAssertEqual(try dates("dated", "-date"), ["2019-01-01", "2020-01-01", "2021-01-01", nil, nil])
        XCTAssertEqual(try dates("dated", "date"), ["2021-01-01", "2020-01-01", "2019-01-01", nil, nil])
    }

    /// `shard-serve --max-connections N` serves N connections at once and closes one more at
    /// once (its searching side leaves the shard out, named); a connection's process does not
    /// keep the listening socket.
    func testShardServeServesAtMostItsConnectionsAndConnectionsLeaveTheListeningSocket() throws {
        for part in ["fr", "de"] {
            let built = try sandbox.run(["index", "--quiet", "--index", "shard-\(part)", "corpus/\(part)"])
            XCTAssertTrue(built.exited(0), "\(built)")
        }
        let (capped, cappedPort) = try serve("shard-fr", extra: ["--max-connections", "1"])
        servers.append(capped)
        let (other, otherPort) = try serve("shard-de")
        servers.append(other)
        try sandbox.write("shards", "remote 127.0.0.1:\(cappedPort)\nremote 127.0.0.1:\(otherPort)\n")

        // presse serve holds a connection to each shard while it lives.
        let server = try RunningServer(sandbox, ["--index", sandbox.url("shards").path])
        defer { _ = server.stop(SIGKILL) }
        XCTAssertEqual(try server.get("/api/search?q=bibliotheque").status, 200)

        // Its connection's process: a child of the server holding a TCP socket, not the
        // listening one.
        let listening = try XCTUnwrap(listeningSocketInode(port: cappedPort), "the server listens")
        let children = childProcesses(of: capped.pid)
        XCTAssertEqual(children.count, 1, "one connection, one process")
        for child in children {
            let sockets = socketInodes(of: child)
            XCTAssertFalse(sockets.isEmpty, "the connection's socket")
            XCTAssertFalse(sockets.contains(listening), "process \(child) keeps the listening socket")
        }

        let refused = try sandbox.run(["search", "--index", "shards", "--json", "--no-suggest", "bibliothek"])
        XCTAssertTrue(refused.exited(0), "\(refused)")
        XCTAssertEqual(refused.stderrLines.count, 1, "\(refused)")
        XCTAssertTrue(refused.stderr.contains("shard 127.0.0.1:\(cappedPort) is unavailable"), "\(refused)")
        let answer = try JSONLine.decode(SearchOutput.self, refused.stdoutLines.first ?? "")
        XCTAssertEqual(answer.shards_left_out, ["127.0.0.1:\(cappedPort)"])
        XCTAssertFalse(answer.hits.isEmpty, "the other shard answers")

        // Once presse serve has let its connection go, the shard serves again.
        _ = server.stop(SIGKILL)
        var served = false
        let deadline = Date().addingTimeInterval(60)
        while !served && Date() < deadline {
            let result = try sandbox.run(["search", "--index", "shards", "--json", "--no-suggest", "bibliothek"])
            served = result.exited(0) && result.stderr.isEmpty
            if !served { pause(0.2) }
        }
        XCTAssertTrue(served, "the shard serves once its one connection is gone")
        let said = try String(contentsOf: capped.errURL, encoding: .utf8)
        XCTAssertTrue(said.contains("presse: refusing connections: 1 open, the most --max-connections allows"), said)
    }

    func testIndexWithShardsSplitsReleasesAndSearchesThemAsOne() throws {
        let whole = try sandbox.run(["index", "--quiet", "--index", "whole", "corpus/fr"])
        XCTAssertTrue(whole.exited(0), "\(whole)")
        let split = try sandbox.run(["index", "--quiet", "--shards", "3", "--index", "split", "corpus/fr"])
        XCTAssertTrue(split.exited(0), "\(split)")
        assertSummary(split, added: 453, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        XCTAssertEqual(try String(contentsOf: sandbox.url("split/XAPIANDB"), encoding: .utf8), "auto shard-1\nauto shard-2\nauto shard-3\n")
        var releases: [Int] = []
        for shard in 1...3 {
            releases.append(try stats(sandbox, index: sandbox.url("split/shard-\(shard)")).releases)
        }
        XCTAssertEqual(releases.reduce(0, +), 453, "each release in one shard")
        XCTAssertTrue(releases.allSatisfy { $0 > 100 }, "split by a hash of the path: \(releases)")

        let arguments = ["--batch", "corpus.queries.tsv", "--json", "--limit", "10", "--no-suggest"]
        for (one, sharded) in zip(try answers(["--index", "whole"] + arguments), try answers(["--index", "split"] + arguments)) {
            assertSameHits(one, sharded)
        }

        // Every shard's releases read back whole through `presse serve` on the set, each with its
        // own shard's compression dictionary (a release outside the first shard read as damaged).
        let server = try RunningServer(sandbox, ["--index", sandbox.url("split").path])
        defer { _ = server.stop(SIGKILL) }
        let listed = try server.get("/api/search?q=logiciel&limit=30")
        let hits = try XCTUnwrap(listed.object?["hits"] as? [[String: Any]], "\(listed)")
        XCTAssertGreaterThan(hits.count, 10, "\(listed)")
        for hit in hits {
            let id = try XCTUnwrap(hit["id"] as? String)
            let release = try server.get("/api/releases/\(id)")
            XCTAssertEqual(release.status, 200, "\(release)")
            XCTAssertEqual(release.object?["title"] as? String, hit["title"] as? String, "\(release)")
        }
        let oneShard = try sandbox.run(["index", "--shards", "1", "--index", "single", "corpus/fr"])
        XCTAssertTrue(oneShard.exited(2), "one shard is one index: \(oneShard)")

        let again = try sandbox.run(["index", "--quiet", "--shards", "3", "--index", "split", "corpus/fr"])
        assertSummary(again, added: 0, replaced: 0, removed: 0, unchanged: 453, skipped: 0)
        let otherCount = try sandbox.run(["index", "--shards", "2", "--index", "split", "corpus/fr"])
        XCTAssertTrue(otherCount.exited(2), "\(otherCount)")
        XCTAssertEqual(otherCount.stderrLines.count, 1, "\(otherCount)")
        XCTAssertTrue(otherCount.stderr.contains("holds 3 shards, not 2"), "\(otherCount)")
        let add = try sandbox.run(["add", "--index", "split", "corpus/fr/" + (try FileManager.default.contentsOfDirectory(atPath: sandbox.url("corpus/fr").path).first ?? "")])
        XCTAssertTrue(add.exited(2), "\(add)")
        XCTAssertEqual(add.stderrLines.count, 1, "\(add)")
        XCTAssertTrue(add.stderr.contains("is a set of shards"), "\(add)")
    }

    func testBadShardListsAndServersAreOneLineErrors() throws {
        try sandbox.write("shards", "remote nowhere\n")
        let badPort = try sandbox.run(["search", "--index", "shards", "library"])
        XCTAssertTrue(badPort.exited(2), "\(badPort)")
        XCTAssertEqual(badPort.stderrLines, ["presse: a remote shard is HOST:PORT, not 'nowhere'"])

        try sandbox.write("shards", "remote 127.0.0.1:9 extra\nmystery line here\n")
        let badLine = try sandbox.run(["search", "--index", "shards", "library"])
        XCTAssertTrue(badLine.exited(3), "\(badLine)")
        XCTAssertEqual(badLine.stderrLines.count, 1, "\(badLine)")
        XCTAssertTrue(badLine.stderr.contains("not a shard list"), "\(badLine)")

        let noPort = try sandbox.run(["shard-serve", "--index", "corpus", "--port", "0"])
        XCTAssertTrue(noPort.exited(2), "\(noPort)")
        let noIndex = try sandbox.run(["shard-serve", "--index", "missing", "--port", "\(try freePort())"])
        XCTAssertTrue(noIndex.exited(3), "\(noIndex)")
        XCTAssertEqual(noIndex.stderrLines.count, 1, "\(noIndex)")
    }

    func testAShardOfAnotherSchemaIsRefusedByName() throws {
        for part in ["fr", "de"] {
            let built = try sandbox.run(["index", "--quiet", "--index", "shard-\(part)", "corpus/\(part)"])
            XCTAssertTrue(built.exited(0), "\(built)")
        }
        // Stamped as an earlier Presse's index, with Xapian's own tool.
        let stub = try String(contentsOf: sandbox.url("shard-de/XAPIANDB"), encoding: .utf8)
        let database = sandbox.url("shard-de").appendingPathComponent(String(stub.split(separator: " ")[1].dropLast())).path
        XCTAssertEqual(try runTool("xapian-metadata", ["set", database, "presse_schema", "6"]).status, 0)

        let search = try sandbox.run(["search", "--index", "shard-fr", "--index", "shard-de", "bibliothek"])
        XCTAssertTrue(search.exited(3), "\(search)")
        XCTAssertEqual(search.stderrLines.count, 1, "\(search)")
        XCTAssertTrue(search.stderr.contains("shard \(sandbox.url("shard-de").path): schema 6 of an earlier Presse"), "\(search)")
        let serve = try sandbox.run(["shard-serve", "--index", "shard-de", "--port", "\(try freePort())"])
        XCTAssertTrue(serve.exited(3), "\(serve)")
        XCTAssertEqual(serve.stderrLines.count, 1, "\(serve)")
        XCTAssertTrue(serve.stderr.contains("schema 6 of an earlier Presse"), "\(serve)")
    }

    // MARK: - Helpers

    /// The slice indexed whole (`whole`, when asked) and as three shards, one per language,
    /// each served on a free loopback port and named in `shards`; their ports.
    private func threeRemoteShards(whole: Bool) throws -> [Int] {
        if whole {
            let built = try sandbox.run(["index", "--quiet", "--index", "whole", "corpus"])
            XCTAssertTrue(built.exited(0), "\(built)")
        }
        var ports: [Int] = []
        for part in parts {
            let built = try sandbox.run(["index", "--quiet", "--index", "shard-\(part)", "corpus/\(part)"])
            XCTAssertTrue(built.exited(0), "\(built)")
            let (server, port) = try serve("shard-\(part)")
            servers.append(server)
            ports.append(port)
        }
        try sandbox.write("shards", ports.map { "remote 127.0.0.1:\($0)\n" }.joined())
        return ports
    }

    /// The inode of the socket listening on a loopback TCP port (/proc/net/tcp), if any.
    private func listeningSocketInode(port: Int) -> String? {
        guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return nil }
        let local = String(format: ":%04X", port)
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            // local address, remote address, state ("0A": listening), …, inode (the 10th)
            if fields.count > 9, fields[1].hasSuffix(local), fields[3] == "0A" { return String(fields[9]) }
        }
        return nil
    }

    /// The processes whose parent is `pid` (/proc/N/stat's fourth field), zombies left out.
    private func childProcesses(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { candidate in
            guard let stat = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && fields[1] == "\(pid)"
        }
    }

    /// The inodes of the sockets a process holds ("socket:[N]" links in /proc/N/fd).
    private func socketInodes(of pid: Int32) -> Set<String> {
        let folder = "/proc/\(pid)/fd"
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return Set(descriptors.compactMap { descriptor in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(descriptor)"),
                  target.hasPrefix("socket:[") else { return nil }
            return String(target.dropFirst(8).dropLast())
        })
    }

    /// Starts `presse shard-serve` for `index` and waits for it to listen.
    private func serve(_ index: String, port: Int? = nil, extra: [String] = []) throws -> (RunningCommand, Int) {
        let port = try port ?? freePort()
        let server = try sandbox.start(["shard-serve", "--index", index, "--port", "\(port)"] + extra)
        for _ in 0..<3_000 where server.isRunning {
            if let text = try? String(contentsOf: server.outURL, encoding: .utf8), text.contains("serving") { return (server, port) }
            pause(0.01)
        }
        let result = server.wait(timeout: 1)
        throw SandboxError("shard-serve did not start: \(result)")
    }

    private func answers(_ arguments: [String]) throws -> [SearchOutput] {
        let result = try sandbox.run(["search"] + arguments)
        XCTAssertTrue(result.exited(0), "\(result)")
        XCTAssertEqual(result.stderr, "", "\(result)")
        return try result.stdoutLines.map { try JSONLine.decode(SearchOutput.self, $0) }
    }

    /// Asserts that two answers show the same releases with the same passages, their scores
    /// within 2%: Xapian estimates the frequency of an OP_SYNONYM (a word's translations,
    /// translate.cpp) shard by shard and adds the estimates, so the scores of queries
    /// translated into German compounds differ by up to 1%. A full page's last hits, those
    /// within that of its last score, may trade places with the first hits past it: they are
    /// left out.
    private func assertSameHits(_ one: SearchOutput, _ other: SearchOutput, file: StaticString = #filePath, line: UInt = #line) {
        func shown(_ output: SearchOutput) -> [String: (score: Double, passage: String)] {
            let last = output.hits.count == output.limit ? output.hits.last?.score : nil
            var hits: [String: (score: Double, passage: String)] = [:]
            for hit in output.hits where last.map({ hit.score > 1.02 * $0 }) ?? true {
                hits[hit.path] = (hit.score, "\(hit.passage_index) \(hit.highlights)")
            }
            return hits
        }
        let a = shown(one), b = shown(other)
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), "query \(one.query)", file: file, line: line)
        for (path, hit) in a {
            guard let twin = b[path] else { continue }
            XCTAssertEqual(hit.passage, twin.passage, "query \(one.query): \(path)", file: file, line: line)
            XCTAssertEqual(hit.score, twin.score, accuracy: 2e-2 * hit.score, "query \(one.query): \(path)", file: file, line: line)
        }
    }
}

/// `presse` with its standard output in a pipe that the test reads a line at a time: the
/// process runs ahead of the reader by what the pipe holds, then waits for it.
private final class PipedCommand {
    private let process = Process()
    private let output = Pipe()
    private let errURL: URL
    private let arguments: [String]
    private var buffer: [UInt8] = []
    private var ended = false

    init(_ sandbox: Sandbox, _ arguments: [String]) throws {
        self.arguments = arguments
        process.executableURL = URL(fileURLWithPath: try PresseCLI.requireBinary())
        process.arguments = arguments
        process.currentDirectoryURL = sandbox.root
        var environment = ProcessInfo.processInfo.environment
        environment["PRESSE_INDEX"] = nil
        environment["NO_COLOR"] = "1"
        process.environment = environment
        errURL = sandbox.root.appendingPathComponent(".err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = output
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? err.close()
        try? output.fileHandleForWriting.close()
    }

    /// The next line of output, without its end; nil at the end of the output.
    func readLine() -> String? {
        let descriptor = output.fileHandleForReading.fileDescriptor
        while true {
            if let end = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeSubrange(...end)
                return line
            }
            if ended { return nil }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
            } else if count == 0 || errno != EINTR {
                ended = true
                if !buffer.isEmpty {
                    defer { buffer.removeAll() }
                    return String(decoding: buffer, as: UTF8.self)
                }
            }
        }
    }

    func kill() {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the end (the output read to its end first) and collects standard error.
    func wait() -> CommandResult {
        while readLine() != nil {}
        process.waitUntilExit()
        let stderrData = (try? Data(contentsOf: errURL)) ?? Data()
        try? FileManager.default.removeItem(at: errURL)
        return CommandResult(arguments: arguments, status: process.terminationStatus,
                             signaled: process.terminationReason == .uncaughtSignal, timedOut: false,
                             stdoutData: Data(), stderrData: stderrData)
    }
}
