import Foundation
import Testing
@testable import Presse

/// Releases saved as PDFs (read by pdftotext as a helper process) and Word files (read by the
/// bridge), written by real writers; and bad files of every format, each skipped with its
/// one-line reason while the rest of the folder is indexed.
struct DocumentFormatTests {
    static let wrapped = "The cluster management organizations BioM, Munich, Germany, and Osaka Bio Headquarters, Osaka, "
        + "Japan, officially announced the renewal of their long-standing Transnational Biotech & Life Sciences "
        + "Cooperation Partnership Agreement at the EU-Japan Biotech & Pharma Partnering Conference 2022 in Osaka."

    static func release(_ path: String, title: String? = "Osaka and Munich continue their partnership") -> DocumentWriter.Document {
        DocumentWriter.Document(path: path, title: title, created: "2022-11-08T09:00:00Z", paragraphs: [
            (.title, "Osaka and Munich continue their partnership"),
            (.body, "Munich, 8 November 2022."),
            (.heading, "Über die Partnerschaft"),
            (.body, wrapped),
        ])
    }

    static func paragraphs(_ text: String) -> [String] {
        text.components(separatedBy: "\n\n").map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    }

    @Test func aPDFIsReadBlockByBlockWithItsProperties() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/release.pdf"
        try DocumentWriter.pdf([Self.release(path)])
        let document = try PDFText.extract(path: path).get()
        #expect(document.title == "Osaka and Munich continue their partnership")
        #expect(document.created == "2022-11-08T09:00:00Z")
        // The long paragraph is wrapped over several lines in the PDF: it comes back whole.
        #expect(Self.paragraphs(document.text) == [
            "Osaka and Munich continue their partnership", "Munich, 8 November 2022.", "Über die Partnerschaft", Self.wrapped,
        ])
    }

    @Test func aWordFileIsReadParagraphByParagraphWithItsProperties() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/release.docx"
        try DocumentWriter.docx([Self.release(path)])
        let document = try DocxText.extract(Array(try #require(FileManager.default.contents(atPath: path)))).get()
        #expect(document.title == "Osaka and Munich continue their partnership")
        #expect(document.created == "2022-11-08T09:00:00Z")
        #expect(Self.paragraphs(document.text) == [
            "Osaka and Munich continue their partnership", "Munich, 8 November 2022.", "Über die Partnerschaft", Self.wrapped,
        ])
    }

    @Test func withoutATitlePropertyAWordFileIsTitledByItsTitleParagraph() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/release.docx"
        var release = Self.release(path, title: nil)
        release.paragraphs.insert((.body, "Pressemitteilung"), at: 0)
        try DocumentWriter.docx([release])
        let document = try DocxText.extract(Array(try #require(FileManager.default.contents(atPath: path)))).get()
        #expect(document.title == "Osaka and Munich continue their partnership")
    }

    @Test(arguments: [
        ("Microsoft Word - Pressemitteilung_BioM.docx", nil), ("pressrelease-2022.pdf", nil), ("Untitled", nil), ("  ", nil),
        ("Osaka and  Munich\ncontinue", "Osaka and Munich continue"),
    ] as [(String, String?)])
    func aPlaceholderTitleIsNoTitle(raw: String, title: String?) {
        #expect(DocumentText.usableTitle(raw) == title)
    }

    @Test func aPDFTitledWithItsFileNameIsTitledByItsFirstLine() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/release.pdf"
        try DocumentWriter.pdf([Self.release(path, title: "Microsoft Word - release.docx")])
        guard case .ready(let release) = ReleaseReader.prepare(path: path, status: try #require(try? FileSystem.status(path).get())) else {
            Issue.record("not read")
            return
        }
        #expect(release.format == .pdf)
        #expect(release.title == "Osaka and Munich continue their partnership")
    }

    /// The properties' creation date dates the release, before any date in its text.
    @Test func aPDFOrAWordFileIsDatedByItsCreationDate() throws {
        let folder = TemporaryFolder()
        for kind in ["pdf", "docx"] {
            var release = Self.release(folder.path + "/release." + kind)
            release.created = "2021-03-04T09:00:00Z"
            try kind == "pdf" ? DocumentWriter.pdf([release]) : DocumentWriter.docx([release])
            let status = try FileSystem.status(release.path).get()
            guard case .ready(let prepared) = ReleaseReader.prepare(path: release.path, status: status) else {
                Issue.record("\(kind) not read")
                continue
            }
            #expect(prepared.date == ReleaseDate(try #require(CalendarDate(year: 2021, month: 3, day: 4)), source: .metadata), "\(kind)")
        }
    }

    /// Every bad file beside good ones: each bad one skipped with a one-line reason that names
    /// the problem, every good one indexed and found.
    @Test func badFilesAreSkippedWithTheirReasonAndNothingElseIsLost() throws {
        let folder = TemporaryFolder()
        let corpus = folder.path + "/corpus"
        var locked = Self.release(corpus + "/locked.pdf")
        locked.password = "secret"
        try DocumentWriter.pdf([Self.release(corpus + "/good.pdf"), locked,
                                DocumentWriter.Document(path: corpus + "/no-text.pdf", title: nil, created: nil, paragraphs: [(.picture, "")])])
        try DocumentWriter.docx([Self.release(corpus + "/good.docx")])
        folder.write("corpus/good.txt", "Osaka news\n\nThe clusters renewed their cooperation today.")
        let pdf = try #require(FileManager.default.contents(atPath: corpus + "/good.pdf"))
        let docx = try #require(FileManager.default.contents(atPath: corpus + "/good.docx"))
        folder.write("corpus/truncated.pdf", bytes: Array(pdf.prefix(pdf.count / 2)))
        folder.write("corpus/garbage.pdf", "%PDF-1.4\nthis is not a PDF at all\n")
        folder.write("corpus/truncated.docx", bytes: Array(docx.prefix(docx.count / 2)))
        folder.write("corpus/not-a-zip.docx", "Osaka news, saved with the wrong name")
        try DocumentWriter.zipBomb(path: corpus + "/bomb.docx", inflatedMB: 1024)
        try DocumentWriter.zipBomb(path: corpus + "/text-bomb.docx", inflatedMB: 80, inText: true)
        folder.write("corpus/nested.html", "<html><body>" + String(repeating: "<div>", count: 100_000) + "<p>Deep text.</p></body></html>")
        folder.write("corpus/broken.eml", """
            Subject: Osaka news\r
            Content-Type: multipart/alternative; boundary="declared"\r
            \r
            --used\r
            Content-Type: text/plain\r
            \r
            The clusters renewed their cooperation.\r
            --used--\r
            """)
        #expect(try #require(FileManager.default.attributesOfItem(atPath: corpus + "/bomb.docx")[.size] as? Int) < 2 << 20)

        let store = IndexStore(path: folder.path + "/index")
        let summary = try Indexer(store: store, jobs: 2).sync([corpus])
        #expect(summary.added == 3)
        let reasons = Dictionary(uniqueKeysWithValues: summary.skipped.map { (($0.path as NSString).lastPathComponent, $0.reason) })
        let expected = [
            "truncated.pdf": "damaged or truncated PDF", "garbage.pdf": "damaged or truncated PDF",
            "locked.pdf": "a PDF locked with a password", "no-text.pdf": "a PDF without text",
            "truncated.docx": "not a zip archive (or a truncated one)", "not-a-zip.docx": "not a zip archive",
            "bomb.docx": "inflates past 512 MB (a zip bomb?)", "text-bomb.docx": "text is longer than 64 MB",
            "nested.html": "HTML nested deeper than 256 elements", "broken.eml": "MIME boundary (declared) never opens a part",
        ]
        #expect(Set(reasons.keys) == Set(expected.keys))
        for (file, words) in expected {
            let reason = try #require(reasons[file])
            #expect(reason.contains(words), "\(file): \(reason)")
            #expect(!reason.contains("\n") && reason.count <= 160, "\(file): one short line")
        }
        let hits = try Searcher(store: store).search("cooperation").hits
        #expect(Set(hits.map { ($0.path as NSString).lastPathComponent }) == ["good.pdf", "good.docx", "good.txt"])
    }
}
