import Foundation
import Testing
@testable import Presse

/// Page furniture out of passages (Boilerplate, RepeatedLines, the bridge's HTML walk) and
/// the headline as title (Headline).
struct BoilerplateTests {
    /// A body paragraph: prose, so what stands above and below it is the top and bottom zone.
    static let prose = "The cluster management organisations of the two regions have signed an agreement that will bring their members closer together, with joint missions and a shared programme for young companies."

    private func droppedLines(_ text: String, repeated: RepeatedLines = RepeatedLines()) -> [String] {
        Boilerplate.dropped(in: text, repeated: repeated).flatMap { $0.text.split(separator: "\n").map(String.init) }
    }

    @Test(arguments: [
        "Partager sur facebook", "Partager sur LinkedIn", "Share on X", "Share this article", "Tweet",
        "Auf Facebook teilen", "Beitrag teilen", "Twitter", "Follow us on LinkedIn", "Suivez-nous sur Instagram",
        "• Teilen per E-Mail",
    ])
    func shareButtonsAreDroppedAnywhere(line: String) {
        let text = "\(Self.prose)\n\n\(line)\n\n\(Self.prose)"
        #expect(droppedLines(text) == [line])
    }

    @Test(arguments: [
        "Read more", "Read more »", "Lire la suite", "En savoir plus…", "Weiterlesen", "Mehr erfahren →",
        "Zurück zur Übersicht", "Home | About us | News | Contact", "Accueil › Actualités › BioXclusters Plus signe un accord",
        "We use cookies on this website. By continuing to browse you agree to our privacy policy.",
        "Diese Webseite verwendet Cookies. Mit der Nutzung stimmen Sie der Datenschutzerklärung zu.",
    ])
    func readMoreLinksMenusAndCookieNoticesAreDropped(line: String) {
        let text = "\(Self.prose)\n\n\(line)\n\n\(Self.prose)"
        #expect(droppedLines(text) == [line])
    }

    /// Words that furniture uses, in the release's own sentences, stay.
    @Test(arguments: [
        "The company will share its results with Facebook and Twitter users next month.",
        "Ces résultats seront partagés sur le site de Lyonbiopôle.",
        "Our new cookie recipe uses organic flour from the region.",
        "The TCP/IP stack and HTTP/2 support are part of the release.",
        "Mehr als 200 Firmengründungen hat BioM begleitet.",
        "News from Osaka",
    ])
    func prosethatMentionsFurnitureWordsStays(line: String) {
        let text = "\(Self.prose)\n\n\(line)\n\n\(Self.prose)"
        #expect(droppedLines(text).isEmpty)
    }

    /// A category label is furniture above or below the release, a heading in its middle.
    @Test func labelsAreDroppedOnlyAboveAndBelowTheProse() {
        let text = "Non classé\n\nActualité\n\nOsaka and Lyon sign an agreement\n\n\(Self.prose)\n\nNews\n\n\(Self.prose)\n\nTags: Osaka, Lyon, biotech\n"
        #expect(droppedLines(text) == ["Non classé", "Actualité", "Tags: Osaka, Lyon, biotech"])
    }

    @Test func aMenuSavedOneItemALineIsDroppedAboveTheRelease() {
        let text = "Home\nAbout us\nMembers\nEvents\nContact\n\nOsaka and Lyon sign an agreement\n\n\(Self.prose)\n"
        #expect(droppedLines(text) == ["Home", "About us", "Members", "Events", "Contact"])
        // A headline, a place and a date above the text are not a menu.
        let dateline = "Osaka and Lyon sign an agreement\nLyon, France\n8 November 2022\n\n\(Self.prose)\n"
        #expect(droppedLines(dateline).isEmpty)
    }

