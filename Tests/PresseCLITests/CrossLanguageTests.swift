import Foundation
import XCTest

/// Cross-language search (issue 13) through the built `presse`: a query in one language finds
/// the releases of the others through the translation lexicon, marks the words it matched
/// through translation, and still answers without dictionaries.
final class CrossLanguageTests: XCTestCase {
    private var sandbox: Sandbox!

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-xlang")
        try sandbox.copySamples(to: "corpus")
        let indexed = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(indexed.exited(0), "indexing the samples failed: \(indexed)")
    }

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    private func name(_ hit: SearchOutput.Hit) -> String { URL(fileURLWithPath: hit.path).lastPathComponent }

    /// `presse search --json` with the real lexicon (the user's cache, built on first use).
    private func search(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> SearchOutput {
        try search(arguments, file: file, line: line)
    }

    /// The same in an environment (a lexicon of the test's own, see buildLexicon).
    private func search(_ arguments: [String], environment: [String: String] = [:],
                        file: StaticString = #filePath, line: UInt = #line) throws -> SearchOutput {
        let result = try sandbox.run(["search", "--index", sandbox.index.path, "--json"] + arguments, environment: environment)
        XCTAssertTrue(result.exited(0), "expected hits: \(result)", file: file, line: line)
        XCTAssertEqual(result.stderr, "", "a search with translation printed a warning: \(result)", file: file, line: line)
        return try XCTUnwrap(try? JSONLine.decode(SearchOutput.self, result.stdoutLines.first ?? ""),
                             "not the documented JSON: \(result)", file: file, line: line)
    }

    // MARK: - The sample queries

    func testGermanQueryFindsTheFrenchCooperationAndTheEnglishPartnerships() throws {
        let output = try search("Zusammenarbeit", "mit", "Japan")
        XCTAssertEqual(output.translated_from, ["de"], "the query is German by its words")
        let french = try XCTUnwrap(output.hits.first { name($0) == "003_e2dcaa9c9b2fc9a4.txt" }, "no French release: \(output.hits.map(\.path))")
        XCTAssertEqual(french.lang, "fr")
        let words = (french.translated ?? []).map { folded($0.word) }
        XCTAssertTrue(words.contains("japon"), "Japan is Japon in French, through translation: \(words)")
        XCTAssertTrue(output.hits.contains { name($0) == "002_c79c31d9bc64ada6.txt" && $0.lang == "en" },
                      "the English Munich–Osaka partnership: \(output.hits.map { ($0.path, $0.lang) })")
        XCTAssertTrue(output.hits.contains { name($0) == "004_2ded532425e893fb.txt" && $0.lang == "en" },
                      "the English delegation to Japan: \(output.hits.map { ($0.path, $0.lang) })")
    }

    func testEnglishQueryFindsTheGermanPassageAboutFirmengruender() throws {
        let output = try search("company", "founders")
        let german = try XCTUnwrap(output.hits.first { $0.lang == "de" }, "no German passage: \(output.hits.map(\.lang))")
        XCTAssertEqual(name(german), "002_c79c31d9bc64ada6.txt")
        XCTAssertTrue(german.passage.contains("Firmengründer"), german.passage)
        let translated = try XCTUnwrap(german.translated?.first { $0.word == "Firmengründer" }, "\(german.translated ?? [])")
        XCTAssertEqual(translated.via, "translation")
        XCTAssertEqual(translated.from, "company founders", "the dictionary's phrase, translated as one")
        // The word's bytes in the passage are the word.
        let bytes = Array(german.passage.utf8)
        XCTAssertEqual(String(decoding: bytes[translated.start..<translated.end], as: UTF8.self), "Firmengründer")
    }

    func testFrenchQueryPutsTheMunichOsakaRenewalFirst() throws {
        let output = try search("renouvellement", "du", "partenariat")
        XCTAssertEqual(output.hits.first.map(name), "002_c79c31d9bc64ada6.txt", "\(output.hits.map(\.title))")
        XCTAssertEqual(output.hits.first?.lang, "en")
        let words = (output.hits.first?.translated ?? []).map { $0.word.lowercased() }
        XCTAssertTrue(words.contains("renewal") && words.contains("partnership"), "\(words)")
    }

    // MARK: - Options

    func testNoTranslateSearchesEachLanguageInItsOwnWords() throws {
        let result = try sandbox.run(["search", "--index", sandbox.index.path, "--json", "--no-translate", "Zusammenarbeit", "mit", "Japan"])
        let output = try XCTUnwrap(try? JSONLine.decode(SearchOutput.self, result.stdoutLines.first ?? ""), "\(result)")
        XCTAssertTrue(output.hits.allSatisfy { ($0.translated ?? []).isEmpty })
        // The French release is found, if at all, by the name it shares ("EU Japan Cluster"), not
        // by its "coopération" or "Japon".
        for hit in output.hits where hit.lang == "fr" {
            let bytes = Array(hit.passage.utf8)
            let words = hit.highlights.map { folded(String(decoding: bytes[$0[0]..<$0[1]], as: UTF8.self)) }
            XCTAssertTrue(words.allSatisfy { $0 == "japan" }, "\(words)")
        }
        XCTAssertNil(output.translated_from)
    }

    func testLangFrenchWithAnEnglishQuerySearchesFrenchPassagesTranslated() throws {
        let output = try search("--lang", "fr", "renewed", "partnership")
        XCTAssertEqual(output.hits.first.map(name), "003_e2dcaa9c9b2fc9a4.txt")
        XCTAssertTrue(output.hits.allSatisfy { $0.lang == "fr" })
        XCTAssertTrue((output.hits.first?.translated ?? []).contains { folded($0.word) == "partenariat" },
                      "\(output.hits.first?.translated ?? [])")
        // Told the query is French, nothing is translated into French.
        let told = try search("--lang", "fr", "--from", "fr", "partenariat")
        XCTAssertTrue(told.hits.allSatisfy { ($0.translated ?? []).isEmpty })
    }

    func testTextOutputMarksTranslatedWords() throws {
        let result = try sandbox.run(["search", "--index", sandbox.index.path, "--lang", "de", "company", "founders"])
        XCTAssertTrue(result.exited(0), "\(result)")
        XCTAssertTrue(result.stdout.contains("__Firmengründer__"), result.stdout)
        XCTAssertTrue(result.stdout.contains("via translation: Firmengründer ← company founders"), result.stdout)
    }

    func testBadFromIsOneLineAndStatus2() throws {
        for arguments in [["--from", "xx", "osaka"], ["--from", "fr", "--no-translate", "osaka"]] {
            let result = try sandbox.run(["search", "--index", sandbox.index.path] + arguments)
            XCTAssertTrue(result.exited(2), "\(arguments): \(result)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(result)")
        }
    }

    // MARK: - Analysis (package synopses: the shape of issue 13's evaluation)

    /// Writes releases into the corpus and indexes them beside the samples.
    private func addReleases(_ releases: [(String, String)], file: StaticString = #filePath, line: UInt = #line) throws {
        for (name, text) in releases { _ = try sandbox.write("corpus/\(name)", text) }
        let indexed = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(indexed.exited(0), "indexing failed: \(indexed)", file: file, line: line)
    }

    private func translatedWords(_ hit: SearchOutput.Hit?) -> [String] { (hit?.translated ?? []).map { folded($0.word) } }

    func testSynopsisWithSeparatingDashesIsTranslated() throws {
        // " - " and " -- " separate a synopsis' parts; only "-word" excludes a word.
        let output = try search("--lang", "fr", "Zusammenarbeit", "-", "Japan")
        XCTAssertEqual(output.translated_from, ["de"], "a dash between words is no operator")
        XCTAssertEqual(output.hits.first.map(name), "003_e2dcaa9c9b2fc9a4.txt")
        XCTAssertTrue(translatedWords(output.hits.first).contains("cooperation"), "\(translatedWords(output.hits.first))")
        let result = try sandbox.run(["search", "--index", sandbox.index.path, "--json", "--lang", "fr", "--", "Zusammenarbeit", "-Japan"])
        XCTAssertTrue(result.exited(in: [0, 1]), "\(result)")
        let excluded = try XCTUnwrap(try? JSONLine.decode(SearchOutput.self, result.stdoutLines.first ?? ""), "\(result)")
        XCTAssertNil(excluded.translated_from, "-Japan excludes a word: the query keeps its own words")
    }

    func testGermanCompoundNoDictionaryHoldsIsTranslatedByItsParts() throws {
        try addReleases([("libfoo-dev.txt", """
            Development files for the libfoo image library

            This package contains the header files and the static library needed to build programs \
            against libfoo, a small library that reads and writes images.
            """)])
        let output = try search("--lang", "en", "--from", "de", "Entwicklungsdateien")
        XCTAssertEqual(output.hits.first.map(name), "libfoo-dev.txt", "\(output.hits.map(\.path))")
        let words = translatedWords(output.hits.first)
        XCTAssertTrue(words.contains("development") && words.contains("files"),
                      "Entwicklungsdateien is Entwicklung + Dateien: \(output.hits.first?.translated ?? [])")
    }

    func testPluralWithoutADirectTranslationIsTranslatedByItsStem() throws {
        // English -> French has "file" (fichier…), not "files": the plural is looked up by its stem.
        try addReleases([("libfoo-dev-fr.txt", """
            Bibliothèque de lecture d'images libfoo

            Ce paquet contient les fichiers de développement de libfoo, une petite bibliothèque \
            qui lit et écrit des images.
            """)])
        let output = try search("--lang", "fr", "--from", "en", "development", "files", "for", "libfoo")
        XCTAssertEqual(output.hits.first.map(name), "libfoo-dev-fr.txt", "\(output.hits.map(\.path))")
        let translated = output.hits.first?.translated ?? []
        XCTAssertTrue(translated.contains { folded($0.word) == "fichiers" && $0.from == "files" }, "\(translated)")
    }

    func testTheCollectionsOwnUseChoosesAmongADictionarysSenses() throws {
        // "files" has a dozen German translations, the senses of a general dictionary first
        // (Akten, Dossiers, Vorgänge, Schlangen, Briefordner...; Dateien eleventh); six are
        // searched: those most releases hold.
        var releases = [("amt.txt", """
            Die Akten des Amtes

            Die Behörde ordnet ihre Akten, Dossiers und Vorgänge in Briefordnern, Aktenordnern und \
            Sammelmappen. Vor dem Amt stehen die Bürger in langen Schlangen, und der Hausmeister \
            schärft im Keller seine Feilen.
            """)]
        for (n, what) in ["Bilder", "Texte", "Archive"].enumerated() {
            releases.append(("werkzeug-\(n).txt", """
                Ein Werkzeug für \(what)

                Das Programm liest Dateien und schreibt Dateien: es wandelt \(what) um, die in Dateien \
                auf der Festplatte liegen, und legt die neuen Dateien daneben ab.
                """))
        }
        try addReleases(releases)
        let output = try search("--lang", "de", "--from", "en", "files")
        let withDateien = output.hits.filter { translatedWords($0).contains("dateien") }
        XCTAssertEqual(Set(withDateien.map(name)), ["werkzeug-0.txt", "werkzeug-1.txt", "werkzeug-2.txt"],
                       "\(output.hits.map { (name($0), $0.translated ?? []) })")
    }

    func testCognateInTheIndexTranslatesAWordNoDictionaryHolds() throws {
        // No dictionary has "multithreaded"; its stem, "multithread", is a word of French text.
        try addReleases([("fxt-fr.txt", """
            Outils de traçage

            FxT est une bibliothèque multithread pour l'analyse de la performance des programmes \
            parallèles.
            """)])
        let output = try search("--lang", "fr", "--from", "en", "multithreaded")
        XCTAssertEqual(output.hits.first.map(name), "fxt-fr.txt", "\(output.hits.map(\.path))")
        let translated = output.hits.first?.translated ?? []
        XCTAssertTrue(translated.contains { $0.word == "multithread" && $0.from == "multithreaded" }, "\(translated)")
    }

    func testCognateBySpellingRuleTranslatesAWordWhoseStemDiffers() throws {
        // No English <-> French dictionary has "virtualization", and its stem ("virtual") is
        // not the French one ("virtualis"): the rule -ization -> -isation gives it.
        try addReleases([("qemu-fr.txt", """
            Outils de virtualisation

            QEMU est un émulateur qui permet la virtualisation complète de machines.
            """)])
        let output = try search("--lang", "fr", "--from", "en", "virtualization")
        XCTAssertEqual(output.hits.first.map(name), "qemu-fr.txt", "\(output.hits.map(\.path))")
        let translated = output.hits.first?.translated ?? []
        XCTAssertTrue(translated.contains { $0.word == "virtualisation" && $0.from == "virtualization" }, "\(translated)")
    }

    func testGermanWordsJoinedByHyphensAreAlsoFoundApart() throws {
        // "Java-Regressionstests" is a phrase to Xapian's parser; a German release writes
        // "Regressionstests für Java". Without translation: the German words' own branch.
        try addReleases([("junit4.txt", """
            JUnit

            JUnit ist ein einfacher Rahmen, um wiederholbare Regressionstests für Java zu \
            schreiben und auszuführen.
            """)])
        let output = try search("--lang", "de", "--no-translate", "JUnit-Rahmen", "für", "Java-Regressionstests")
        XCTAssertEqual(output.hits.first.map(name), "junit4.txt", "\(output.hits.map(\.path))")
        let quoted = try sandbox.run(["search", "--index", sandbox.index.path, "--json", "--lang", "de", "--no-translate",
                                      "\"Java-Regressionstests\""])
        XCTAssertTrue(quoted.exited(1), "a quoted phrase stays a phrase: \(quoted)")
    }

    /// In a language the query is translated into, its words are searched as they are only in
    /// the translated branch, which reads words as letters and digits ("c++" is "c"): a term
    /// Xapian keeps whole with a sign in it stays searched there ("C++" finds the C++ release
    /// before the one about C).
    func testATermWithASignIsSearchedAsItIsInTheLanguageTranslatedInto() throws {
        try addReleases([("cpp.txt", """
            Une bibliothèque pour C++

            Cette bibliothèque C++ offre des conteneurs rapides pour les programmes scientifiques.
            """), ("c.txt", """
            Une bibliothèque pour C

            Cette bibliothèque C offre des conteneurs rapides pour les programmes scientifiques. C est partout.
            """)])
        let output = try search("--lang", "fr", "C++ library for science")
        XCTAssertEqual(output.translated_from, ["en"])
        XCTAssertEqual(output.hits.first.map(name), "cpp.txt", "\(output.hits.map(\.path))")
    }

    /// Beside the query's own language (no language named), a release of another language
    /// holding only the translation of a word most of its releases hold ("Software" in every
    /// German release) is not a match: the translation of the query's rarer word finds the
    /// German release that answers, and the common word adds to it. A release of the query's
    /// own language with the common word is still found, and with German named every release
    /// with the word is.
    func testACommonWordsTranslationOnlyAddsToReleasesTheRarerWordsFind() throws {
        var releases = (1...24).map { number in
            ("software-\(number).txt", """
                Neue Version der Software \(number)

                Die Software \(number) steht ab heute für alle Kunden bereit.
                """)
        }
        releases.append(("imker.txt", """
            Ein Verband für Imker

            Der Verband der Imker stellt eine Software für Imker vor, die Bienenstöcke zählt.
            """))
        releases.append(("software-en.txt", """
            A new release of our software

            The software ships today to every customer.
            """))
        try addReleases(releases)
        let anywhere = try search("--limit", "50", "beekeeper software")
        XCTAssertEqual(anywhere.translated_from, ["en"])
        let found = anywhere.hits.map(name)
        XCTAssertEqual(found.first, "imker.txt", "\(found)")
        XCTAssertTrue(found.contains("software-en.txt"), "the query's own language keeps its common word: \(found)")
        XCTAssertFalse(found.contains { $0.hasPrefix("software-") && $0 != "software-en.txt" }, "\(found)")
        let german = try search("--limit", "50", "--lang", "de", "beekeeper software").hits.map(name)
        XCTAssertEqual(german.first, "imker.txt", "\(german)")
        XCTAssertEqual(german.filter { $0.hasPrefix("software-") }.count, 24, "\(german)")
        // A query of common words only still finds them in every language.
        let common = try search("--limit", "50", "software").hits.map(name)
        XCTAssertEqual(common.filter { $0.hasPrefix("software-") }.count, 25, "\(common)")
    }

    /// A word typed in capitals is a name, searched as it is in the languages the query is
    /// translated into: "IT" is not the English stopword "it" (which the translation drops),
    /// so `IT security` finds the German release about IT-Sicherheit before the one about
    /// Sicherheit on the roads, and the query still reads as English.
    func testAnAcronymIsSearchedAsItIsNotDroppedAsAStopword() throws {
        try addReleases([("it-sicherheit.txt", """
            IT-Sicherheit für Kliniken

            Die Kliniken prüfen ihre IT-Sicherheit mit einem neuen Verfahren.
            """), ("strasse.txt", """
            Sicherheit im Straßenverkehr

            Mehr Sicherheit auf den Straßen: Sicherheit für Kinder, Sicherheit für Radfahrer.
            """)])
        let output = try search("--lang", "de", "IT security")
        XCTAssertEqual(output.translated_from, ["en"])
        XCTAssertEqual(output.hits.first.map(name), "it-sicherheit.txt", "\(output.hits.map(\.path))")
        // With no language named too.
        let anywhere = try search("IT security").hits.map(name)
        XCTAssertLessThan(try XCTUnwrap(anywhere.firstIndex(of: "it-sicherheit.txt")),
                          try XCTUnwrap(anywhere.firstIndex(of: "strasse.txt")), "\(anywhere)")
        // Typed in lowercase, "it" stays a stopword: the road release, with more of "Sicherheit", comes first.
        XCTAssertEqual(try search("--lang", "de", "it security").hits.first.map(name), "strasse.txt")
    }

    func testShortFrenchQueryFullOfEnglishWordsIsReadAsFrench() throws {
        // "tests", "java", "cadre", "pour" are headwords in English too: the stopwords decide.
        try addReleases([("testng.txt", """
            TestNG

            TestNG is a testing framework for Java, inspired by JUnit, with annotations, \
            parallel tests and data-driven testing.
            """)])
        let result = try sandbox.run(["search", "--index", sandbox.index.path, "--json", "--lang", "en",
                                      "Cadre applicatif de tests pour Java"])
        XCTAssertTrue(result.exited(in: [0, 1]), "\(result)")
        let output = try XCTUnwrap(try? JSONLine.decode(SearchOutput.self, result.stdoutLines.first ?? ""), "\(result)")
        XCTAssertEqual(output.translated_from, ["fr"], "\(result)")
        XCTAssertEqual(output.hits.first.map(name), "testng.txt")
    }

    /// Letters a language does not write overrule CLD2's guess: it reads "Attributs étendus"
    /// and "Geräte-Unit-Konfiguration" as English by their loanwords; é and ä are not English,
    /// so the vote decides (a compound the splitter cuts into German words is German; a tie
    /// translates from each language tied). In the vote too, a word written with letters only
    /// one language writes counts for that language alone: "coopérations", folded, is also an
    /// English headword, and "coopérations accrues" was read as English. An English query with
    /// a name ("Zürich") stays English: the vote reads the words around it.
    func testLettersALanguageDoesNotWriteOverruleTheGuess() throws {
        func sources(_ query: String) throws -> [String] {
            let result = try sandbox.run(["search", "--index", sandbox.index.path, "--json", query])
            XCTAssertTrue(result.exited(in: [0, 1]), "\(result)")
            return try XCTUnwrap(try? JSONLine.decode(SearchOutput.self, result.stdoutLines.first ?? ""), "\(result)").translated_from ?? []
        }
        XCTAssertEqual(try sources("Geräte-Unit-Konfiguration"), ["de"])
        XCTAssertTrue(try sources("Attributs étendus").contains("fr"), "read as French too")
        XCTAssertTrue(try sources("coopérations accrues").contains("fr"), "read as French too")
        // The same typed decomposed (e and a combining acute), as macOS keyboards write it.
        XCTAssertTrue(try sources("coope\u{0301}rations accrues").contains("fr"), "decomposed: read as French too")
        XCTAssertEqual(try sources("renewed partnership with Zürich"), ["en"])
    }

    // MARK: - Without dictionaries, and a lexicon of our own

    func testMissingDictionariesWarnOnceAndSearchStillAnswers() throws {
        let environment = ["PRESSE_DICTIONARIES": sandbox.url("no-dictionaries").path,
                           "PRESSE_CACHE_DIR": sandbox.url("cache").path]
        let result = try sandbox.run(["search", "--index", sandbox.index.path, "renewing", "partnerships"], environment: environment)
        XCTAssertTrue(result.exited(0), "a search without dictionaries still answers: \(result)")
        XCTAssertTrue(result.stdout.contains("Osaka and Munich continue their successful partnership"), result.stdout)
        let warning = result.stderr.split(separator: "\n")
        XCTAssertEqual(warning.count, 1, "one line: \(result)")
        XCTAssertTrue(warning.first?.contains("no dictionary") ?? false, "\(result)")
        XCTAssertTrue(warning.first?.contains("searching without translation") ?? false, "\(result)")

        let built = try sandbox.run(["lexicon"], environment: environment)
        XCTAssertFalse(built.exited(0), "\(built)")
        XCTAssertFalse(built.signaled, "\(built)")
        XCTAssertEqual(built.stderr.split(separator: "\n").count, 1, "one line: \(built)")
        XCTAssertTrue(built.stderr.contains("freedict-"), "it names the missing dictionary: \(built)")
    }

    /// With no language named, the query's own language is searched too, and the other
    /// languages' evidence (their translated branch and the query's words there) weighs less
    /// beside it than when their language is named (kOtherLanguagesWeight, translate.h): the
    /// same release's text in French and in German, asked in French, puts the French first.
    func testOtherLanguagesWeighLessBesideTheQuerysOwnLanguage() throws {
        _ = try sandbox.write("pair/fr.txt", "Fichiers de configuration\n\nCe programme affiche le contenu des fichiers de configuration du système et vérifie leur syntaxe avant le redémarrage du service.\n")
        _ = try sandbox.write("pair/de.txt", "Konfigurationsdateien\n\nDieses Programm zeigt den Inhalt der Konfigurationsdateien des Systems an und prüft ihre Syntax vor dem Neustart des Dienstes.\n")
        _ = try sandbox.write("pair/en.txt", "Release notes\n\nThe new version improves the speed of the indexer and fixes several bugs in the command line.\n")
        let index = sandbox.url("pair-index").path
        XCTAssertTrue(try sandbox.run("index", "--index", index, "--quiet", "pair").exited(0))
        func hits(_ extra: [String]) throws -> [SearchOutput.Hit] {
            let result = try sandbox.run(["search", "--index", index, "--json"] + extra + ["afficher le contenu des fichiers"])
            XCTAssertTrue(result.exited(0), "\(result)")
            return try XCTUnwrap(try? JSONLine.decode(SearchOutput.self, result.stdoutLines.first ?? ""), "\(result)").hits
        }
        let anywhere = try hits([])
        XCTAssertEqual(anywhere.map(\.lang), ["fr", "de"], "the French release first, the German one through translation")
        let german = try XCTUnwrap(try hits(["--lang", "de"]).first, "the German release, its language named")
        XCTAssertEqual(name(german), "de.txt")
        XCTAssertEqual(anywhere[1].score / german.score, 0.8, accuracy: 0.02,
                       "beside French, German weighs 0.8 of what it weighs named: \(anywhere[1].score) against \(german.score)")
    }

    /// A query word counts once in a release, in its best language: a French release quoting
    /// English (code, a leftover paragraph) that holds the French query's words in French and
    /// their translations in English has the evidence of the French words, not twice it
    /// (PassageScorer::repeated). With no language named its score is what it is with French
    /// named; before, it was a quarter more, and such releases outranked the French ones that
    /// answer.
    func testAQueryWordFoundInTwoLanguagesOfOneReleaseCountsOnce() throws {
        _ = try sandbox.write("mixed/mixte.txt", "Fichiers de configuration\n\nCe programme affiche le contenu des fichiers de configuration du système et vérifie leur syntaxe avant le redémarrage du service.\n\nThis program displays the contents of the system configuration files and checks their syntax before the service restarts.\n")
        _ = try sandbox.write("mixed/notes.txt", "Notes de version\n\nLa nouvelle version accélère l'indexation et corrige plusieurs erreurs de la ligne de commande.\n")
        _ = try sandbox.write("mixed/release.txt", "Release notes\n\nThe new version improves the speed of the indexer and fixes several bugs in the command line.\n")
        _ = try sandbox.write("mixed/versionshinweise.txt", "Versionshinweise\n\nDie neue Version beschleunigt die Indexierung und behebt mehrere Fehler der Befehlszeile.\n")
        let index = sandbox.url("mixed-index").path
        XCTAssertTrue(try sandbox.run("index", "--index", index, "--quiet", "mixed").exited(0))
        func first(_ extra: [String]) throws -> SearchOutput.Hit {
            let result = try sandbox.run(["search", "--index", index, "--json"] + extra + ["afficher le contenu des fichiers"])
            XCTAssertTrue(result.exited(0), "\(result)")
            let output = try XCTUnwrap(try? JSONLine.decode(SearchOutput.self, result.stdoutLines.first ?? ""), "\(result)")
            return try XCTUnwrap(output.hits.first, "\(result)")
        }
        let anywhere = try first([]), french = try first(["--lang", "fr"])
        XCTAssertEqual(name(anywhere), "mixte.txt")
        XCTAssertEqual(name(french), "mixte.txt")
        XCTAssertEqual(anywhere.score / french.score, 1.0, accuracy: 0.05,
                       "the English translations of the words add nothing beside the French words: \(anywhere.score) against \(french.score)")
    }

    /// A lexicon compiled from six small dictionaries in dictd format, written here: notes,
    /// examples, cross-references and grammar tags are not translations, phrases are kept as
    /// phrases, and a word reaches French through German when English-French lacks it.
    func testLexiconFromDictdFilesKeepsTranslationsOnly() throws {
        let dictionaries = try sandbox.folder("dictd")
        try writeDictionary(dictionaries, "eng-deu", [
            ("founder", "founder /fˈaʊndə/\nGründer <masc>, Gründerin <fem>\n      \"co-founder\"  - Mitbegründer\n see: {founders}\n"),
            ("renewal", "renewal /ɹɪnjˈuːəl/\nErneuerung <fem>\n         Note: Vertragsverlängerung\n"),
            ("company founder", "company founder /ˈkʌmpəni fˈaʊndə/\nFirmengründer <masc> [econ.]\n"),
        ])
        try writeDictionary(dictionaries, "deu-eng", [("Erneuerung", "Erneuerung /ɛɾnˈɔøəɾʊŋ/ <fem, n, sg>\nrenewal <n>\n")])
        try writeDictionary(dictionaries, "eng-fra", [("partnership", "partnership /pɑːtnəʃɪp/\n1. association\n2. partenariat\n")])
        try writeDictionary(dictionaries, "fra-eng", [("partenariat", "partenariat /paʁtənaʁja/ <n, masc>\npartnership\n")])
        try writeDictionary(dictionaries, "fra-deu", [("renouvellement", "renouvellement /ʁə.nu.vɛl.mɑ̃/ <n, masc>\nErneuerung\nAction de renouveler quelque chose, de remplacer\n")])
        try writeDictionary(dictionaries, "deu-fra", [("Erneuerung", "Erneuerung /ɛɐ̯ˈnɔɪ̯.ə.ʁʊŋ/ <n, fem>\nrenouvellement\nDas Erneuern einer Sache, Wiederherstellung\n")])
        let (environment, built, lexicon) = try buildLexicon(dictionaries: dictionaries, catalogs: nil, cache: "cache")
        XCTAssertTrue(built.stdout.contains("translations-3.lexicon"), "it says where the lexicon is: \(built)")
        let entry = lexicon.entry
        XCTAssertEqual(entry("en>de:founder"), "en>de:founder\tgrunder|grunderin\t\t", "an example is no translation")
        XCTAssertEqual(entry("en>de:renewal"), "en>de:renewal\terneuerung\t\t", "a note is no translation")
        XCTAssertEqual(entry("en>de:company founder"), "en>de:company founder\tfirmengrunder\t\t", "a phrase stays a phrase")
        XCTAssertEqual(entry("fr>de:renouvellement"), "fr>de:renouvellement\terneuerung\t\t", "a definition is no translation")
        XCTAssertEqual(entry("en>fr:partnership"), "en>fr:partnership\tpartenariat|association\t\t",
                       "the translation both dictionaries give (a round trip) first")
        // English -> French has no "renewal": German is the bridge, and says so (third column;
        // the fourth, empty here, is what message catalogs taught).
        XCTAssertEqual(entry("en>fr:renewal"), "en>fr:renewal\t\trenouvellement\t")
        XCTAssertNotNil(entry("en>fr~renew"), "stems are keys too, for other forms of a word")

        // A search with this lexicon: the English query finds the French release through it.
        let output = try search(["--lang", "fr", "--from", "en", "renewal", "partnership"], environment: environment)
        XCTAssertEqual(output.hits.first.map(name), "003_e2dcaa9c9b2fc9a4.txt", "\(output.hits.map(\.path))")
        XCTAssertTrue((output.hits.first?.translated ?? []).contains { $0.word == "partenariat" && $0.from == "partnership" },
                      "\(output.hits.first?.translated ?? [])")
    }

    /// What a dictionary's layout says: a headword's pronunciation is the last /…/ of its
    /// line whatever its letters ("état /eta/" is the headword "état", not "etat eta"), and a
    /// translation more of a headword's senses give ranks first (Akte, in two of three).
    func testLexiconReadsPronunciationsAndCountsSenses() throws {
        let dictionaries = try sandbox.folder("dictd-senses")
        try writeDictionary(dictionaries, "eng-deu", [
            ("file", "file /fˈaɪl/\nFeile <fem> [mach.]\n"),
            ("file", "file /fˈaɪl/\nAkte <fem>, Dossier <neut>\n"),
            ("file", "file /fˈaɪl/\nAktenstück <neut>, Akte <fem>\n"),
        ])
        try writeDictionary(dictionaries, "deu-eng", [("Feile", "Feile /fˈaɪlə/ <fem>\nrasp\n")])
        try writeDictionary(dictionaries, "eng-fra", [("state", "state /steit/\n1. affirmer\n2. état\n")])
        try writeDictionary(dictionaries, "fra-eng", [("état", "état /eta/ <n, masc>\nstate\n"),
                                                      ("miroir", "miroir /miʀwaʀ/ <n, masc>\nmirror\n")])
        try writeDictionary(dictionaries, "fra-deu", [("état", "état /e.ta/ <n, masc>\nZustand\n")])
        try writeDictionary(dictionaries, "deu-fra", [("Zustand", "Zustand /ˈt͡suːˌʃtant/ <n, masc>\nétat\n")])
        let entry = try buildLexicon(dictionaries: dictionaries, catalogs: nil, cache: "cache-senses").lexicon.entry
        XCTAssertEqual(entry("fr>en:etat"), "fr>en:etat\tstate\t\t", "the pronunciation is no word of the headword")
        XCTAssertEqual(entry("fr>en:miroir"), "fr>en:miroir\tmirror\t\t")
        XCTAssertNil(entry("fr>en:etat eta"))
        XCTAssertEqual(entry("en>fr:state"), "en>fr:state\tetat|affirmer\t\t", "the round trip (état -> state) first")
        XCTAssertEqual(entry("en>de:file"), "en>de:file\takte|feile|dossier|aktenstuck\t\t",
                       "Akte, in two of the three senses, before the dictionary's first")
    }

    /// The senses software gives words, learnt from message catalogs (gettext's .mo files): the
    /// English messages of a program and their French and German translations teach
    /// "agreement" -> "accord" / "Vereinbarung", which these dictionaries lack, and an English
    /// query finds the French release through it. A catalog that is not one, or not UTF-8, is
    /// passed over.
    func testLexiconLearnsTranslationsFromMessageCatalogs() throws {
        let dictionaries = try sandbox.folder("dictd-small")
        for name in ["eng-deu", "deu-eng", "eng-fra", "fra-eng", "fra-deu", "deu-fra"] {
            try writeDictionary(dictionaries, name, [("mirror", "mirror\nmiroir\n")])
        }
        let catalogs = try sandbox.folder("locale")
        try writeCatalog(catalogs, "fr", "demo", [
            ("Agreement signed", "Accord signé"), ("Agreement expired", "Accord expiré"),
            ("The agreement is valid", "L’accord est valide"), ("Signed", "Signé"), ("Expired", "Expiré"),
            ("Valid", "Valide"), ("The file is valid", "Le fichier est valide"), ("File", "Fichier"),
            // "%%" is a percent sign, not a conversion eating the next word.
            ("Copy %d%% complete", "Copie %d%% terminée"), ("Complete", "Terminée"),
        ])
        try writeCatalog(catalogs, "de", "demo", [
            ("Agreement signed", "Vereinbarung unterzeichnet"), ("Agreement expired", "Vereinbarung abgelaufen"),
            ("Signed", "Unterzeichnet"), ("Expired", "Abgelaufen"),
        ])
        // A big-endian catalog is a catalog too.
        try writeCatalog(catalogs, "de", "demo-be", [("Order cancelled", "Bestellung storniert"), ("Cancelled", "Storniert")],
                         bigEndian: true)
        // Passed over: another charset; not a catalog; tables pointing past the file's end; and
        // 2,000 entries pointing at one string (read, they would copy it 2,000 times).
        try writeCatalog(catalogs, "fr", "latin1", [("Agreement signed", "Traité signé")], charset: "ISO-8859-1")
        let french = catalogs.appendingPathComponent("fr/LC_MESSAGES")
        try Data((0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: french.appendingPathComponent("broken.mo"))
        try catalogBytes([0x9504_12de, 0, 0xffff_ffff, 28, 28, 0, 0]).write(to: french.appendingPathComponent("past-the-end.mo"))
        let string = Array(repeating: UInt8(ascii: "a"), count: 1000) + [0]
        let table = [UInt32](repeating: 0, count: 2 * 2000).enumerated().map { $0.offset % 2 == 0 ? UInt32(1000) : UInt32(28 + 16 * 2000) }
        var overlapping = catalogBytes([0x9504_12de, 0, 2000, 28, UInt32(28 + 8 * 2000), 0, 0] + table + table)
        overlapping.append(contentsOf: string)
        try overlapping.write(to: french.appendingPathComponent("overlapping.mo"))
        let (environment, built, lexicon) = try buildLexicon(dictionaries: dictionaries, catalogs: catalogs, cache: "cache-catalogs")
        XCTAssertTrue(built.stdout.contains("of 3 catalogs"), "the three demo catalogs, not the other four: \(built)")
        let entry = lexicon.entry
        XCTAssertEqual(entry("en>fr:agreement"), "en>fr:agreement\t\t\taccord", "learnt, in the fourth column")
        XCTAssertEqual(entry("en>de:agreement"), "en>de:agreement\t\t\tvereinbarung")
        XCTAssertEqual(entry("fr>en:accord"), "fr>en:accord\t\t\tagreement", "each direction learns apart")
        XCTAssertEqual(entry("fr>de:accord"), "fr>de:accord\t\t\tvereinbarung", "French and German meet through the English message")
        XCTAssertFalse(lexicon.text.contains("traite"), "the ISO-8859-1 catalog is not read")
        XCTAssertNil(entry("en>fr:the"), "a stopword learns nothing")
        XCTAssertEqual(entry("en>fr:complete"), "en>fr:complete\t\t\tterminee", "\"%%\" left the next word whole")
        XCTAssertEqual(entry("en>de:cancelled"), "en>de:cancelled\t\t\tstorniert", "the big-endian catalog is read")
        XCTAssertEqual(entry("en>fr~agreement"), "en>fr~agreement\t\t\taccord", "a stem has its forms' translations")

        let output = try search(["--lang", "fr", "--from", "en", "agreement"], environment: environment)
        XCTAssertEqual(output.hits.first.map(name), "003_e2dcaa9c9b2fc9a4.txt", "\(output.hits.map(\.path))")
        XCTAssertTrue((output.hits.first?.translated ?? []).contains { $0.word == "accord" && $0.from == "agreement" },
                      "\(output.hits.first?.translated ?? [])")

        // Another form of the word, through its stem's translations.
        let pluralOutput = try search(["--lang", "fr", "--from", "en", "agreements"], environment: environment)
        XCTAssertEqual(pluralOutput.hits.first.map(name), "003_e2dcaa9c9b2fc9a4.txt", "\(pluralOutput.hits.map(\.path))")

        // Without catalogs, the same dictionaries have no translation of "agreement".
        var without = environment
        without["PRESSE_CATALOGS"] = sandbox.url("no-catalogs").path
        without["PRESSE_CACHE_DIR"] = sandbox.url("cache-no-catalogs").path
        let plain = try sandbox.run(["search", "--index", sandbox.index.path, "--json", "--lang", "fr", "--from", "en", "agreement"],
                                    environment: without)
        XCTAssertTrue(plain.exited(1), "no French passage says agreement: \(plain)")
    }

    /// Writes a gettext catalog (.mo: a header, then the tables of messages and of their
    /// translations, as lengths and offsets) as LANG/LC_MESSAGES/NAME.mo under `folder`.
    private func writeCatalog(_ folder: URL, _ lang: String, _ name: String, _ messages: [(String, String)],
                              charset: String = "UTF-8", bigEndian: Bool = false) throws {
        let entries = ([("", "Content-Type: text/plain; charset=\(charset)\n")] + messages).sorted { $0.0 < $1.0 }
        let encode: (String) -> [UInt8] = { charset == "UTF-8" ? Array($0.utf8) : Array($0.data(using: .isoLatin1) ?? Data()) }
        var header: [UInt32] = [0x9504_12de, 0, UInt32(entries.count), 28, UInt32(28 + 8 * entries.count), 0, 0]
        var strings: [UInt8] = []
        var originals: [UInt32] = [], translations: [UInt32] = []
        let stringsStart = 28 + 16 * entries.count
        for (original, _) in entries {
            let bytes = encode(original)
            originals += [UInt32(bytes.count), UInt32(stringsStart + strings.count)]
            strings += bytes + [0]
        }
        for (_, translation) in entries {
            let bytes = encode(translation)
            translations += [UInt32(bytes.count), UInt32(stringsStart + strings.count)]
            strings += bytes + [0]
        }
        header += originals + translations
        var data = catalogBytes(header, bigEndian: bigEndian)
        data.append(contentsOf: strings)
        let dir = folder.appendingPathComponent("\(lang)/LC_MESSAGES")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try data.write(to: dir.appendingPathComponent("\(name).mo"))
    }

    /// A compiled lexicon's text, and its line for a key ("en>fr:partnership").
    private struct LexiconText {
        let text: String
        func entry(_ key: String) -> String? {
            text.split(separator: "\n").lazy.map(String.init).first { $0.hasPrefix(key + "\t") }
        }
    }

    /// `presse lexicon` from these dictionaries and catalogs (none: an empty folder) into the
    /// sandbox's folder `cache`; the environment that searches with it, what the command said
    /// and the lexicon.
    private func buildLexicon(dictionaries: URL, catalogs: URL?, cache: String,
                              file: StaticString = #filePath, line: UInt = #line)
        throws -> (environment: [String: String], built: CommandResult, lexicon: LexiconText) {
        let environment = ["PRESSE_DICTIONARIES": dictionaries.path, "PRESSE_CACHE_DIR": sandbox.url(cache).path,
                           "PRESSE_CATALOGS": (catalogs ?? sandbox.url("no-catalogs")).path]
        let built = try sandbox.run(["lexicon"], environment: environment)
        XCTAssertTrue(built.exited(0), "\(built)", file: file, line: line)
        let text = try String(contentsOf: sandbox.url("\(cache)/translations-3.lexicon"), encoding: .utf8)
        return (environment, built, LexiconText(text: text))
    }

    /// 32-bit words as a catalog's header and tables hold them.
    private func catalogBytes(_ words: [UInt32], bigEndian: Bool = false) -> Data {
        var data = Data()
        for word in words { withUnsafeBytes(of: bigEndian ? word.bigEndian : word.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// Writes a dictd dictionary: NAME.index (headword, base64 offset and length) and
    /// NAME.dict.dz (the entries, gzip'd).
    private func writeDictionary(_ folder: URL, _ name: String, _ entries: [(String, String)]) throws {
        var dict = Data(), index = ""
        for (headword, text) in entries.sorted(by: { $0.0 < $1.0 }) {
            let bytes = Data(text.utf8)
            index += "\(headword)\t\(base64(dict.count))\t\(base64(bytes.count))\n"
            dict.append(bytes)
        }
        try index.write(to: folder.appendingPathComponent("freedict-\(name).index"), atomically: true, encoding: .utf8)
        let plain = folder.appendingPathComponent("freedict-\(name).dict")
        try dict.write(to: plain)
        XCTAssertEqual(try runTool("gzip", ["-n", "-S", ".dz", plain.path]).status, 0)
    }

    private func base64(_ value: Int) -> String {
        let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var value = value, out = ""
        repeat {
            out = String(digits[value % 64]) + out
            value /= 64
        } while value > 0
        return out
    }
}

