import Foundation
import Testing
@testable import Presse

/// Releases saved as web pages: their text without markup or page surroundings, and their
/// headline.
struct HTMLTextTests {
    static let page = """
        <!DOCTYPE html>
        <html lang="de"><head><meta charset="utf-8"><title>BioM | Pressemitteilung</title>
        <style>body { color: red }</style><script>var tracking = "zebrascript";</script></head>
        <body>
        <header><nav><a href="/">Startseite</a> <a href="/news">Aktuelles</a></nav></header>
        <main><article>
        <header><h1>BioM und Osaka verlängern ihre Partnerschaft</h1><p>12. Oktober 2022</p></header>
        <p>Die Clusterorganisationen BioM und Osaka Bio Headquarters haben ihre
        langjährige <b>Kooperation</b> erneuert.</p>
        <p>Gründung &amp; Förderung junger Unternehmen stehen im Mittelpunkt.<br>Mehr dazu folgt.</p>
        <ul><li>Erste Aktion</li><li>Zweite Aktion</li></ul>
        </article></main>
        <footer>Impressum · Datenschutz</footer>
        </body></html>
        """

    @Test func textIsTheArticleOneBlockAParagraph() throws {
        let page = try #require(HTMLText.extract(Array(Self.page.utf8)))
        #expect(page.headline == "BioM und Osaka verlängern ihre Partnerschaft")
        #expect(page.keptText.components(separatedBy: "\n\n") == [
            "BioM und Osaka verlängern ihre Partnerschaft",
            "12. Oktober 2022",
            "Die Clusterorganisationen BioM und Osaka Bio Headquarters haben ihre langjährige Kooperation erneuert.",
            "Gründung & Förderung junger Unternehmen stehen im Mittelpunkt.",
            "Mehr dazu folgt.",
            "Erste Aktion",
            "Zweite Aktion",
        ])
        for surrounding in ["zebrascript", "color", "Startseite", "Impressum", "Pressemitteilung"] {
            #expect(!page.keptText.contains(surrounding), "\(surrounding) is not the release's text")
        }
        // The page's navigation and footer stay in its text, marked dropped (`presse inspect`).
        #expect(page.dropped.map(\.text) == ["Startseite Aktuelles", "Impressum · Datenschutz"])
        #expect(page.dropped.map(\.reason) == ["header", "footer"])
    }

    @Test func theTitleIsTheHeadlineWhenThereIsNoH1() throws {
        let page = try #require(HTMLText.extract(Array("<html><head><title>Osaka news</title></head><body><p>Text here.</p></body></html>".utf8)))
        #expect(page.headline == "Osaka news")
        #expect(page.keptText == "Text here.")
    }

    @Test func aDeclaredLatin1PageIsDecoded() throws {
        let bytes = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Coop".utf8) + [0xE9] + Array("ration accrue</p></body></html>".utf8)
        let page = try #require(HTMLText.extract(bytes))
        #expect(page.text == "Coopération accrue")
    }

    @Test func thePagesMetadataIsReturnedRawInOrder() throws {
        let html = """
            <html><head><meta charset="utf-8"><meta property="article:published_time" content="2022-11-08T09:00:00+01:00">
            <meta name="DC.date" content="2022-11-09"><meta itemprop="datePublished" content="2022-11-10">
            <meta name="description" content=""><meta content="no name">
            <script type="application/ld+json">{"datePublished": "2022-11-11"}</script></head>
            <body><nav><time datetime="2020-01-01">in the navigation</time></nav>
            <article><p>Posted <time datetime="2022-11-12">12 Nov</time> <time>8 November 2022</time></p></article></body></html>
            """
        let page = try #require(HTMLText.extract(Array(html.utf8)))
        #expect(page.metadata.map { "\($0.name)=\($0.value)" } == [
            "article:published_time=2022-11-08T09:00:00+01:00", "DC.date=2022-11-09", "datePublished=2022-11-10",
            #"ld+json={"datePublished": "2022-11-11"}"#, "time=2020-01-01", "time=2022-11-12",
            "time=8 November 2022",
        ])
        #expect(try #require(HTMLText.extract(Array("<p>No metadata</p>".utf8))).metadata.isEmpty)
    }

    @Test(arguments: [
        ("release.html", "<p>x</p>", true), ("release.HTM", "<p>x</p>", true), ("saved-page", "  <!DOCTYPE html><p>x</p>", true),
        ("saved-page", "<html><body>x</body></html>", true), ("notes.txt", "a <b>bold</b> claim", false),
    ])
    func htmlIsRecognised(name: String, content: String, html: Bool) {
        #expect(HTMLText.isHTML(path: "/corpus/" + name, bytes: Array(content.utf8)) == html)
    }

    @Test func anHTMLReleaseIsIndexedAndFound() throws {
        let folder = TemporaryFolder()
        folder.write("corpus/osaka.html", Self.page)
        let store = IndexStore(path: folder.path + "/index")
        _ = try Indexer(store: store, jobs: 1).sync([folder.path + "/corpus"])
        let searcher = try Searcher(store: store)
        let hit = try #require(try searcher.search("Kooperation").hits.first)
        #expect(hit.title == "BioM und Osaka verlängern ihre Partnerschaft")
        #expect(hit.passage.contains("langjährige Kooperation erneuert"))
        #expect(hit.language == .german)
        #expect(try searcher.search("zebrascript").hits.isEmpty)
        #expect(try searcher.search("Impressum").hits.isEmpty)
    }
}

