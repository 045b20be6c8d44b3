import Foundation
import XCTest

/// Searches the five sample releases through `presse search --json`, in the three languages.
final class SampleCorpusSearchTests: XCTestCase {
    private var sandbox: Sandbox!
    /// The copies of the sample releases, by file name.
    private var releases: [String: URL] = [:]

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-search")
        for copy in try sandbox.copySamples(to: "corpus") { releases[copy.lastPathComponent] = copy }
        let indexed = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(indexed.exited(0), "indexing the samples failed: \(indexed)")
        assertSummary(indexed, added: 5, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        XCTAssertEqual(indexed.stderr, "", "indexing the samples printed warnings: \(indexed)")
    }

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    /// `presse search --index DIR WORDS` takes a lean path past ArgumentParser (OneShotSearch);
    /// `--index=DIR` goes through ArgumentParser. Both must print the same bytes and exit with
    /// the same status, and whatever the lean path does not know falls back to ArgumentParser.
    func testLeanOneShotPathAnswersAsArgumentParserDoes() throws {
        let index = sandbox.index.path
        let cases: [([String], [String])] = [
            (["--index", index, "osaka", "partnership"], ["--index=\(index)", "osaka", "partnership"]),
            (["--index", index, "--lang", "de", "-l", "2", "--json", "biom"], ["--index=\(index)", "--lang=de", "--limit=2", "--json", "biom"]),
            (["--index", index, "--all-passages", "--limit", "3", "cluster"], ["--all-passages", "--limit=3", "--index=\(index)", "cluster"]),
            (["--index", index, "zzzznotaword"], ["--index=\(index)", "zzzznotaword"]),
            (["--index", index, "--limit", "0", "osaka"], ["--index=\(index)", "--limit=0", "osaka"]),
            (["--index", index, "--from", "de", "--json", "Zusammenarbeit"], ["--index=\(index)", "--from=de", "--json", "Zusammenarbeit"]),
            (["--index", index, "--no-translate", "Zusammenarbeit"], ["--index=\(index)", "--no-translate", "Zusammenarbeit"]),
        ]
        for (lean, parsed) in cases {
            let a = try sandbox.run(["search"] + lean), b = try sandbox.run(["search"] + parsed)
            XCTAssertTrue(a.exited(in: [0, 1]), "\(a)")
            XCTAssertEqual(a.status, b.status, "\(lean) vs \(parsed)")
            XCTAssertEqual(a.stdout, b.stdout, "\(lean) vs \(parsed)")
            XCTAssertEqual(a.stderr, b.stderr, "\(lean) vs \(parsed)")
        }
        // Not for the lean path: ArgumentParser's own checks answer, in one line, status 2.
        for arguments in [["--lang", "xx", "osaka"], ["--limit", "-1", "osaka"], ["--limit", "3", "--limit", "4", "osaka"], ["--bogus", "osaka"], ["  "]] {
            let result = try sandbox.run(["search", "--index", index] + arguments)
            if arguments.first == "--limit" && arguments.count == 5 {
                XCTAssertTrue(result.exited(0), "a repeated option: the last one counts, as ArgumentParser has it: \(result)")
                continue
            }
            XCTAssertTrue(result.exited(2), "\(arguments): \(result)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "one line: \(result)")
        }
    }

    // MARK: - Helpers

    private func search(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> SearchOutput {
        let (result, output) = try searchJSON(sandbox, arguments, file: file, line: line)
        XCTAssertTrue(result.exited(0), "expected hits: \(result)", file: file, line: line)
        XCTAssertEqual(result.stderr, "", "a plain query printed a warning: \(result)", file: file, line: line)
        checkHits(output, file: file, line: line)
        return output
    }

    /// What holds for every hit: a known release, a passage shorter than the release and
    /// found at its start/end offsets, highlights that are words of the query.
    private func checkHits(_ output: SearchOutput, file: StaticString = #filePath, line: UInt = #line) {
        for (position, hit) in output.hits.enumerated() {
            XCTAssertEqual(hit.rank, position + 1, "ranks count from 1 in order", file: file, line: line)
            let name = URL(fileURLWithPath: hit.path).lastPathComponent
            guard let release = releases[name], let bytes = try? Data(contentsOf: release) else {
                XCTFail("hit on an unknown path \(hit.path)", file: file, line: line)
                continue
            }
            XCTAssertEqual(sandbox.absolute(hit.path), release.path, "a hit names the release's path", file: file, line: line)
            XCTAssertFalse(hit.passage.isEmpty, "empty passage in \(name)", file: file, line: line)
            XCTAssertLessThan(hit.passage.utf8.count, bytes.count, "a hit shows a passage, not the whole release \(name)",
                              file: file, line: line)
            XCTAssertTrue(0 <= hit.start && hit.start < hit.end && hit.end <= bytes.count,
                          "passage offsets \(hit.start)..<\(hit.end) outside \(name) (\(bytes.count) bytes)", file: file, line: line)
            if 0 <= hit.start && hit.start < hit.end && hit.end <= bytes.count {
                XCTAssertEqual(String(decoding: bytes[hit.start..<hit.end], as: UTF8.self), hit.passage,
                               "the release's bytes at start..<end are the passage (\(name))", file: file, line: line)
            }
            XCTAssertTrue(["en", "fr", "de", "und"].contains(hit.lang), "unknown lang \(hit.lang)", file: file, line: line)
            XCTAssertFalse(hit.highlights.isEmpty && (hit.translated ?? []).isEmpty,
                           "a hit without highlights or translated words: \(hit.passage.prefix(80))", file: file, line: line)
            var previousEnd = 0
            for (pair, word) in zip(hit.highlights, hit.highlightedWords) {
                guard let word else {
                    XCTFail("highlight \(pair) is not a UTF-8 range of the passage (\(hit.passage.utf8.count) bytes)",
                            file: file, line: line)
                    continue
                }
                XCTAssertGreaterThanOrEqual(pair[0], previousEnd, "highlights overlap or are out of order: \(hit.highlights)",
                                            file: file, line: line)
                previousEnd = pair[1]
                XCTAssertTrue(isFormOfQueryWord(word, output.query),
                              "highlighted '\(word)' is not a word of the query '\(output.query)'", file: file, line: line)
            }
        }
    }

    private func name(_ hit: SearchOutput.Hit?) -> String? {
        hit.map { URL(fileURLWithPath: $0.path).lastPathComponent }
    }

    // MARK: - Queries

    func testEnglishQueryFindsMunichOsakaRelease() throws {
        let output = try search("renewing", "partnerships")
        XCTAssertEqual(output.query, "renewing partnerships")
        XCTAssertEqual(name(output.hits.first), "002_c79c31d9bc64ada6.txt")
        XCTAssertEqual(output.hits.first?.title, "Osaka and Munich continue their successful partnership")
        XCTAssertEqual(output.hits.first?.lang, "en")
    }

    func testFrenchQueryWithAccents() throws {
        let output = try search("coopérations accrues")
        XCTAssertEqual(name(output.hits.first), "003_e2dcaa9c9b2fc9a4.txt")
        XCTAssertEqual(output.hits.first?.lang, "fr")
        let words = (output.hits.first?.highlightedWords ?? []).compactMap { $0 }.map(folded)
        XCTAssertTrue(words.contains { $0.contains("cooperation") }, "the best hit highlights coopération: \(words)")
        XCTAssertTrue(words.contains { $0.hasPrefix("accru") }, "the best hit highlights accrue: \(words)")
    }

    func testFrenchQueryWithoutAccents() throws {
        let output = try search("cooperations accrues")
        XCTAssertEqual(name(output.hits.first), "003_e2dcaa9c9b2fc9a4.txt")
        XCTAssertEqual(output.hits.first?.lang, "fr")
        let words = (output.hits.first?.highlightedWords ?? []).compactMap { $0 }
        XCTAssertTrue(words.contains { folded($0).contains("cooperation") }, "highlights: \(words)")
        XCTAssertTrue(words.contains("coopération"), "the highlight is the text as written, with its accent: \(words)")
    }

    func testGermanCompoundWithAndWithoutUmlaut() throws {
        for query in ["Firmengründung", "firmengrundung"] {
            let output = try search(query)
            XCTAssertEqual(name(output.hits.first), "002_c79c31d9bc64ada6.txt", "query \(query)")
            XCTAssertEqual(output.hits.first?.lang, "de", "query \(query)")
        }
    }

    func testLanguageFilter() throws {
        let output = try search("--lang", "fr", "cooperation")
        XCTAssertEqual(name(output.hits.first), "003_e2dcaa9c9b2fc9a4.txt")
        XCTAssertEqual(Set(output.hits.map(\.lang)), ["fr"], "--lang fr gives French passages only")

        // The same word in English finds the English releases, not the French one.
        let english = try search("--lang", "en", "cooperation")
        XCTAssertEqual(Set(english.hits.map(\.lang)), ["en"])
        XCTAssertFalse(english.hits.contains { name($0) == "003_e2dcaa9c9b2fc9a4.txt" })
    }

    func testUnaccentedUberFindsGermanPassage() throws {
        let output = try search("uber")
        let german = output.hits.filter { $0.lang == "de" && $0.passage.contains("Über") }
        XCTAssertFalse(german.isEmpty, "no German passage with Über among \(output.hits.map { "\($0.lang): \($0.passage.prefix(40))" })")
        for hit in german {
            XCTAssertTrue(hit.highlightedWords.contains { $0.map(folded) == "uber" }, "Über is highlighted: \(hit.highlights)")
        }
    }

    func testGermanStopwordsDoNotMatchFrenchArticles() throws {
        // Every query is parsed in each language: French stems the German "uns" to its article
        // "un". "Über uns" asks for the German "about us" section, not every French passage.
        let output = try search("Über uns")  // checkHits: every highlight is a form of a query word
        XCTAssertEqual(output.hits.first?.lang, "de", "\(output.hits.map { "\($0.lang): \($0.passage.prefix(40))" })")
        XCTAssertFalse(output.hits.contains { $0.lang == "fr" }, "a French passage answers Über uns: \(output.hits.map(\.passage))")
    }

    func testHighlightsFollowThePassageLanguage() throws {
        // "the" is an English stopword but a word to German and French queries; an English
        // passage highlights only what its own language's query searched.
        let output = try search("the", "partnership")
        let english = output.hits.filter { $0.lang == "en" }
        XCTAssertFalse(english.isEmpty, "\(output.hits.map(\.lang))")
        for hit in english {
            let words = hit.highlightedWords.compactMap { $0 }.map(folded)
            XCTAssertTrue(words.contains { $0.hasPrefix("partnership") }, "\(words)")
            XCTAssertFalse(words.contains("the"), "an English passage highlights the stopword 'the': \(words)")
        }
    }

    func testOperatorsAreNotSearchedWhenTheSyntaxFallsBack() throws {
        let (result, output) = try searchJSON(sandbox, ["partnerships AND ("])
        XCTAssertTrue(result.exited(0), "\(result)")
        XCTAssertEqual(result.stderrLines.count, 1, "the fallback is said once: \(result)")
        XCTAssertFalse(output.hits.isEmpty, "\(result)")
        for hit in output.hits {
            let words = hit.highlightedWords.compactMap { $0 }.map(folded)
            XCTAssertFalse(words.contains("and"), "the operator AND was searched as a word: \(words)")
        }
        let (alone, nothing) = try searchJSON(sandbox, ["NOT"])
        XCTAssertTrue(alone.exited(1), "an operator alone searches nothing: \(alone)")
        XCTAssertTrue(nothing.hits.isEmpty)
    }

    func testReleaseThatLanguageDetectionCannotPlaceIsStemmedByItsStopwords() throws {
        // CLD2 gives up on this short, repetitive German description; its stopwords (für, die,
        // dieses) tell, so it is stemmed as German and found by another inflection.
        let text = "TeX Live: Dokumentationsdateien für texlive-fonts-recommended\n\n"
            + "Dieses Paket enthält die Dokumentation für texlive-fonts-recommended.\n"
        let file = try sandbox.write("extra/texlive.txt", text)
        let added = try sandbox.run("add", "--index", sandbox.index.path, file.path)
        XCTAssertTrue(added.exited(0), "\(added)")
        let (result, output) = try searchJSON(sandbox, ["--lang", "de", "Dokumentationen"])
        XCTAssertTrue(result.exited(0), "\(result)")
        XCTAssertEqual(output.hits.first.map { URL(fileURLWithPath: $0.path).lastPathComponent }, "texlive.txt", "\(result)")
        XCTAssertEqual(output.hits.first?.lang, "de")
    }

    /// German writes the part two compounds share once ("Bauabhängigkeiten und -konflikte"):
    /// after "und" or "oder" a hyphen joins the word to a compound, it does not exclude it as
    /// `-munich` does. Before, the release that answers was the one left out.
    func testAHyphenAfterUndJoinsACompoundAndExcludesNothing() throws {
        let text = "Paketwerkzeuge\n\nDieses Werkzeug prüft die Bauabhängigkeiten und die Konflikte eines Quellpakets.\n"
        let file = try sandbox.write("extra/pruefen.txt", text)
        XCTAssertTrue(try sandbox.run("add", "--index", sandbox.index.path, file.path).exited(0))
        for query in ["Bauabhängigkeiten und -konflikte prüfen", "Bauabhängigkeiten oder -Konflikte", "Bauabhängigkeiten bzw. -konflikte"] {
            let (result, output) = try searchJSON(sandbox, [query])
            XCTAssertTrue(result.exited(0), "\(query): \(result)")
            XCTAssertEqual(output.hits.first.map { URL(fileURLWithPath: $0.path).lastPathComponent }, "pruefen.txt", "\(query): \(result)")
        }
        // Without the conjunction, or after an English one, the hyphen still excludes.
        let (found, alone) = try searchJSON(sandbox, ["Bauabhängigkeiten"])
        XCTAssertTrue(alone.hits.contains { $0.path.hasSuffix("pruefen.txt") }, "the word alone finds it: \(found)")
        for query in ["Bauabhängigkeiten -konflikte", "Bauabhängigkeiten and -konflikte"] {
            let (result, output) = try searchJSON(sandbox, [query])
            XCTAssertFalse(output.hits.contains { $0.path.hasSuffix("pruefen.txt") }, "\(query) excludes the release: \(result)")
        }
    }

    func testAWordRanksInItsOwnLanguageFirst() throws {
        // A German word quoted once in an English release must not put that release before the
        // German ones that use it: a word's weight comes from how rare it is in the whole
        // index, not within the passages of one language (where the English mention is the
        // only one). Each language's words under a prefix of their own ranked it first.
        let index = try indexFiveAndOne(
            "library", five: { n in
                "Neue Öffnungszeiten der Bibliothek \(n)\n\nDie Bibliothek der Universität öffnet ab dem nächsten "
                    + "Monat auch am Samstag. Studierende und Gäste können dort Bücher ausleihen, in Ruhe arbeiten "
                    + "und die Bibliothek für Gruppenarbeit nutzen. Die Verwaltung freut sich über die große Nachfrage.\n"
            },
            one: "Children's reading room opens in Munich\n\nThe city of Munich opens a new reading room for "
                + "children in the Bibliothek am Gasteig this spring. Families can borrow books, join story hours "
                + "and meet authors every week during the school holidays.\n")
        let (result, output) = try searchJSON(sandbox, ["--limit", "6", "Bibliothek"], index: index)
        XCTAssertTrue(result.exited(0), "\(result)")
        XCTAssertEqual(output.hits.map(\.lang), ["de", "de", "de", "de", "de", "en"], "\(output.paths)")
    }

    func testAnUndeterminedPassageWeighsItsWordsAsTheIndexDoes() throws {
        // A Spanish release (none of the three languages) that mentions "software" once must
        // not come before the English releases about software: indexed unstemmed, its words
        // were a term space of their own where "software" was as rare as can be.
        let index = try indexFiveAndOne(
            "software", five: { n in
                "Cluster members release open software \(n)\n\nThe biotech cluster publishes its laboratory "
                    + "software as open source this spring. Member companies can use the software to track samples, "
                    + "share protocols and plan experiments together with their partners.\n"
            },
            one: "LinuxCNC es un sistema de control numérico para máquinas herramientas, con movimiento en tiempo "
                + "real para fresadoras, tornos y robots, y el software funciona en ordenadores personales.\n")
        let (result, output) = try searchJSON(sandbox, ["--limit", "6", "software"], index: index)
        XCTAssertTrue(result.exited(0), "\(result)")
        XCTAssertEqual(output.hits.map(\.lang), ["en", "en", "en", "en", "en", "und"], "\(output.paths)")
        XCTAssertFalse(output.hits.last?.highlights.isEmpty ?? true, "the undetermined passage is highlighted too")
        let (_, spanish) = try searchJSON(sandbox, ["fresadoras"], index: index)
        XCTAssertEqual(spanish.hits.first?.lang, "und", "and still found by its own words")
    }

    /// Indexes, apart from the sample corpus, five releases made by `five` and one more, all
    /// in the folder `name`; returns the index.
    private func indexFiveAndOne(_ name: String, five: (Int) -> String, one: String) throws -> URL {
        for n in 1...5 { _ = try sandbox.write("\(name)/\(n).txt", five(n)) }
        _ = try sandbox.write("\(name)/one.txt", one)
        let index = sandbox.root.appendingPathComponent(name + "-index")
        let indexed = try sandbox.run("index", "--index", index.path, "--quiet", sandbox.root.appendingPathComponent(name).path)
        XCTAssertTrue(indexed.exited(0), "\(indexed)")
        return index
    }

    func testStopwordsDoNotFindUndeterminedPassages() throws {
        // Spanish: none of the three languages, so indexed unstemmed as "und". Its few
        // passages make each of its words rare, so highly weighted: "de" alone must not put it
        // before the French release for "coopération de".
        let file = try sandbox.write("extra/cnc.txt", "LinuxCNC es un controlador de movimiento para máquinas herramientas, "
            + "de fresado y de torneado, con control de movimiento en tiempo real para robots.\n")
        let added = try sandbox.run("add", "--index", sandbox.index.path, file.path)
        XCTAssertTrue(added.exited(0), "\(added)")
        XCTAssertGreaterThan(try stats(sandbox).languages["und"] ?? 0, 0, "the Spanish release is undetermined")
        let (_, spanish) = try searchJSON(sandbox, ["controlador"])
        XCTAssertEqual(spanish.hits.first?.lang, "und", "undetermined passages are still found by their words")
        // In the query's own words (translated, "coopération" also finds the English releases
        // about cooperation, which may rank above it).
        let (result, output) = try searchJSON(sandbox, ["--no-translate", "coopération de"])
        XCTAssertTrue(result.exited(0), "\(result)")
        XCTAssertEqual(output.hits.first?.lang, "fr", "\(output.hits.map { "\($0.lang): \($0.passage.prefix(40))" })")
        XCTAssertFalse(output.hits.contains { $0.lang == "und" }, "found by the stopword 'de' alone: \(output.paths)")
        let (_, translated) = try searchJSON(sandbox, ["coopération de"])
        XCTAssertTrue(translated.hits.contains { $0.lang == "fr" }, "\(translated.paths)")
        XCTAssertFalse(translated.hits.contains { $0.lang == "und" }, "found by the stopword 'de' alone: \(translated.paths)")
    }

    func testOneHitPerReleaseUnlessAllPassages() throws {
        let collapsed = try search("--limit", "100", "osaka")
        XCTAssertEqual(Set(collapsed.paths).count, collapsed.hits.count, "one hit per release by default: \(collapsed.paths)")
        XCTAssertLessThanOrEqual(collapsed.hits.count, 5)
        XCTAssertTrue(collapsed.hits.contains { $0.more_passages > 0 }, "collapsed hits count their other passages")

        let all = try search("--all-passages", "--limit", "100", "osaka")
        XCTAssertGreaterThan(all.hits.count, 5, "--all-passages gives more hits than there are releases")
        XCTAssertEqual(Set(all.paths), Set(collapsed.paths), "the same releases match either way")
        let pairs = all.hits.map { "\($0.path)#\($0.passage_index)" }
        XCTAssertEqual(Set(pairs).count, pairs.count, "no passage twice: \(pairs)")
        // Collapsed: the release's hit plus its more_passages are its passages that match.
        for hit in collapsed.hits {
            XCTAssertEqual(hit.more_passages + 1, all.hits.filter { $0.path == hit.path }.count,
                           "more_passages of \(hit.path)")
        }
    }

    func testLimit() throws {
        let output = try search("--all-passages", "--limit", "2", "osaka")
        XCTAssertEqual(output.hits.count, 2)
        XCTAssertGreaterThan(output.total, 2, "total counts beyond the limit")
        // On a small index the count is exact, not Xapian's estimate: as many as are listed.
        for query in ["coopérations accrues", "osaka", "partnership"] {
            let one = try search("--limit", "1", query)
            let all = try search("--limit", "100", query)
            XCTAssertEqual(one.total, all.hits.count, "\(query): \(all.paths)")
            let passages = try search("--all-passages", "--limit", "1", query)
            let allPassages = try search("--all-passages", "--limit", "100", query)
            XCTAssertEqual(passages.total, allPassages.hits.count, "\(query), every passage")
        }
    }

    func testBatchQueriesAnswerInOrder() throws {
        let queries = ["renewing partnerships", "fr\tcoopération", "Firmengründung"]
        try sandbox.write("queries.txt", queries.joined(separator: "\n") + "\n")
        let result = try sandbox.run("search", "--index", sandbox.index.path, "--json", "--batch", "queries.txt")
        XCTAssertTrue(result.exited(0), "\(result)")
        let lines = result.stdoutLines
        XCTAssertEqual(lines.count, 3, "one JSON line per query: \(result)")
        let outputs = lines.compactMap { try? JSONLine.decode(SearchOutput.self, $0) }
        XCTAssertEqual(outputs.count, 3, "every line is the documented JSON: \(result)")
        guard outputs.count == 3 else { return }
        XCTAssertEqual(outputs.map(\.query), ["renewing partnerships", "coopération", "Firmengründung"])
        XCTAssertEqual(name(outputs[0].hits.first), "002_c79c31d9bc64ada6.txt")
        XCTAssertEqual(name(outputs[1].hits.first), "003_e2dcaa9c9b2fc9a4.txt")
        XCTAssertEqual(Set(outputs[1].hits.map(\.lang)), ["fr"], "the fr<TAB> line searches French only")
        XCTAssertEqual(name(outputs[2].hits.first), "002_c79c31d9bc64ada6.txt")
        XCTAssertEqual(outputs[2].hits.first?.lang, "de")
        outputs.forEach { checkHits($0) }
    }

    func testBatchOnSeveralThreadsAnswersAsOneDoes() throws {
        // More queries than two threads run ahead of the answers written (128), in three
        // languages, with failing syntax, phrases and queries that find nothing mixed in.
        let words = ["partnership", "fr\tcoopération", "de\tFirmengründung", "Osaka", "\"successful partnership\"",
                     "title:biom", "partenariat AND japon", "(((", "xylophonequagmire", "lang:de biotech", "NOT osaka", "cluster*"]
        let queries = (0..<150).map { words[$0 % words.count] }
        try sandbox.write("queries.txt", queries.joined(separator: "\n") + "\n")
        let one = try sandbox.run("search", "--index", sandbox.index.path, "--json", "--batch", "queries.txt", "--jobs", "1")
        let two = try sandbox.run("search", "--index", sandbox.index.path, "--json", "--batch", "queries.txt", "--jobs", "2")
        XCTAssertTrue(one.exited(0), "\(one)")
        XCTAssertTrue(two.exited(0), "\(two)")
        XCTAssertEqual(one.stdoutLines.count, 150, "\(one)")
        XCTAssertEqual(two.stdoutLines, one.stdoutLines, "the same answers in the same order")
        let outputs = two.stdoutLines.compactMap { try? JSONLine.decode(SearchOutput.self, $0) }
        XCTAssertEqual(outputs.map(\.query), queries.map { $0.split(separator: "\t").last.map(String.init) ?? $0 })
        XCTAssertTrue(outputs.contains { !$0.hits.isEmpty } && outputs.contains { $0.hits.isEmpty })
        for jobs in ["0", "65"] {
            let refused = try sandbox.run("search", "--index", sandbox.index.path, "--batch", "queries.txt", "--jobs", jobs)
            XCTAssertTrue(refused.exited(2), "\(refused)")
            XCTAssertTrue(refused.stderr.contains("--jobs must be between 1 and 64"), "\(refused)")
        }
        let alone = try sandbox.run("search", "--index", sandbox.index.path, "--jobs", "2", "osaka")
        XCTAssertTrue(alone.exited(2) && alone.stderr.contains("--jobs goes with --batch"), "\(alone)")
    }

    func testAFailingQueryEndsTheBatchAfterTheAnswersBeforeIt() throws {
        // Past the window the threads run ahead by (128 queries for two), with queries after
        // it already searched when it fails.
        let queries = Array(repeating: "partnership", count: 300) + ["date:2022-13-45"] + Array(repeating: "osaka", count: 300)
        try sandbox.write("queries.txt", queries.joined(separator: "\n") + "\n")
        for jobs in ["1", "2"] {
            let result = try sandbox.run("search", "--index", sandbox.index.path, "--json", "--batch", "queries.txt", "--jobs", jobs)
            XCTAssertTrue(result.exited(2), "a bad date is a usage error, not a crash: \(result.stderr)")
            XCTAssertEqual(result.stdoutLines.count, 300, "the answers before it, no more")
            XCTAssertEqual(result.stdoutLines.compactMap { try? JSONLine.decode(SearchOutput.self, $0) }.map(\.query),
                           Array(queries.prefix(300)))
            XCTAssertEqual(result.stderrLines.count, 1, "\(result)")
            XCTAssertTrue(result.stderr.contains("bad date 'date:2022-13-45'"), "\(result)")
        }
    }

    func testPureNotAndLanguageFilterStayInTheirLanguage() throws {
        // Each language's words live in a term space of their own, but a query that matches by
        // something else (everything but a word, a lang: filter) must still keep to the
        // languages searched.
        // (No word to highlight here, so not through search(), which wants highlights.)
        // A release is matched as a whole: NOT leaves out the releases that hold the word.
        let french = try searchJSON(sandbox, ["--lang", "fr", "NOT munich", "--limit", "50"]).1
        XCTAssertFalse(french.hits.isEmpty)
        XCTAssertEqual(Set(french.hits.map(\.lang)), ["fr"], "--lang fr with a pure NOT")
        XCTAssertTrue(try searchJSON(sandbox, ["--lang", "fr", "NOT osaka"]).1.hits.isEmpty, "the French release names Osaka")
        let german = try searchJSON(sandbox, ["lang:de", "--limit", "50"]).1
        XCTAssertFalse(german.hits.isEmpty)
        XCTAssertEqual(Set(german.hits.map(\.lang)), ["de"], "lang:de alone")
        let none = try searchJSON(sandbox, ["--lang", "en", "lang:de"]).1
        XCTAssertTrue(none.hits.isEmpty, "English passages only, of which none is German: \(none.hits.map(\.lang))")
    }

    func testTimingsAddEachAnswersTime() throws {
        try sandbox.write("queries.txt", "Domdey\nxylophonequagmire\n")
        let result = try sandbox.run("search", "--index", sandbox.index.path, "--json", "--timings", "--batch", "queries.txt")
        XCTAssertTrue(result.exited(0), "\(result)")
        let outputs = result.stdoutLines.compactMap { try? JSONLine.decode(SearchOutput.self, $0) }
        XCTAssertEqual(outputs.count, 2, "\(result)")
        for output in outputs {
            let took = try XCTUnwrap(output.took_ms, "took_ms in \(result)")
            XCTAssertTrue(took >= 0 && took.isFinite, "took_ms \(took)")
        }
        let plain = try search("Domdey")
        XCTAssertNil(plain.took_ms, "no took_ms without --timings")
        let textual = try sandbox.run("search", "--index", sandbox.index.path, "--timings", "Domdey")
        XCTAssertTrue(textual.exited(2), "--timings without --json is a usage error: \(textual)")
        XCTAssertEqual(textual.stderrLines.count, 1, "\(textual)")
    }

    func testNoMatchExitsOne() throws {
        let (result, output) = try searchJSON(sandbox, ["xylophonequagmire"])
        XCTAssertTrue(result.exited(1), "nothing found is exit 1: \(result)")
        XCTAssertEqual(output.hits.count, 0)
        XCTAssertEqual(output.total, 0)

        let plain = try sandbox.run("search", "--index", sandbox.index.path, "xylophonequagmire")
        XCTAssertTrue(plain.exited(1), "\(plain)")
        assertMessagesArePresse(plain)
    }

    func testPlainTextOutput() throws {
        let result = try sandbox.run("search", "--index", sandbox.index.path, "Domdey")
        XCTAssertTrue(result.exited(0), "\(result)")
        XCTAssertTrue(result.stdout.contains("Osaka and Munich continue their successful partnership"), "\(result)")
        XCTAssertTrue(result.stdout.contains("**Domdey**"), "highlights are marked in plain text: \(result)")
        XCTAssertFalse(result.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    func testBatchFileProblems() throws {
        let missing = try sandbox.run("search", "--index", sandbox.index.path, "--json", "--batch", "no-such-file.txt")
        XCTAssertTrue(missing.exited(2), "an unreadable --batch file is a usage error: \(missing)")
        XCTAssertEqual(missing.stderrLines.count, 1, "\(missing)")
        assertMessagesArePresse(missing)

        // Windows line ends and blank lines.
        try sandbox.write("crlf.txt", "Domdey\r\n\r\nde\tFirmengründung\r\n   \r\nxylophonequagmire\r\n")
        let result = try sandbox.run("search", "--index", sandbox.index.path, "--json", "--batch", "crlf.txt")
        XCTAssertTrue(result.exited(0), "\(result)")
        let outputs = result.stdoutLines.compactMap { try? JSONLine.decode(SearchOutput.self, $0) }
        XCTAssertEqual(outputs.map(\.query), ["Domdey", "Firmengründung", "xylophonequagmire"], "\(result)")
        XCTAssertEqual(outputs.map(\.hits.isEmpty), [false, false, true])
        XCTAssertEqual(outputs.dropFirst().first?.hits.first?.lang, "de")
    }

    func testIndexFromEnvironment() throws {
        // Without --index, $PRESSE_INDEX names the index.
        let result = try sandbox.run(["search", "--json", "Domdey"], environment: ["PRESSE_INDEX": sandbox.index.path])
        XCTAssertTrue(result.exited(0), "\(result)")
        let output = try XCTUnwrap(try? JSONLine.decode(SearchOutput.self, result.stdout))
        XCTAssertEqual(name(output.hits.first), "002_c79c31d9bc64ada6.txt")
        let statsResult = try sandbox.run(["stats", "--json"], environment: ["PRESSE_INDEX": sandbox.index.path])
        XCTAssertEqual((try? JSONLine.decode(StatsOutput.self, statsResult.stdout))?.releases, 5, "\(statsResult)")
        // --index wins over $PRESSE_INDEX.
        let other = try sandbox.run(["search", "--index", sandbox.url("nothing").path, "Domdey"],
                                    environment: ["PRESSE_INDEX": sandbox.index.path])
        XCTAssertTrue(other.exited(3), "\(other)")
    }

    func testStatsText() throws {
        let result = try sandbox.run("stats", "--index", sandbox.index.path)
        XCTAssertTrue(result.exited(0), "\(result)")
        XCTAssertTrue(result.stdout.contains(sandbox.index.path), "\(result)")
        let releases = result.stdoutLines.first { $0.hasPrefix("releases") }
        XCTAssertEqual(releases?.split(separator: " ").last, "5", "\(result)")
    }

    func testUsageErrors() throws {
        for arguments in [["search", "--index", sandbox.index.path],
                          ["search", "--index", sandbox.index.path, "--lang", "xx", "osaka"],
                          ["search", "--index", sandbox.index.path, "--limit", "-1", "osaka"],
                          ["frobnicate"]] {
            let result = try sandbox.run(arguments)
            XCTAssertTrue(result.exited(2), "usage errors exit 2: \(result)")
            XCTAssertEqual(result.stderrLines.count, 1, "one line on stderr: \(result)")
            assertMessagesArePresse(result)
        }
    }
}
