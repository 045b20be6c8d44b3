import Foundation
import XCTest

/// Page furniture out of the index and the headline as title, through the real `presse`:
/// the sample corpus (its French release is a saved page with a category label and seven share
/// buttons), a web page, and a folder of one source's releases.
final class BoilerplateCLITests: XCTestCase {
    private var sandbox: Sandbox!

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-boilerplate")
        try sandbox.copySamples(to: "corpus")
    }

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    func testTheSampleCorpusHasHeadlinesAndNoButtons() throws {
        let indexed = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(indexed.exited(0), "\(indexed)")
        let outputs = try inspect(sandbox, PresseCLI.sampleNames.map { "corpus/\($0)" })
        XCTAssertEqual(outputs.count, 5)
        for output in outputs {
            XCTAssertLessThanOrEqual(output.title.count, 120, "\(output.path): \(output.title)")
            XCTAssertFalse(output.title.isEmpty, output.path)
            for passage in output.passages {
                XCTAssertFalse(passage.text.contains("Partager sur"), "\(output.path): \(passage.text.prefix(80))")
            }
            // A dropped piece is the file's own bytes, outside every passage.
            let bytes = try Data(contentsOf: sandbox.url(output.path))
            for piece in output.dropped {
                XCTAssertEqual(Data(bytes[piece.start..<piece.end]), Data(piece.text.utf8), "\(output.path): \(piece)")
                XCTAssertFalse(output.passages.contains { $0.start < piece.end && piece.start < $0.end }, "\(piece)")
                XCTAssertNotEqual(piece.text, output.title)
            }
        }
        let french = try XCTUnwrap(outputs.first { $0.path.hasSuffix("003_e2dcaa9c9b2fc9a4.txt") })
        XCTAssertEqual(french.title, "BioXclusters Plus signe un accord de coopération avec Osaka Bio Headquarter")
        XCTAssertEqual(french.dropped.map(\.reason), ["category label", "share buttons"])
        XCTAssertTrue(french.dropped[1].text.hasPrefix("Partager sur facebook\nPartager sur twitter"), "\(french.dropped)")
        // The MedCity release has no headline: its first sentence, cut at a word.
        let medcity = try XCTUnwrap(outputs.first { $0.path.hasSuffix("004_2ded532425e893fb.txt") })
        XCTAssertTrue(medcity.title.hasPrefix("This month, MedCity and the Northern Health Science Alliance"), medcity.title)
        XCTAssertTrue(medcity.title.hasSuffix("…"), medcity.title)

        // ("Partager" itself is a word of the release: "partager des informations".)
        for word in ["facebook", "tumblr", "pinterest", "\"Non classé\""] {
            // (--no-suggest: whether the word is indexed, not what it resembles.)
            let (result, output) = try searchJSON(sandbox, ["--no-suggest", word])
            XCTAssertTrue(result.exited(1), "\(word) is only in furniture: \(result)")
            XCTAssertEqual(output.total, 0, word)
        }
        // The French release is found by its headline, under its headline.
        let (_, osaka) = try searchJSON(sandbox, ["--lang", "fr", "osaka"])
        XCTAssertEqual(osaka.hits.first?.title, french.title)
        XCTAssertFalse(osaka.hits.contains { $0.passage.contains("Partager") })
    }

    /// `inspect` shows what is dropped, in the text's order, marked as dropped.
    func testInspectMarksDroppedText() throws {
        let result = try sandbox.run("inspect", "corpus/003_e2dcaa9c9b2fc9a4.txt")
        XCTAssertTrue(result.exited(0), "\(result)")
        let lines = result.stdoutLines
        XCTAssertEqual(lines.prefix(2), ["corpus/003_e2dcaa9c9b2fc9a4.txt",
                                         "  title: BioXclusters Plus signe un accord de coopération avec Osaka Bio Headquarter"])
        XCTAssertTrue(lines[3].hasPrefix("  date: "), lines[3])
        XCTAssertTrue(lines[4].hasPrefix("  [dropped] category label  0-"), lines[4])
        XCTAssertTrue(lines[5].hasPrefix("  [0] fr "), lines[5])
        XCTAssertTrue(lines[6].hasPrefix("  [dropped] share buttons  "), lines[6])
        XCTAssertTrue(lines[6].contains("Partager sur facebook Partager sur twitter"), lines[6])
    }

    /// A web page: its navigation, header, footer, share row and link lists are dropped,
    /// its headline is its title.
    func testAWebPagesFurnitureIsNotIndexed() throws {
        let page = """
            <!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>BioM und Osaka | BioM</title>
            <meta property="og:title" content="BioM und Osaka verlängern ihre Partnerschaft"></head><body>
            <header><a class="logo" href="/">BioM</a><nav><a href="/">Startseite</a> <a href="/presse">Presse</a></nav></header>
            <main><h1>BioM und Osaka verlängern ihre Partnerschaft</h1>
            <div class="shariff"><a href="#">Auf Facebook teilen</a> <a href="#">Auf LinkedIn teilen</a></div>
            <p>Die Clusterorganisationen BioM und Osaka Bio Headquarters haben ihre Kooperation erneuert.</p>
            <p><a href="/presse">Weiterlesen</a></p></main>
            <footer>Impressum · Datenschutz</footer></body></html>
            """
        _ = try sandbox.write("web/biom.html", page)
        let output = try XCTUnwrap(try inspect(sandbox, ["web/biom.html"]).first)
        XCTAssertEqual(output.title, "BioM und Osaka verlängern ihre Partnerschaft")
        XCTAssertEqual(output.passages.map(\.text), ["BioM und Osaka verlängern ihre Partnerschaft",
                                                     "Die Clusterorganisationen BioM und Osaka Bio Headquarters haben ihre Kooperation erneuert."])
        XCTAssertEqual(output.dropped.map(\.text), ["BioM\n\nStartseite Presse", "Auf Facebook teilen Auf LinkedIn teilen", "Weiterlesen",
                                                    "Impressum · Datenschutz"])
        let indexed = try sandbox.run("index", "--index", sandbox.index.path, "web")
        XCTAssertTrue(indexed.exited(0), "\(indexed)")
        for word in ["Facebook", "Startseite", "Impressum", "Weiterlesen"] {
            XCTAssertTrue(try searchJSON(sandbox, [word]).0.exited(1), word)
        }
        XCTAssertEqual(try searchJSON(sandbox, ["Kooperation"]).1.hits.first?.title, output.title)
    }

    /// One source's releases in one folder: the lines at the top and bottom of most of them
    /// are its furniture, learnt by `index`, kept for `add`, shown by `inspect`.
    func testLinesRepeatedAcrossAFoldersReleasesAreDropped() throws {
        func release(_ n: Int) -> String {
            """
            Biocluster Nord – Espace presse
            Recherche avancée

            Vaccine agreement number \(n) signed in Lille

            The cluster announced that its members have signed agreement number \(n) with the university hospital, a step towards joint vaccine trials in the region.

            Kontakt für die Presse
            © Biocluster Nord · Impressum
            """
        }
        for n in 1...4 { _ = try sandbox.write("nord/r\(n).txt", release(n)) }
        let indexed = try sandbox.run("index", "--index", sandbox.index.path, "nord")
        XCTAssertTrue(indexed.exited(0), "\(indexed)")
        let output = try XCTUnwrap(try inspect(sandbox, ["nord/r1.txt"]).first)
        XCTAssertEqual(output.title, "Vaccine agreement number 1 signed in Lille")
        XCTAssertEqual(output.dropped.map(\.reason), ["repeated in this folder's releases", "repeated in this folder's releases"])
        XCTAssertEqual(output.passages.count, 1)

        _ = try sandbox.write("nord/r5.txt", release(5))
        let added = try sandbox.run("add", "--index", sandbox.index.path, "nord/r5.txt")
        XCTAssertTrue(added.exited(0), "\(added)")
        for words in ["\"Recherche avancée\"", "Impressum", "Kontakt"] {
            XCTAssertTrue(try searchJSON(sandbox, [words]).0.exited(1), words)
        }
        XCTAssertEqual(try searchJSON(sandbox, ["--limit", "10", "vaccine"]).1.hits.count, 5)
    }
}