    @Test func whatTheLinesDropBeyondThePagesFurnitureIsDroppedToo() {
        // A page's <nav> (dropped by its markup) and the category labels under it (by the
        // line rules, in one run with the nav's items): the labels must go too.
        let text = "Home\n\nNon classé\n\nActualité\n\nHeadline"
        let run = "Home\n\nNon classé\n\nActualité"
        let page = [DroppedText(start: 0, end: 4, reason: "nav", text: "Home")]
        let lines = [DroppedText(start: 0, end: run.utf8.count, reason: "menu", text: run)]
        let merged = Boilerplate.merged(page, lines)
        #expect(merged.map(\.reason) == ["nav", "menu"])
        #expect(merged.map(\.text) == ["Home", "Non classé\n\nActualité"])
        let utf8 = Array(text.utf8)
        #expect(merged.allSatisfy { String(decoding: utf8[$0.start..<$0.end], as: UTF8.self) == $0.text })
    }

    @Test func droppedPiecesMergeAndPointIntoTheText() {
        let text = "Partager sur facebook\nPartager sur twitter\n\nHeadline of the day here\n\n\(Self.prose)"
        let dropped = Boilerplate.dropped(in: text)
        #expect(dropped.count == 1)
        let utf8 = Array(text.utf8)
        #expect(String(decoding: utf8[dropped[0].start..<dropped[0].end], as: UTF8.self) == dropped[0].text)
        #expect(dropped[0].text == "Partager sur facebook\nPartager sur twitter")
        #expect(dropped[0].reason == "share buttons")
    }

    /// Whole saved pages in English and German: everything around the release goes, the
    /// release stays, and its headline is its title.
    @Test(arguments: [
        ("Skip to content\nHome\nAbout\nNews\nEvents\nContact\n\nPress release\n\nMedCity leads a UK delegation to BioJapan\n\nShare on Facebook\nShare on LinkedIn\nEmail\n\n",
         "MedCity leads a UK delegation to BioJapan",
         "\n\nRead more\n\nTags: Japan, life sciences\nWe use cookies on this website to improve your experience. By continuing to browse you agree to our privacy policy.\n"),
        ("Zum Inhalt springen\nStartseite | Über uns | Presse | Kontakt\n\nPressemitteilung\n\nBioM und Osaka verlängern ihre Partnerschaft\n\nAuf Facebook teilen\nAuf X teilen\nPer E-Mail teilen\nDrucken\n\n",
         "BioM und Osaka verlängern ihre Partnerschaft",
         "\n\nWeiterlesen\n\nSchlagwörter: Biotechnologie, Japan\nDiese Webseite verwendet Cookies. Mit der Nutzung unserer Webseite stimmen Sie der Datenschutzerklärung zu.\n"),
    ])
    func aSavedPageKeepsOnlyItsRelease(top: String, headline: String, bottom: String) throws {
        let folder = TemporaryFolder()
        let body = "The cluster management organisations of Osaka and Munich have renewed their partnership agreement, which brings their members closer together."
        let file = folder.write("release.txt", top + body + bottom)
        guard case .ready(let release) = ReleaseReader.prepare(path: file, status: try FileSystem.status(file).get()) else {
            Issue.record("not prepared")
            return
        }
        #expect(release.title == headline)
        #expect(release.passages.map(\.text) == [headline, body], "\(release.dropped.map(\.text))")
    }

    // MARK: - Repeated lines

    @Test func linesAtTheTopAndBottomOfThreeReleasesAreLearnt() {
        func release(_ n: Int, middle: String = "About the cluster") -> String {
            "Lyonbiopôle Auvergne-Rhône-Alpes\n\nHeadline number \(n) about vaccines\n\n\(Self.prose)\n\n\(middle)\n\n\(Self.prose)\n\nMentions légales · Plan du site\n"
        }
        let learnt = RepeatedLines.learn(from: [release(1), release(2), release(3), release(4)])
        let dropped = droppedLines(release(5), repeated: learnt)
        #expect(dropped == ["Lyonbiopôle Auvergne-Rhône-Alpes", "Mentions légales · Plan du site"])
        // A line in the middle of the releases is their text ("About the cluster"), and
        // what only two releases share is no source's furniture.
        let two = RepeatedLines.learn(from: [release(1), release(2)])
        #expect(two.fingerprints.isEmpty)
        #expect(RepeatedLines(encoded: learnt.encoded) == learnt)
    }

