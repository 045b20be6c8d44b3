import Foundation
import XCTest

/// A date per release through the command line: from metadata (a web page's <meta>, <time>
/// and JSON-LD, an e-mail's Date:, a Markdown front matter), else from the text (English,
/// French, German), else from the file's modification time; shown by `inspect`, carried by
/// search hits, stored in the index's date value slot.
final class DateTests: XCTestCase {
    private var sandbox: Sandbox!

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-dates")
    }

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    /// 2019-06-15 12:00 UTC: the modification time given to the files that nothing else dates.
    private static let fileTime = Date(timeIntervalSince1970: 1_560_600_000)

    /// name, content, expected date, expected source. Each release mentions Osaka.
    private static let releases: [(name: String, content: String, date: String, source: String)] = [
        ("page-meta.html", """
            <!DOCTYPE html><html><head><title>Osaka | News</title>
            <meta property="article:published_time" content="2022-11-08T09:00:00+01:00">
            <meta property="article:modified_time" content="2023-01-05T10:00:00+01:00"></head>
            <body><nav>Home · News</nav><article><h1>Osaka agreement</h1>
            <p>The fair closed on 29 October 2020 in Osaka.</p></article></body></html>
            """, "2022-11-08", "metadata"),
        ("page-time.html", """
            <!DOCTYPE html><html><head><title>Osaka</title></head><body><article><h1>Osaka visit</h1>
            <p>Posted <time datetime="2021-03-01T08:00">1 March</time>.</p>
            <p>A delegation went to Osaka on 3 May 2019.</p></article></body></html>
            """, "2021-03-01", "metadata"),
        ("page-jsonld.html", """
            <!DOCTYPE html><html><head><title>Osaka</title>
            <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-02-03T10:00:00Z"}</script>
            </head><body><h1>Osaka cluster</h1><p>The Osaka cluster grows.</p></body></html>
            """, "2020-02-03", "metadata"),
        ("page-text.html", """
            <!DOCTYPE html><html><head><meta name="date" content="soon"><title>Osaka</title></head><body>
            <h1>BioM und Osaka verlängern ihre Partnerschaft</h1>
            <p>München, 8. November 2022 – Die Clusterorganisationen BioM und Osaka Bio Headquarters haben ihre Kooperation erneuert.</p>
            </body></html>
            """, "2022-11-08", "text"),
        ("mail.eml", """
            From: press@biom.de\r
            Subject: Osaka and Munich\r
            Date: Tue, 08 Nov 2022 10:15:00 +0100\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Osaka and Munich renewed their partnership on 3 March 2011.\r
            """, "2022-11-08", "metadata"),
        ("front.md", """
            ---
            title: Osaka news
            date: 2021-05-04
            ---
            # Osaka news

            The Osaka cluster met on 14 July 2019.
            """, "2021-05-04", "metadata"),
        ("plain.md", """
            # Osaka et Lyon

            Le 14 juillet 2019, Lyonbiopôle a rencontré Osaka Bio Headquarters.
            """, "2019-07-14", "text"),
        ("dateline-en.txt", """
            Osaka and Munich continue their partnership

            MUNICH, October 29, 2020 – BioM and Osaka Bio Headquarters renewed the agreement first signed on 3 March 2011.
            """, "2020-10-29", "text"),
        ("dateline-fr.txt", """
            BioXclusters Plus signe un accord avec Osaka

            Lyon, mardi 8 novembre 2022 – Lyonbiopôle et ses partenaires ont signé un accord avec Osaka Bio Headquarters.
            """, "2022-11-08", "text"),
        ("dateline-de.txt", """
            Pressemitteilung vom 08.11.2022

            BioM und Osaka Bio Headquarters erneuern ihre Partnerschaft.
            """, "2022-11-08", "text"),
        ("undated.txt", """
            BioXclusters Plus signe un accord avec Osaka

            Les partenaires ont signé, mardi 8 novembre, un accord avec Osaka Bio Headquarters.
            """, "2019-06-15", "file"),
        ("wrong-dates.txt", """
            Osaka release notes

            Le 32 octobre 2022, version 2.10.2022 of the Osaka tool came out (ref 08/11/2022).
            """, "2019-06-15", "file"),
    ]

    private func writeReleases() throws {
        for release in Self.releases {
            let url = try sandbox.write("corpus/\(release.name)", release.content)
            try FileManager.default.setAttributes([.modificationDate: Self.fileTime], ofItemAtPath: url.path)
        }
    }

    func testEachKindOfFileGetsItsDateAndItsSource() throws {
        try writeReleases()
        let outputs = try inspect(sandbox, Self.releases.map { "corpus/\($0.name)" })
        XCTAssertEqual(outputs.count, Self.releases.count)
        for (release, output) in zip(Self.releases, outputs) {
            XCTAssertEqual(output.path, "corpus/\(release.name)")
            XCTAssertEqual(output.date, release.date, "\(release.name) (\(output.format))")
            XCTAssertEqual(output.date_source, release.source, "\(release.name)")
        }
        let text = try sandbox.run("inspect", "corpus/dateline-fr.txt", "corpus/undated.txt")
        XCTAssertTrue(text.exited(0), "\(text)")
        XCTAssertTrue(text.stdout.contains("\n  date: 2022-11-08 (text)\n"), "\(text)")
        XCTAssertTrue(text.stdout.contains("\n  date: 2019-06-15 (file)\n"), "\(text)")
    }

    func testSearchHitsCarryTheDateAndTheIndexStoresIt() throws {
        try writeReleases()
        let index = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(index.exited(0), "\(index)")
        let (_, output) = try searchJSON(sandbox, ["--limit", "50", "osaka"])
        XCTAssertEqual(output.hits.count, Self.releases.count, "every release mentions Osaka")
        let expected = Dictionary(uniqueKeysWithValues: Self.releases.map { ("corpus/\($0.name)", ($0.date, $0.source)) })
        for hit in output.hits {
            let want = try XCTUnwrap(expected[hit.path], hit.path)
            XCTAssertEqual(hit.date, want.0, hit.path)
            XCTAssertEqual(hit.date_source, want.1, hit.path)
        }
        // The text output shows the date beside the path.
        let text = try sandbox.run("search", "--index", sandbox.index.path, "lyonbiopole")
        XCTAssertTrue(text.exited(0), "\(text)")
        XCTAssertTrue(text.stdout.contains("corpus/dateline-fr.txt · 2022-11-08 · passage 1 of"), "\(text)")

        // Value slot 2 holds each date as YYYYMMDD (what a date range compares).
        let listing = try runTool("xapian-delve", ["-V2", sandbox.index.path]).output
        // "Value 2 for each document: 1:20221108 2:20201029 ..."
        let values = listing.matches(of: #/(\d+):(\S+)/#).map { String($0.2) }
        XCTAssertEqual(values.sorted(), Self.releases.map { $0.date.replacingOccurrences(of: "-", with: "") }.sorted(), listing)
    }

    /// A release dated by its file takes the file's new time when the file is touched, even
    /// though its bytes did not change; one dated by its text keeps its date.
    func testATouchedFileDatedByItsTimeIsDatedAgain() throws {
        try writeReleases()
        XCTAssertTrue(try sandbox.run("index", "--index", sandbox.index.path, "corpus").exited(0))
        let later = Date(timeIntervalSince1970: 1_577_966_400)  // 2020-01-02 12:00 UTC
        for name in ["undated.txt", "dateline-fr.txt"] {
            try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: sandbox.url("corpus/\(name)").path)
        }
        let again = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(again.exited(0), "\(again)")
        let (_, output) = try searchJSON(sandbox, ["--limit", "50", "osaka"])
        let dates = Dictionary(uniqueKeysWithValues: output.hits.map { ($0.path, $0.date ?? "none") })
        XCTAssertEqual(dates["corpus/undated.txt"], "2020-01-02")
        XCTAssertEqual(dates["corpus/dateline-fr.txt"], "2022-11-08")
        XCTAssertEqual(dates["corpus/wrong-dates.txt"], "2019-06-15", "an untouched file keeps its date")
    }

    /// The sample corpus: only the Yokohama release writes a whole date ("closed successfully
    /// on 29 October 2020"); the others name days without their year ("mardi 8 novembre",
    /// "10 October") or years alone, so their files date them.
    func testTheSampleReleases() throws {
        try sandbox.copySamples(to: "corpus")
        let outputs = try inspect(sandbox, PresseCLI.sampleNames.map { "corpus/\($0)" })
        XCTAssertEqual(outputs.map(\.date_source), ["text", "file", "file", "file", "file"])
        XCTAssertEqual(outputs.first?.date, "2020-10-29")
    }
}