/// Releases written in Markdown: read through cmark's HTML, so no markup among the words; their
/// front matter is metadata, not text.
struct MarkdownReleaseTests {
    @Test func aMarkdownReleaseIsReadWithoutItsMarkup() throws {
        let folder = TemporaryFolder()
        let file = folder.write("corpus/osaka.md", """
            # Osaka and Munich renew their **partnership**

            The cluster organisations [BioM](https://www.bio-m.org/zebralink) and *Osaka Bio Headquarters*
            renewed their cooperation.

            - first action: a delegation
            - second action: matchmaking

            ```
            code block text
            ```
            """)
        guard case .ready(let release) = ReleaseReader.prepare(path: file, status: try #require(try? FileSystem.status(file).get())) else {
            Issue.record("the Markdown release was not read")
            return
        }
        #expect(release.format == .markdown)
        #expect(release.title == "Osaka and Munich renew their partnership")
        let text = release.passages.map(\.text).joined(separator: "\n\n")
        #expect(text.contains("The cluster organisations BioM and Osaka Bio Headquarters renewed their cooperation."))
        #expect(text.contains("first action: a delegation"))
        for markup in ["#", "**", "](", "zebralink", "```"] {
            #expect(!text.contains(markup), "\(markup) is markup, not text: \(text)")
        }
    }

    @Test func frontMatterIsMetadataAndTheRestIsMarkdown() throws {
        let (fields, body) = MarkdownText.frontMatter(of: "---\ntitle: Osaka: a new chapter\ndate:  2022-11-08 \nsummary: two clusters\n  renew their partnership\n---\n# Heading\n")
        #expect(fields.map(\.name) == ["title", "date", "summary"])
        #expect(fields.map(\.value) == ["Osaka: a new chapter", "2022-11-08", "two clusters renew their partnership"])
        #expect(body == "# Heading\n")
        // Not front matter: a rule that opens no block of fields, or a block never closed.
        #expect(MarkdownText.frontMatter(of: "Text\n---\ndate: 2022\n---\n").metadata.isEmpty)
        let unclosed = "---\ndate: 2022-11-08\nno end"
        #expect(MarkdownText.frontMatter(of: unclosed).metadata.isEmpty)
        #expect(MarkdownText.frontMatter(of: unclosed).body == unclosed[...])
    }

    @Test func rawHTMLInMarkdownIsReadAsText() throws {
        let document = try MarkdownText.read("Plain *and* <b>bold</b>\n\n<table><tr><td>Osaka</td></tr></table>\n").get()
        let page = try #require(HTMLText.extract(Array(document.html.utf8)))
        #expect(page.text.contains("Plain and bold"))
        #expect(page.text.contains("Osaka"))
        #expect(!page.text.contains("<"))
    }
}
