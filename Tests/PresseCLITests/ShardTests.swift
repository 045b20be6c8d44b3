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
        let stamp = Process()
        stamp.executableURL = URL(fileURLWithPath: try executableInPath("xapian-metadata"))
        stamp.arguments = ["set", database, "presse_schema", "6"]
        try stamp.run()
        stamp.waitUntilExit()
        XCTAssertEqual(stamp.terminationStatus, 0)

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

    /// Starts `presse shard-serve` for `index` and waits for it to listen.
    private func serve(_ index: String, port: Int? = nil) throws -> (RunningCommand, Int) {
        let port = try port ?? freePort()
        let server = try sandbox.start(["shard-serve", "--index", index, "--port", "\(port)"])
        for _ in 0..<3_000 where server.isRunning {
            if let text = try? String(contentsOf: server.outURL, encoding: .utf8), text.contains("serving") { return (server, port) }
            pause(0.01)
        }
        let result = server.wait(timeout: 1)
        throw SandboxError("shard-serve did not start: \(result)")
    }

    /// A TCP port nothing listens on now: bound to port 0, read, and released.
    private func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw SandboxError("no socket") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw SandboxError("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
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
