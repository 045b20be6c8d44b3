import Foundation
import Testing
@testable import Presse

/// Releases saved as PDFs, read through poppler.
struct PDFTextTests {
    /// A minimal PDF: one page a line list, Helvetica, the given title in its metadata.
    static func pdf(title: String?, pages: [[String]]) -> [UInt8] {
        var objects: [String] = []
        let pageIDs = pages.indices.map { 4 + 2 * $0 }
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        objects.append("<< /Type /Pages /Kids [\(pageIDs.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        for (index, lines) in pages.enumerated() {
            var stream = "BT /F1 12 Tf 72 720 Td 14 TL\n"
            for line in lines { stream += "(\(line)) Tj T*\n" }
            stream += "ET"
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents \(pageIDs[index] + 1) 0 R >>")
            objects.append("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream")
        }
        if let title { objects.append("<< /Title (\(title)) >>") }
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { out += String(format: "%010d 00000 n \n", offset) }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R\(title == nil ? "" : " /Info \(objects.count) 0 R") >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(out.utf8)
    }

    @Test func aPDFIsReadPageAfterPage() throws {
        let bytes = Self.pdf(title: "Osaka and Munich renew their partnership",
                             pages: [["Munich, 12 October 2022.", "The clusters renewed their cooperation."], ["A second page about zebrafish."]])
        #expect(PDFText.isPDF(path: "/corpus/release", bytes: bytes))
        let document = try PDFText.extract(bytes).get()
        #expect(document.title == "Osaka and Munich renew their partnership")
        #expect(document.text.contains("The clusters renewed their cooperation."))
        #expect(document.text.contains("A second page about zebrafish."))
    }

    @Test func aPDFReleaseIsIndexedAndFound() throws {
        let folder = TemporaryFolder()
        folder.write("corpus/release.pdf", bytes: Self.pdf(title: nil, pages: [["Osaka news", "The clusters renewed their cooperation today."]]))
        folder.write("corpus/broken.pdf", "%PDF-1.4 this is not a PDF at all")
        let store = IndexStore(path: folder.path + "/index")
        let summary = try Indexer(store: store, jobs: 1).sync([folder.path + "/corpus"])
        #expect(summary.added == 1)
        #expect(summary.skipped.map { ($0.0 as NSString).lastPathComponent } == ["broken.pdf"])
        let hit = try #require(try Searcher(store: store).search("cooperation").hits.first)
        #expect(hit.path.hasSuffix("release.pdf"))
        #expect(hit.title == "Osaka news")
        #expect(hit.passage.contains("renewed their cooperation today"))
    }
}
