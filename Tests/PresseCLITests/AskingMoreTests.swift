import Foundation
import XCTest

/// Issue 14 through the command line: date ranges and sorting, pagination, facets counted per
/// release, "did you mean" in each language, synonyms, and the dates of `stats`; and that
/// adding, replacing and removing releases keep facets, dates and spelling exact.
final class AskingMoreTests: XCTestCase {
    private var sandbox: Sandbox!

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-asking")
    }

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    private func ask(_ arguments: [String], status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> SearchOutput {
        let result = try sandbox.run(["search", "--index", sandbox.index.path, "--json"] + arguments)
        XCTAssertTrue(result.exited(status), "\(result)", file: file, line: line)
        XCTAssertEqual(result.stdoutLines.count, 1, "\(result)", file: file, line: line)
        return try JSONDecoder().decode(SearchOutput.self, from: Data((result.stdoutLines.first ?? "").utf8))
    }

    private func index(_ folders: String...) throws {
        let result = try sandbox.run(["index", "--index", sandbox.index.path] + folders)
        XCTAssertTrue(result.exited(0), "\(result)")
    }

    /// Five releases about a cluster, each dated by its text, one a year from 2019 to 2023,
    /// in two source folders.
    private func writeDatedReleases() throws {
        let releases = [("biom/a.txt", "2021-05-04"), ("biom/b.txt", "2019-02-01"), ("lyon/c.txt", "2023-11-30"),
                        ("lyon/d.txt", "2020-07-14"), ("biom/e.txt", "2022-03-15")]
        for (name, date) in releases {
            _ = try sandbox.write("corpus/\(name)", """
                Cluster news \(name)

                Published: \(date)

                The biotech cluster signed a partnership with its neighbours. The cluster grows.
                """)
        }
    }

    // MARK: - Facets

    func testFacetsCountEachSampleReleaseOnce() throws {
        _ = try sandbox.copySamples(to: "corpus")
        try index("corpus")
        let answer = try ask(["--facets", "Osaka"])
        let facets = try XCTUnwrap(answer.facets)
        XCTAssertTrue(answer.total_exact)
        XCTAssertEqual(answer.hits.count, answer.total)
        XCTAssertEqual(facets.source, ["corpus": answer.total], "one source folder, each release once")
        XCTAssertEqual(facets.year.values.reduce(0, +), answer.total, "one year per release")
        // Each release counts once in each language it has passages in (Osaka's releases:
        // the English one with a German "Über uns", the French one, the Italian cluster's).
        XCTAssertEqual(facets.lang["fr"], 1)
        XCTAssertEqual(facets.lang["de"], 1)
        XCTAssertEqual(facets.lang["en"], answer.total - 1)

        let text = try sandbox.run("search", "--index", sandbox.index.path, "--facets", "Osaka")
        XCTAssertTrue(text.exited(0), "\(text)")
        XCTAssertTrue(text.stdout.contains("\nreleases by\n"), "\(text)")
        XCTAssertTrue(text.stdout.contains("\n  source  corpus \(answer.total)\n"), "\(text)")
    }

    func testAReleaseWithTenMatchingPassagesCountsOnce() throws {
        let paragraphs = (1...10).map { "Paragraph \($0) says that the zebrafish model works in study number \($0)." }
        _ = try sandbox.write("corpus/fish/ten.txt", "Zebrafish results\n\n" + paragraphs.joined(separator: "\n\n"))
        _ = try sandbox.write("corpus/fish/one.txt", "Other news\n\nOne zebrafish was seen.")
        try index("corpus")
        let passages = try ask(["--facets", "--all-passages", "--limit", "50", "zebrafish"])
        XCTAssertGreaterThanOrEqual(passages.total, 11, "the passages are counted")
        XCTAssertEqual(passages.facets?.source, ["fish": 2], "the releases are counted")
        XCTAssertEqual(passages.facets?.lang, ["en": 2])
        let releases = try ask(["--facets", "zebrafish"])
        XCTAssertEqual(releases.total, 2)
        XCTAssertEqual(releases.facets?.source, ["fish": 2])
    }

    // MARK: - Dates, sorting, pages

    func testDateRangesAndSortingByDate() throws {
        try writeDatedReleases()
        try index("corpus")
        XCTAssertEqual(try ask(["--sort", "date", "cluster"]).dates,
                       ["2023-11-30", "2022-03-15", "2021-05-04", "2020-07-14", "2019-02-01"])
        XCTAssertEqual(try ask(["--sort", "-date", "cluster"]).dates,
                       ["2019-02-01", "2020-07-14", "2021-05-04", "2022-03-15", "2023-11-30"])
        XCTAssertEqual(try ask(["--sort", "date", "cluster date:2021..2022"]).dates, ["2022-03-15", "2021-05-04"])
        XCTAssertEqual(try ask(["--sort", "date", "cluster date:2022-03..2023-11"]).dates, ["2023-11-30", "2022-03-15"])
        XCTAssertEqual(try ask(["--sort", "-date", "date:..2020 cluster"]).dates, ["2019-02-01", "2020-07-14"])
        XCTAssertEqual(try ask(["date:2022"]).dates, ["2022-03-15"], "a date range alone lists its releases")
        XCTAssertEqual(try ask(["--sort", "date", "--since", "2020-08", "--until", "2022", "cluster"]).dates,
                       ["2022-03-15", "2021-05-04"])
        XCTAssertEqual(try ask(["--sort", "date", "--since", "2022-03-15"]).dates, ["2023-11-30", "2022-03-15"],
                       "--since alone lists the releases from that day")
        let none = try ask(["cluster date:2030"], status: 1)
        XCTAssertEqual(none.total, 0)

        for bad in [["cluster date:2022-13"], ["cluster", "date:2021..2019"], ["--since", "2021-02-30", "cluster"],
                    ["--until", "soon", "cluster"], ["--sort", "newest", "cluster"], ["--offset", "-1", "cluster"]] {
            let result = try sandbox.run(["search", "--index", sandbox.index.path] + bad)
            XCTAssertTrue(result.exited(2), "\(bad): \(result)")
            XCTAssertEqual(result.stderrLines.count, 1, "\(bad): \(result)")
            XCTAssertTrue(result.stderr.hasPrefix("presse: "), "\(result)")
            XCTAssertTrue(result.stdout.isEmpty, "\(result)")
        }
    }

    func testPagesWithOffsetAndLimit() throws {
        try writeDatedReleases()
        try index("corpus")
        let all = try ask(["--sort", "date", "cluster"])
        XCTAssertEqual(all.total, 5)
        XCTAssertTrue(all.total_exact)
        let first = try ask(["--sort", "date", "--limit", "2", "cluster"])
        let second = try ask(["--sort", "date", "--limit", "2", "--offset", "2", "cluster"])
        let last = try ask(["--sort", "date", "--limit", "2", "--offset", "4", "cluster"])
        XCTAssertEqual(second.offset, 2)
        XCTAssertEqual(second.limit, 2)
        XCTAssertEqual(second.total, 5)
        XCTAssertEqual(second.hits.map(\.rank), [3, 4])
        XCTAssertEqual(first.paths + second.paths + last.paths, all.paths)
        let text = try sandbox.run("search", "--index", sandbox.index.path, "--sort", "date", "--limit", "2", "--offset", "2", "cluster")
        XCTAssertTrue(text.stdout.hasSuffix("hits 3-4 of 5 matches\n"), "\(text)")
    }

    // MARK: - Did you mean

    func testSampleCorpusTyposAndFolding() throws {
        _ = try sandbox.copySamples(to: "corpus")
        try index("corpus")
        // Folding: no suggestion needed.
        let direct = try sandbox.run("search", "--index", sandbox.index.path, "Lyonbiopole")
        XCTAssertTrue(direct.exited(0), "\(direct)")
        XCTAssertTrue(direct.stdout.contains("corpus/003_e2dcaa9c9b2fc9a4.txt"), "\(direct)")
        XCTAssertFalse(direct.stderr.contains("did you mean"), "\(direct)")
        // A typo: the suggestion's results, said so.
        let typo = try sandbox.run("search", "--index", sandbox.index.path, "Yokohma")
        XCTAssertTrue(typo.exited(0), "\(typo)")
        XCTAssertEqual(typo.stderr, "did you mean: yokohama\n")
        XCTAssertTrue(typo.stdout.hasPrefix("no matches for Yokohma; showing matches for yokohama\n"), "\(typo)")
        XCTAssertTrue(typo.stdout.contains("corpus/000_f5fcedb73f7cb6a5.txt"), "\(typo)")
        let json = try ask(["Yokohma"])
        XCTAssertEqual(json.suggestion, "yokohama")
        XCTAssertEqual(json.suggestion_shown, true)
        XCTAssertEqual(Set(json.paths), ["corpus/000_f5fcedb73f7cb6a5.txt", "corpus/004_2ded532425e893fb.txt"])
        // A batch in text: each suggestion on standard error, naming its query.
        _ = try sandbox.write("typos.txt", "Lyonbiopole\nYokohma\n")
        let batch = try sandbox.run("search", "--index", sandbox.index.path, "--batch", sandbox.url("typos.txt").path)
        XCTAssertTrue(batch.exited(0), "\(batch)")
        XCTAssertEqual(batch.stderr, "did you mean: yokohama (Yokohma)\n")
        XCTAssertTrue(batch.stdout.contains("# Yokohma\nno matches for Yokohma; showing matches for yokohama\n"), "\(batch)")
        // Turned off.
        let off = try sandbox.run("search", "--index", sandbox.index.path, "--no-suggest", "Yokohma")
        XCTAssertTrue(off.exited(1), "\(off)")
        XCTAssertTrue(off.stderr.isEmpty, "\(off)")
        // A word found in the index is not corrected, a known word beside a typo keeps the
        // query's own results and still gets the suggestion.
        XCTAssertNil(try ask(["partnership"]).suggestion)
        let mixed = try ask(["osaka yokohma"])
        XCTAssertEqual(mixed.suggestion, "osaka yokohama")
        XCTAssertNil(mixed.suggestion_shown)
    }

    func testSuggestionsComeFromTheQuerysLanguage() throws {
        _ = try sandbox.write("corpus/fr/a.txt", "Un partenariat signé\n\nLe partenariat entre les deux régions est renouvelé pour deux ans.")
        _ = try sandbox.write("corpus/fr/b.txt", "Nouveau partenariat\n\nCe partenariat renforce la coopération entre les entreprises françaises.")
        _ = try sandbox.write("corpus/en/a.txt", "Renewed cooperation\n\nThe cooperation between the two regions was renewed for two years.")
        _ = try sandbox.write("corpus/en/b.txt", "More cooperation\n\nThis cooperation strengthens the companies of both regions.")
        _ = try sandbox.write("corpus/en/c.txt", "A single word\n\nThe marmalade was mentioned in one release only.")
        try index("corpus")
        XCTAssertEqual(try ask(["partenriat"]).suggestion, "partenariat")
        XCTAssertEqual(try ask(["--lang", "fr", "partenriat"]).suggestion, "partenariat")
        XCTAssertNil(try ask(["--lang", "en", "partenriat"], status: 1).suggestion, "no English word is close")
        XCTAssertEqual(try ask(["--lang", "en", "cooperatoin"]).suggestion, "cooperation")
        // "cooperation" is a French word too, but no French passage has it (coopération is
        // folded to "cooperation" in French passages: the French release has it once only).
        XCTAssertNil(try ask(["--lang", "fr", "cooperatoin"], status: 1).suggestion)
        XCTAssertNil(try ask(["marmelade"], status: 1).suggestion, "a word of one release is not suggested")
    }

    func testSpellingFacetsAndDatesFollowAddReplaceAndRemove() throws {
        let a = try sandbox.write("corpus/air/a.txt", "Airship news\n\nPublished: 2021-04-01\n\nThe zeppelin landed in Friedrichshafen.")
        let b = try sandbox.write("corpus/air/b.txt", "More airships\n\nPublished: 2022-04-01\n\nA second zeppelin was built.")
        try index("corpus")
        XCTAssertEqual(try ask(["zepelin"]).suggestion, "zeppelin")
        var facets = try XCTUnwrap(try ask(["--facets", "zeppelin"]).facets)
        XCTAssertEqual(facets.year, ["2021": 1, "2022": 1])
        XCTAssertEqual(facets.source, ["air": 2])

        // Removed: the word is in one release only, so it is no longer suggested.
        XCTAssertTrue(try sandbox.run("remove", "--index", sandbox.index.path, b.path).exited(0))
        XCTAssertNil(try ask(["zepelin"], status: 1).suggestion)
        facets = try XCTUnwrap(try ask(["--facets", "zeppelin"]).facets)
        XCTAssertEqual(facets.year, ["2021": 1])
        XCTAssertEqual(facets.source, ["air": 1])

        // Added again (from another folder), then replaced without the word and with another date.
        let c = try sandbox.write("corpus/sky/c.txt", "Sky news\n\nPublished: 2023-01-01\n\nThe zeppelin flew over the lake.")
        XCTAssertTrue(try sandbox.run("add", "--index", sandbox.index.path, c.path).exited(0))
        XCTAssertEqual(try ask(["zepelin"]).suggestion, "zeppelin")
        facets = try XCTUnwrap(try ask(["--facets", "zeppelin"]).facets)
        XCTAssertEqual(facets.year, ["2021": 1, "2023": 1])
        XCTAssertEqual(facets.source, ["air": 1, "sky": 1])

        _ = try sandbox.write("corpus/sky/c.txt", "Sky news\n\nPublished: 2024-06-01\n\nThe balloon flew over the lake.")
        XCTAssertTrue(try sandbox.run("add", "--index", sandbox.index.path, c.path).exited(0))
        XCTAssertNil(try ask(["zepelin"], status: 1).suggestion)
        XCTAssertEqual(try ask(["--facets", "lake"]).facets?.year, ["2024": 1])
        XCTAssertEqual(try ask(["date:2024"]).paths, ["corpus/sky/c.txt"])
        XCTAssertEqual(try ask(["date:2023"], status: 1).total, 0)

        // Replaced again with the word: suggested again; the stats follow.
        _ = try sandbox.write("corpus/sky/c.txt", "Sky news\n\nPublished: 2024-06-01\n\nThe zeppelin and the balloon.")
        XCTAssertTrue(try sandbox.run("add", "--index", sandbox.index.path, c.path).exited(0))
        XCTAssertEqual(try ask(["zepelin"]).suggestion, "zeppelin")
        let stats = try sandbox.run("stats", "--index", sandbox.index.path)
        XCTAssertTrue(stats.stdout.contains("\ndates        2021-04-01 to 2024-06-01\n  2021       1\n  2024       1\n"), "\(stats)")
        _ = a
    }

    /// The parallel build's shards each keep their own spelling data (a word seen once in each
    /// shard is a singleton in both): merged, it must suggest and count as one writer's does.
    func testParallelBuildSuggestsAndCountsAsOneWriterDoes() throws {
        try sandbox.unpackFixture("bench-slice-2100.tar.gz")
        let one = sandbox.url("one"), two = sandbox.url("two")
        XCTAssertTrue(try sandbox.run(["index", "--index", one.path, "--jobs", "1", "corpus"]).exited(0))
        // Synonyms given to the empty index survive its first, parallel, build.
        XCTAssertTrue(try sandbox.run(["synonyms", "add", "--index", two.path, "pkg", "package"]).exited(0))
        XCTAssertTrue(try sandbox.run(["index", "--index", two.path, "--jobs", "2", "corpus"]).exited(0))
        XCTAssertEqual(try String(contentsOf: two.appendingPathComponent("XAPIANDB"), encoding: .utf8), "glass db-2\n")
        XCTAssertEqual(try sandbox.run(["synonyms", "list", "--index", two.path]).stdout, "pkg = package\n")
        XCTAssertTrue(try sandbox.run(["synonyms", "remove", "--index", two.path, "pkg"]).exited(0))
        // Each query with a letter dropped from its longer words: typos.
        let queries = try String(contentsOf: sandbox.url("corpus.queries.tsv"), encoding: .utf8)
        let typos = queries.split(separator: "\n").map { line in
            line.split(separator: "\t").last!.split(separator: " ").map { word in
                word.count >= 6 ? String(word.prefix(2) + word.dropFirst(3)) : String(word)
            }.joined(separator: " ")
        }
        _ = try sandbox.write("typos.tsv", typos.joined(separator: "\n") + "\n")
        func answers(_ index: URL) throws -> [SearchOutput] {
            let result = try sandbox.run(["search", "--index", index.path, "--batch", "typos.tsv", "--json", "--facets", "--limit", "3"])
            XCTAssertTrue(result.exited(0), "\(result)")
            return try result.stdoutLines.map { try JSONDecoder().decode(SearchOutput.self, from: Data($0.utf8)) }
        }
        let serial = try answers(one), parallel = try answers(two)
        XCTAssertEqual(serial.count, typos.count)
        XCTAssertEqual(serial.map(\.suggestion), parallel.map(\.suggestion))
        XCTAssertEqual(serial.map { $0.facets?.lang ?? [:] }, parallel.map { $0.facets?.lang ?? [:] })
        XCTAssertEqual(serial.map { $0.facets?.source ?? [:] }, parallel.map { $0.facets?.source ?? [:] })
        XCTAssertEqual(serial.map(\.total), parallel.map(\.total))
        XCTAssertGreaterThan(serial.compactMap(\.suggestion).count, typos.count / 3, "the typos get suggestions")
    }

    // MARK: - Synonyms

    func testSynonymsAreKeptInTheIndexAndExpandedInEachLanguage() throws {
        _ = try sandbox.copySamples(to: "corpus")
        try index("corpus")
        XCTAssertTrue(try ask(["zebrafish"], status: 1).hits.isEmpty)
        let add = try sandbox.run("synonyms", "add", "--index", sandbox.index.path, "Zebrafish", "Osaka Bio Headquarters")
        XCTAssertTrue(add.exited(0), "\(add)")
        XCTAssertEqual(add.stdout, "1 synonym added\n")
        let found = try ask(["zebrafish"])
        XCTAssertTrue(found.paths.contains("corpus/002_c79c31d9bc64ada6.txt"), "\(found.paths)")
        // Stemmed in the query's language: the German plural finds the German singular.
        _ = try sandbox.write("synonyms.txt", "# abbreviations\npact = Firmengründungen, Netzwerkorganisationen\n\n")
        XCTAssertTrue(try sandbox.run("synonyms", "add", "--index", sandbox.index.path, "--file", sandbox.url("synonyms.txt").path).exited(0))
        let german = try ask(["--lang", "de", "pact"])
        XCTAssertEqual(german.paths, ["corpus/002_c79c31d9bc64ada6.txt"])
        let list = try sandbox.run("synonyms", "list", "--index", sandbox.index.path)
        XCTAssertEqual(list.stdout, "pact = firmengrundungen, netzwerkorganisationen\nzebrafish = osaka bio headquarters\n")
        // A rebuild reads the files again, and keeps what only the user gave.
        let rebuilt = try sandbox.run("index", "--index", sandbox.index.path, "--rebuild", "corpus")
        XCTAssertTrue(rebuilt.exited(0), "\(rebuilt)")
        XCTAssertEqual(try sandbox.run("synonyms", "list", "--index", sandbox.index.path).stdout, list.stdout)
        XCTAssertEqual(try ask(["--lang", "de", "pact"]).paths, ["corpus/002_c79c31d9bc64ada6.txt"])

        let removed = try sandbox.run("synonyms", "remove", "--index", sandbox.index.path, "zebrafish")
        XCTAssertTrue(removed.exited(0), "\(removed)")
        XCTAssertTrue(try ask(["zebrafish"], status: 1).hits.isEmpty)
        XCTAssertTrue(try sandbox.run("synonyms", "remove", "--index", sandbox.index.path, "zebrafish").exited(1))

        _ = try sandbox.write("bad.txt", "pact = treaty\nno equals sign here\n")
        let bad = try sandbox.run("synonyms", "add", "--index", sandbox.index.path, "--file", sandbox.url("bad.txt").path)
        XCTAssertTrue(bad.exited(2), "\(bad)")
        XCTAssertEqual(bad.stderrLines.count, 1, "\(bad)")
        XCTAssertTrue(bad.stderr.contains("line 2"), "\(bad)")
        let two = try sandbox.run("synonyms", "add", "--index", sandbox.index.path, "two words", "x")
        XCTAssertTrue(two.exited(2), "\(two)")
    }

    // MARK: - Batch

    func testBatchTakesTheNewOptions() throws {
        try writeDatedReleases()
        try index("corpus")
        _ = try sandbox.write("queries.tsv", "cluster\nen\tpartnership date:2021..\n")
        let result = try sandbox.run("search", "--index", sandbox.index.path, "--batch", sandbox.url("queries.tsv").path,
                                     "--json", "--facets", "--sort", "-date", "--since", "2020")
        XCTAssertTrue(result.exited(0), "\(result)")
        let answers = try result.stdoutLines.map { try JSONDecoder().decode(SearchOutput.self, from: Data($0.utf8)) }
        XCTAssertEqual(answers.map(\.dates), [["2020-07-14", "2021-05-04", "2022-03-15", "2023-11-30"],
                                              ["2021-05-04", "2022-03-15", "2023-11-30"]])
        XCTAssertEqual(answers.map { $0.facets?.source ?? [:] }, [["biom": 2, "lyon": 2], ["biom": 2, "lyon": 1]])
    }
}