    // MARK: - Titles

    @Test func theFrenchSampleHasItsHeadlineAndNoButtons() throws {
        let file = SampleCorpus.folder + "/" + SampleCorpus.bioXclusters
        guard case .ready(let release) = ReleaseReader.prepare(path: file, status: try FileSystem.status(file).get()) else {
            Issue.record("not prepared")
            return
        }
        #expect(release.title == "BioXclusters Plus signe un accord de coopération avec Osaka Bio Headquarter")
        #expect(!release.passages.contains { $0.text.contains("Partager") || $0.text.contains("Non classé") })
        #expect(release.dropped.map(\.reason) == ["category label", "share buttons"])
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        for piece in release.dropped + release.passages.map({ DroppedText(start: $0.start, end: $0.end, reason: "", text: $0.text) }) {
            #expect(String(decoding: bytes[piece.start..<piece.end], as: UTF8.self) == piece.text)
        }
    }

    @Test func everySampleTitleIsAHeadlineOfAtMost120Characters() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: SampleCorpus.folder).sorted() {
            let file = SampleCorpus.folder + "/" + name
            guard case .ready(let release) = ReleaseReader.prepare(path: file, status: try FileSystem.status(file).get()) else {
                Issue.record("\(name) not prepared")
                continue
            }
            #expect(release.title.count <= Headline.maximumCharacters, "\(name): \(release.title)")
            #expect(!release.title.isEmpty)
        }
    }

    @Test func withoutAHeadlineTheTitleIsTheFirstSentenceCutAtAWord() {
        let long = "This month, MedCity and the Northern Health Science Alliance (NHSA) led a UK life sciences delegation to Japan to build on collaborations and showcase the UK. More text follows here."
        let title = Headline.title(declared: nil, passages: [Passage(ordinal: 0, text: long, start: 0, end: long.utf8.count, language: .english)])
        #expect(title.count <= 120)
        #expect(title.hasSuffix("…"))
        #expect(long.hasPrefix(String(title.dropLast())))
        #expect(long[long.index(long.startIndex, offsetBy: title.count - 1)] == " ", "cut at a word boundary: \(title)")

        let short = "Prof. Dr. Domdey signed the agreement in Osaka. It runs for two years."
        #expect(Headline.title(declared: nil, passages: [Passage(ordinal: 0, text: short, start: 0, end: short.utf8.count, language: .english)])
                == "Prof. Dr. Domdey signed the agreement in Osaka.")
        #expect(Headline.title(declared: String(repeating: "Osaka ", count: 40), passages: []).count <= 120)
        #expect(Headline.title(declared: "  Osaka\nnews  ", passages: []) == "Osaka news")
        // A dateline above the headline is not the headline.
        let dated = "München, 12. Oktober 2022\nBioM und Osaka verlängern ihre Partnerschaft\n\nText."
        #expect(Headline.title(declared: nil, passages: [Passage(ordinal: 0, text: dated, start: 0, end: dated.utf8.count, language: .german)])
                == "BioM und Osaka verlängern ihre Partnerschaft")
    }

    // MARK: - Web pages

    static let page = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>Osaka and Lyon sign | Lyonbiopole</title>
        <meta property="og:title" content="Osaka and Lyon sign an agreement"></head><body>
        <div id="cookie-consent">We use cookies. <a href="#">Accept</a></div>
        <header><div class="logo"><a href="/">Lyonbiopole</a></div><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
        <div class="breadcrumbs"><a href="/">Home</a> › <a href="/news">News</a></div>
        <article><header><h1>Osaka and Lyon sign a partnership</h1></header>
        <ul class="social-share"><li><a href="#">Facebook</a></li><li><a href="#">X</a></li></ul>
        <p>The two clusters signed an agreement on <a href="/vaccines">vaccine research</a> in Osaka.</p>
        <div class="related-posts"><p><a href="/1">An older story</a></p></div>
        <ul><li><a href="/a">First link</a></li><li><a href="/b">Second link</a></li><li><a href="/c">Third link</a></li></ul>
        <p><a href="/full">Read the full story</a></p>
        </article><aside>Popular posts</aside><footer>Imprint</footer></body></html>
        """

    @Test func aPagesFurnitureIsInItsTextMarkedDropped() throws {
        let page = try #require(HTMLText.extract(Array(Self.page.utf8)))
        #expect(page.headline == "Osaka and Lyon sign a partnership")
        let reasons = page.dropped.map(\.reason)
        #expect(reasons == ["class or id \"cookie\"", "header", "class or id \"breadcrumbs\"", "class or id \"social\"",
                            "class or id \"related\"", "link list", "link", "aside", "footer"])
        #expect(page.keptText == "Osaka and Lyon sign a partnership\n\nThe two clusters signed an agreement on vaccine research in Osaka.")
        let utf8 = Array(page.text.utf8)
        for piece in page.dropped { #expect(String(decoding: utf8[piece.start..<piece.end], as: UTF8.self) == piece.text) }
    }

    @Test func aPagesTitleComesFromItsHeadlineOpenGraphOrTitle() throws {
        func headline(_ html: String) -> String? { HTMLText.extract(Array(html.utf8))?.headline }
        let head = "<head><title>Osaka and Lyon sign | Lyonbiopole</title><meta property=\"og:title\" content=\"Osaka and Lyon sign an agreement\"></head>"
        // The site's logo as <h1> in the page's header is no headline; an <h1> there that is
        // no link is.
        #expect(headline("<html>\(head)<body><header><h1><a href=\"/\">Lyonbiopole</a></h1></header><p>Text.</p></body></html>")
                == "Osaka and Lyon sign an agreement")
        #expect(headline("<html>\(head)<body><header><h1>Osaka and Lyon sign a pact</h1></header><p>Text.</p></body></html>")
                == "Osaka and Lyon sign a pact")
        #expect(headline("<html><head><title>Osaka and Lyon sign a pact – Lyonbiopole</title></head><body><p>Text.</p></body></html>")
                == "Osaka and Lyon sign a pact")
    }

    /// A release saved as a page keeps the same passages as its text without the page.
    @Test func aPageReleaseIsIndexedWithoutItsFurniture() throws {
        let folder = TemporaryFolder()
        folder.write("corpus/osaka.html", Self.page)
        let store = IndexStore(path: folder.path + "/index")
        _ = try Indexer(store: store, jobs: 1).sync([folder.path + "/corpus"])
        let searcher = try Searcher(store: store)
        #expect(try searcher.search("vaccine").hits.first?.title == "Osaka and Lyon sign a partnership")
        for furniture in ["cookies", "Facebook", "Imprint", "Popular", "breadcrumbs", "older", "Third", "full story"] {
            #expect(try searcher.search(furniture).hits.isEmpty, "\(furniture) is furniture")
        }
    }

    /// `add` drops the lines a sync learnt for the file's folder.
    @Test func addUsesTheFurnitureLearntByTheLastSync() throws {
        let folder = TemporaryFolder()
        func release(_ n: Int) -> String {
            "Espace membres Lyonbiopole\n\nHeadline number \(n) about vaccines\n\n\(Self.prose)\n"
        }
        for n in 1...3 { folder.write("corpus/r\(n).txt", release(n)) }
        let store = IndexStore(path: folder.path + "/index")
        _ = try Indexer(store: store, jobs: 1).sync([folder.path + "/corpus"])
        let added = folder.write("corpus/r4.txt", release(4))
        _ = try Indexer(store: store, jobs: 1).add([added])
        let searcher = try Searcher(store: store)
        #expect(try searcher.search("membres").hits.isEmpty)
        #expect(try searcher.search("vaccines").total == 4)
        #expect(try searcher.search("title:number").hits.map(\.title).sorted()
                == (1...4).map { "Headline number \($0) about vaccines" })
    }
}
