import Foundation
import XCTest

/// `presse serve` started on a free loopback port and asked as a browser, a script and a
/// hostile client would: every endpoint, every status the API documents, bad requests,
/// writes with and without the token, an index written while it serves, and shutdown.
final class ServeTests: XCTestCase {
    private var sandbox: Sandbox!
    private var servers: [RunningServer] = []
    private var background: [RunningCommand] = []

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-serve")
    }

    override func tearDown() {
        for server in servers where server.command.isRunning { _ = server.stop(SIGKILL) }
        for command in background where command.isRunning {
            command.kill()
            _ = command.wait(timeout: 10)
        }
        servers = []
        background = []
        sandbox?.remove()
        sandbox = nil
    }

    private func serve(_ arguments: [String] = []) throws -> RunningServer {
        let server = try RunningServer(sandbox, ["--index", sandbox.index.path] + arguments)
        servers.append(server)
        return server
    }

    private func indexSamples() throws {
        try sandbox.copySamples(to: "corpus")
        let result = try sandbox.run(["index", "--index", sandbox.index.path, "corpus"])
        XCTAssertTrue(result.exited(0), "\(result)")
    }

    private func decode<T: Decodable>(_ type: T.Type, _ answer: HTTPAnswer, file: StaticString = #filePath, line: UInt = #line) throws -> T {
        try XCTUnwrap(try? JSONDecoder().decode(T.self, from: answer.body), "not the documented JSON: \(answer)", file: file, line: line)
    }

    /// An error answer: the status, JSON with that status and a message.
    private func assertError(_ answer: HTTPAnswer, _ status: Int, _ about: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(answer.status, status, "\(answer)", file: file, line: line)
        XCTAssertEqual(answer.headers["content-type"], "application/json; charset=utf-8", "\(answer)", file: file, line: line)
        let error = answer.object?["error"] as? [String: Any]
        XCTAssertEqual(error?["status"] as? Int, status, "\(answer)", file: file, line: line)
        let message = answer.errorMessage ?? ""
        XCTAssertFalse(message.isEmpty, "\(answer)", file: file, line: line)
        if let about { XCTAssertTrue(message.contains(about), "the message should say \(about): \(answer)", file: file, line: line) }
    }

    // MARK: - The API

    func testSearchReleaseStatsHealthAndOpenAPI() throws {
        try indexSamples()
        let server = try serve()

        let health = try server.get("/healthz")
        XCTAssertEqual(health.status, 200, "\(health)")
        XCTAssertEqual(health.object?["status"] as? String, "ok")

        // The API's search is the command line's: the same hits, passages, highlights, scores.
        let answer = try server.get("/api/search?q=osaka&limit=2&facets=true")
        XCTAssertEqual(answer.status, 200, "\(answer)")
        let api = try decode(SearchOutput.self, answer)
        let (_, cli) = try searchJSON(sandbox, ["--limit", "2", "--facets", "osaka"])
        XCTAssertEqual(api.hits.map(\.path).map(sandbox.absolute), cli.hits.map(\.path).map(sandbox.absolute))
        XCTAssertEqual(api.hits.map(\.passage), cli.hits.map(\.passage))
        XCTAssertEqual(api.hits.map(\.highlights), cli.hits.map(\.highlights))
        XCTAssertEqual(api.hits.map(\.score), cli.hits.map(\.score))
        XCTAssertEqual(api.total, cli.total)
        XCTAssertEqual(api.facets?.lang, cli.facets?.lang)
        XCTAssertNotNil(api.took_ms)
        for hit in api.hits { XCTAssertTrue(hit.highlightedWords.allSatisfy { $0.map { isFormOfQueryWord($0, "osaka") } ?? false }) }

        // Each hit names its release; the release is the whole stored text.
        let hits = try XCTUnwrap(answer.object?["hits"] as? [[String: Any]])
        let id = try XCTUnwrap(hits.first?["id"] as? String)
        XCTAssertEqual(id.count, 16)
        let release = try server.get("/api/releases/\(id)")
        XCTAssertEqual(release.status, 200, "\(release)")
        struct Release: Decodable {
            var id: String; var path: String; var title: String; var date: String?; var languages: [String: Int]
            var passages: [InspectOutput.Passage]
        }
        let whole = try decode(Release.self, release)
        let first = try XCTUnwrap(api.hits.first)
        XCTAssertEqual(whole.id, id)
        XCTAssertEqual(whole.title, first.title)
        XCTAssertEqual(whole.date, first.date)
        XCTAssertEqual(whole.passages[first.passage_index].text, first.passage)
        XCTAssertEqual(whole.passages[first.passage_index].start, first.start)
        XCTAssertEqual(whole.languages.values.reduce(0, +), whole.passages.count)

        // Stats as `presse stats --json` gives them.
        let stats = try server.get("/api/stats")
        XCTAssertEqual(stats.status, 200, "\(stats)")
        let served = try decode(StatsOutput.self, stats)
        let local = try self.stats(sandbox)
        XCTAssertEqual(served.releases, 5)
        XCTAssertEqual(served.passages, local.passages)
        XCTAssertEqual(served.languages, local.languages)

        // The OpenAPI document names every endpoint.
        let openAPI = try server.get("/openapi.json")
        XCTAssertEqual(openAPI.status, 200)
        let paths = try XCTUnwrap(openAPI.object?["paths"] as? [String: Any], "\(openAPI)")
        for path in ["/api/search", "/api/releases", "/api/releases/{id}", "/api/stats", "/healthz"] {
            XCTAssertNotNil(paths[path], "openapi.json lacks \(path)")
        }

        // The committed document is the one served.
        let committed = try Data(contentsOf: PresseCLI.packageRoot.appendingPathComponent("Sources/PresseServer/Assets/openapi.json"))
        XCTAssertEqual(openAPI.body, committed, "the committed openapi.json differs from what the server serves")

        // Every request is one access-log line on stderr: method, path, status, time.
        let result = server.stop(SIGTERM)
        XCTAssertTrue(result.exited(0), "SIGTERM ends the server gracefully: \(result)")
        let log = result.stderrLines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertGreaterThanOrEqual(log.count, 5, "\(result)")
        XCTAssertTrue(log.contains { $0["method"] as? String == "GET" && $0["path"] as? String == "/api/search" && $0["status"] as? Int == 200 && $0["ms"] != nil },
                      "\(result)")
        XCTAssertFalse(result.stderr.contains("osaka"), "queries are not logged: \(result)")
    }

    func testBadRequestsAreAnsweredNotCrashedOn() throws {
        try indexSamples()
        let server = try serve()
        let overlong = String(repeating: "osaka ", count: 200)
        assertError(try server.get("/api/search?q=" + overlong.replacingOccurrences(of: " ", with: "+")), 400, "bytes")
        assertError(try server.get("/api/search?q=%FF%FE"), 400, "UTF-8")
        assertError(try server.get("/api/search?q=osaka%"), 400, "percent")
        assertError(try server.get("/api/search?q=osaka&limit=1e9"), 400, "limit")
        assertError(try server.get("/api/search?q=osaka&limit=1000000000"), 400, "limit")
        assertError(try server.get("/api/search?q=osaka&limit=101"), 400, "limit")
        assertError(try server.get("/api/search?q=osaka&offset=-1"), 400, "offset")
        assertError(try server.get("/api/search?q=osaka&lang=xx"), 400, "language")
        assertError(try server.get("/api/search?q=osaka&sort=size"), 400, "sort")
        assertError(try server.get("/api/search?q=osaka&since=2022-13"), 400, "date")
        assertError(try server.get("/api/search?q=osaka&all_passages=maybe"), 400, "all_passages")
        assertError(try server.get("/api/search?q=osaka&q=munich"), 400, "twice")
        assertError(try server.get("/api/search?query=osaka"), 400, "unknown parameter")
        assertError(try server.get("/api/search"), 400, "q=")
        assertError(try server.get("/api/search?q=%00"), 400, "NUL")

        // Ids: only a release's key finds anything, and nothing outside the index is read.
        assertError(try server.get("/api/releases/0000000000000000"), 404, "no release")
        for target in ["/api/releases/../../etc/passwd", "/api/releases/..%2F..%2Fetc%2Fpasswd", "/api/releases/%2Fetc%2Fpasswd",
                       "/releases/..%2F..%2Fetc%2Fpasswd", "/../../etc/passwd", "/assets/../../../etc/passwd"] {
            let answer = try server.get(target)
            XCTAssertEqual(answer.status, 404, "\(target): \(answer)")
            XCTAssertFalse(answer.text.contains("root:"), "\(target) served a system file: \(answer)")
        }
        let page = try server.get("/releases/0123456789abcdef")
        XCTAssertEqual(page.status, 404)
        XCTAssertTrue(page.headers["content-type"]?.hasPrefix("text/html") ?? false, "a page's error is a page: \(page)")
        assertError(try server.get("/api/nothing-here"), 404)

        // An overlong address, a request that is not HTTP, a method not served.
        let longTarget = try server.get("/api/search?q=" + String(repeating: "a", count: 9_000))
        XCTAssertTrue([414, 431, 400].contains(longTarget.status), "\(longTarget)")
        let garbage = try server.exchange(Data("\u{01}\u{02}NOT HTTP AT ALL\r\n\r\n".utf8))
        if !garbage.isEmpty { XCTAssertEqual(try HTTPAnswer.parse(garbage).status, 400) }
        let put = try server.request("PUT", "/api/stats")
        assertError(put, 405, "GET")
        XCTAssertEqual(put.headers["allow"], "GET, HEAD")
        let head = try server.request("HEAD", "/healthz")
        XCTAssertEqual(head.status, 200, "\(head)")
        XCTAssertTrue(head.body.isEmpty)

        // Still serving, and the index still answers.
        XCTAssertEqual(try server.get("/healthz").status, 200)
        XCTAssertEqual(try server.get("/api/search?q=osaka").status, 200)
        XCTAssertTrue(server.command.isRunning)
    }

    // MARK: - Writes

    func testWritesNeedTheFlagAndTheToken() throws {
        try indexSamples()
        let release = Data("Zebrafish research in Lyon\n\nThe zebrafish consortium announced a new partnership on zebrafish genetics.\n".utf8)

        // Off by default: 403, and nothing changes.
        let readOnly = try serve()
        assertError(try readOnly.request("POST", "/api/releases?name=zebra.txt", body: release), 403, "--allow-writes")
        assertError(try readOnly.request("DELETE", "/api/releases/0123456789abcdef"), 403)
        _ = readOnly.stop()

        let token = "s3cret-token-of-the-team-0123456789"
        try sandbox.write("token", token + "\n")
        let server = try serve(["--allow-writes", "--token-file", sandbox.url("token").path])
        let bearer = ["Authorization": "Bearer " + token]
        let noToken = try server.request("POST", "/api/releases?name=zebra.txt", body: release)
        assertError(noToken, 401)
        XCTAssertEqual(noToken.headers["www-authenticate"], "Bearer realm=\"presse\"")
        assertError(try server.request("POST", "/api/releases?name=zebra.txt", headers: ["Authorization": "Bearer wrong"], body: release), 401)
        assertError(try server.request("DELETE", "/api/releases/0123456789abcdef"), 401)
        XCTAssertEqual(try decode(SearchOutput.self, try server.get("/api/search?q=zebrafish")).total, 0)

        // Bad uploads.
        assertError(try server.request("POST", "/api/releases?name=..%2F..%2Fescape.txt", headers: bearer, body: release), 400, "bad name")
        assertError(try server.request("POST", "/api/releases?name=.hidden", headers: bearer, body: release), 400, "bad name")
        assertError(try server.request("POST", "/api/releases", headers: bearer, body: release), 400, "name")
        assertError(try server.request("POST", "/api/releases?name=empty.txt", headers: bearer), 400, "empty")
        assertError(try server.request("POST", "/api/releases?name=logo.txt", headers: bearer, body: Data([0, 1, 2, 0, 255, 0, 7] + [UInt8](repeating: 0, count: 100))),
                    400, "cannot be indexed")

        // An upload announced larger than 16 MiB is refused before its body is read.
        let big = try server.exchange(Data(("POST /api/releases?name=big.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                            + "Authorization: Bearer \(token)\r\nContent-Length: 17000000\r\n\r\nsome bytes").utf8))
        assertError(try HTTPAnswer.parse(big), 413, "16777216")

        // With the token: added, found, removed.
        let added = try server.request("POST", "/api/releases?name=zebra.txt", headers: bearer, body: release)
        XCTAssertEqual(added.status, 201, "\(added)")
        let id = try XCTUnwrap(added.object?["id"] as? String)
        XCTAssertEqual(added.headers["location"], "/api/releases/\(id)")
        let found = try decode(SearchOutput.self, try server.get("/api/search?q=zebrafish"))
        XCTAssertEqual(found.total, 1)
        XCTAssertEqual(found.hits.first?.title, "Zebrafish research in Lyon")
        XCTAssertEqual(try server.get("/api/releases/\(id)").status, 200)
        XCTAssertEqual(try server.request("POST", "/api/releases?name=zebra.txt", headers: bearer, body: release).status, 200,
                       "the same upload again is unchanged")
        // A new version that cannot be indexed leaves the release and its file as they were.
        assertError(try server.request("POST", "/api/releases?name=zebra.txt", headers: bearer, body: Data([0, 1, 2, 0, 255, 0, 7] + [UInt8](repeating: 0, count: 100))),
                    400, "cannot be indexed")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: sandbox.index.path + "-uploads/zebra.txt")), release)
        XCTAssertEqual(try decode(SearchOutput.self, try server.get("/api/search?q=zebrafish")).total, 1)
        let removed = try server.request("DELETE", "/api/releases/\(id)", headers: bearer)
        XCTAssertEqual(removed.status, 200, "\(removed)")
        XCTAssertEqual(try decode(SearchOutput.self, try server.get("/api/search?q=zebrafish")).total, 0)
        assertError(try server.request("DELETE", "/api/releases/\(id)", headers: bearer), 404)
        XCTAssertEqual(try decode(SearchOutput.self, try server.get("/api/search?q=osaka")).total, 3, "the rest is untouched")

        // A writer holding the index (`presse index`, stopped while it holds the lock): 409
        // once the server's bounded wait is over.
        try GeneratedCorpus.make(in: sandbox.url("generated"), count: 1_500)
        let writer = try sandbox.start(["index", "--index", sandbox.index.path, "--jobs", "1", "generated"])
        background.append(writer)
        pause(0.5)
        if writer.stop() {
            // Stopped mid-run, holding the writer's lock: a search still answers, a write is refused.
            let busy = try server.request("POST", "/api/releases?name=zebra.txt", headers: bearer, body: release)
            let search = try server.get("/api/search?q=osaka")
            writer.resume()
            assertError(busy, 409, "writer")
            XCTAssertEqual(search.status, 200)
            XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.index.path + "-uploads/zebra.txt"),
                           "a refused upload leaves no file behind")
        }
        writer.resume()
        _ = writer.wait(timeout: 120)
    }

    // MARK: - The index changing under the server

    func testUnavailableIndexIs503ThenServedOnceBuilt() throws {
        let server = try serve()
        let health = try server.get("/healthz")
        XCTAssertEqual(health.status, 503, "\(health)")
        XCTAssertEqual(health.object?["status"] as? String, "unavailable")
        XCTAssertTrue((health.object?["message"] as? String ?? "").contains("no index"), "\(health)")
        assertError(try server.get("/api/search?q=osaka"), 503, "no index")
        assertError(try server.get("/api/stats"), 503)
        XCTAssertEqual(try server.get("/?q=osaka").status, 503)
        try indexSamples()
        XCTAssertEqual(try server.get("/healthz").status, 200)
        XCTAssertEqual(try decode(SearchOutput.self, try server.get("/api/search?q=osaka")).total, 3)
    }

    func testIndexingWhileServingLosesNoRequestAndShowsNewReleasesAtOnce() throws {
        try indexSamples()
        let server = try serve()
        let corpus = try GeneratedCorpus.make(in: sandbox.url("generated"), count: 2_050)
        // A parallel build would need an empty index; this is a sync of 2,050 new files, in
        // commits, then a rebuild (a stub switch) of the same folders.
        let load = SteadyRequests(server, path: "/api/search?q=" + GeneratedCorpus.commonToken + "&limit=3")
        let sync = try sandbox.run(["index", "--index", sandbox.index.path, "corpus", corpus.folder.path])
        XCTAssertTrue(sync.exited(0), "\(sync)")
        // Committed: the next request sees every new release.
        let started = Date()
        var seen = 0
        repeat {
            seen = try decode(SearchOutput.self, try server.get("/api/search?q=\(GeneratedCorpus.commonToken)&facets=true&limit=0")).total
        } while seen < 2_050 && Date().timeIntervalSince(started) < 30
        // (Tests time nothing: how soon is scripts/bench --serve's business; here, that the
        // readers follow the commit at all, without a restart.)
        XCTAssertEqual(seen, 2_050, "new releases visible after their commit")
        let rebuild = try sandbox.run(["index", "--rebuild", "--index", sandbox.index.path, "corpus", corpus.folder.path])
        XCTAssertTrue(rebuild.exited(0), "\(rebuild)")
        let token = GeneratedCorpus.token(17)
        XCTAssertEqual(try decode(SearchOutput.self, try server.get("/api/search?q=\(token)")).total, 1, "after the stub switch")
        let asked = load.finish()
        XCTAssertGreaterThan(asked.requests, 10)
        XCTAssertEqual(asked.failures, [], "every request during indexing answered 200")
    }

    /// `presse serve --watch FOLDER`: the server keeps the index in step with the folder (issue
    /// 16's watcher in the server's process) and its readers see each change.
    func testWatchKeepsTheServedIndexInStepWithAFolder() throws {
        try sandbox.copySamples(to: "corpus")
        let server = try serve(["--watch", sandbox.url("corpus").path])
        // The first sync builds the index; then the page answers.
        XCTAssertTrue(poll { (try? server.get("/api/search?q=osaka"))?.status == 200 }, "served once the first sync committed")
        let token = "zebrafishwatchtoken"
        try Data("Watched release\n\nA \(token) platform opened in Lyon.\n".utf8).write(to: sandbox.url("corpus/watched.txt"))
        XCTAssertTrue(poll { (try? self.decode(SearchOutput.self, try server.get("/api/search?q=\(token)")))?.total == 1 },
                      "a file saved into the watched folder is found")
        try FileManager.default.removeItem(at: sandbox.url("corpus/watched.txt"))
        XCTAssertTrue(poll { (try? server.get("/api/search?q=\(token)"))?.object?["total"] as? Int == 0 },
                      "a file deleted from it is gone")
        let stopped = server.stop(SIGTERM)
        XCTAssertTrue(stopped.exited(0), "\(stopped)")
        XCTAssertTrue(stopped.stderr.contains("added ") && stopped.stderr.contains("watched.txt"), "one line per change: \(stopped.stderr)")
        XCTAssertTrue(stopped.stderr.contains("removed "), "\(stopped.stderr)")
    }

    /// True once `condition` holds, trying for up to a minute (a loaded machine is slow; what
    /// is asserted is that it happens, not how soon).
    private func poll(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if condition() { return true }
            pause(0.1)
        }
        return condition()
    }

    // MARK: - Pages

    func testSearchPageAndReleasePage() throws {
        try indexSamples()
        let server = try serve()
        let home = try server.get("/")
        XCTAssertEqual(home.status, 200)
        XCTAssertTrue(home.text.contains("<label for=\"q\">"), "the query box has a label")
        XCTAssertTrue(home.text.contains("5 releases"), "\(home)")

        let page = try server.get("/?q=osaka")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertTrue(page.text.contains("<mark>Osaka</mark>"), "highlighted passages")
        XCTAssertTrue(page.text.contains("more passages</summary>"), "+N more passages")
        XCTAssertTrue(page.text.contains("aria-label=\"Refine\""), "facets")
        XCTAssertTrue(page.text.contains("1–3 of 3 releases"))

        let suggestion = try server.get("/?q=Yokohma")
        XCTAssertTrue(suggestion.text.contains("showing matches for <strong>yokohama</strong>"), "did you mean")

        // Text from the query is escaped wherever it is shown.
        let hostile = try server.get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E+osaka")
        XCTAssertEqual(hostile.status, 200)
        XCTAssertFalse(hostile.text.contains("<script>alert"), "the query is escaped")
        XCTAssertTrue(hostile.text.contains("&lt;script&gt;"))

        // Pages: 3 matches at 10 a page need none; a page past the end says so.
        XCTAssertFalse(page.text.contains("rel=\"next\""))
        XCTAssertEqual(try server.get("/?q=osaka&page=2").status, 200)
        XCTAssertEqual(try server.get("/?q=osaka&page=0").status, 400)

        // The release page: the whole release, the hit passage marked, the query's words lit.
        let link = try XCTUnwrap(page.text.range(of: "href=\"/releases/").map { page.text[$0.upperBound...].prefix { $0 != "\"" } })
        let target = "/releases/" + link.replacingOccurrences(of: "&amp;", with: "&").split(separator: "#")[0]
        let release = try server.get(String(target))
        XCTAssertEqual(release.status, 200, "\(target): \(release)")
        XCTAssertTrue(release.text.contains("hit-passage"), "the hit passage is marked")
        XCTAssertTrue(release.text.contains("<mark>Osaka</mark>"))
        XCTAssertTrue(release.text.contains("Back to the results"))

        XCTAssertEqual(try server.get("/assets/presse.css").status, 200)
        XCTAssertEqual(try server.get("/assets/presse.js").status, 200)
    }

    /// A real browser loads the page, searches, and sees highlighted passages. With
    /// $PRESSE_SCREENSHOT, its screenshot is written there (the README's docs/serve.png).
    func testHeadlessBrowserShowsHighlightedPassages() throws {
        let browser = try XCTUnwrap(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                    "Debian's chromium is missing: scripts/install-deps installs it")
        try indexSamples()
        let server = try serve()
        let url = "http://127.0.0.1:\(server.port)/?q=renewing+partnerships"
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                      "--user-data-dir=" + sandbox.url("chromium").path]
        let dom = try runProgram(browser, common + ["--dump-dom", url])
        XCTAssertTrue(dom.contains("<mark>"), "highlighted passages in the browser's DOM: \(dom.prefix(2_000))")
        XCTAssertTrue(dom.contains("Osaka and Munich continue their successful partnership"))
        let shot = sandbox.url("serve.png")
        _ = try runProgram(browser, common + ["--screenshot=" + shot.path, "--window-size=1100,1100", "--hide-scrollbars", url])
        let png = try Data(contentsOf: shot)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG")
        if let keep = ProcessInfo.processInfo.environment["PRESSE_SCREENSHOT"], !keep.isEmpty {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: shot, to: URL(fileURLWithPath: keep))
        }
    }

    private func runProgram(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = sandbox.url("browser-\(UUID().uuidString.prefix(6)).out")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning && Date() < deadline { pause(0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try handle.close()
        return String(decoding: try Data(contentsOf: out), as: UTF8.self)
    }

    // MARK: - Start and stop

    func testShutdownOnSIGINTAndStartErrors() throws {
        try indexSamples()
        let server = try serve()
        XCTAssertEqual(try server.get("/healthz").status, 200)
        let stopped = server.stop(SIGINT)
        XCTAssertTrue(stopped.exited(0), "SIGINT ends the server gracefully: \(stopped)")

        // A port in use: exit status 6 with one line.
        let first = try serve()
        let second = try sandbox.run(["serve", "--index", sandbox.index.path, "--port", String(first.port)], timeout: 30)
        XCTAssertTrue(second.exited(6), "\(second)")
        XCTAssertTrue(second.stderr.contains("presse: cannot serve"), "\(second)")

        let usage = try sandbox.run(["serve", "--allow-writes"], timeout: 30)
        XCTAssertTrue(usage.exited(2), "\(usage)")
        XCTAssertTrue(usage.stderr.hasPrefix("presse: "), "\(usage)")

        // Another host than loopback is served only with a warning.
        let wide = try RunningServer(sandbox, ["--index", sandbox.index.path, "--host", "0.0.0.0"])
        servers.append(wide)
        let result = wide.stop()
        XCTAssertTrue(result.stderr.contains("warning: listening on 0.0.0.0"), "\(result)")
    }
}
