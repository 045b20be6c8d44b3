import Foundation
import Testing
import ZIPFoundation
@testable import Presse

/// Releases saved as Word files (.docx).
struct DocxTextTests {
    /// A minimal .docx: its paragraphs (runs split where a paragraph holds " | ") and title.
    static func docx(title: String?, paragraphs: [String]) throws -> [UInt8] {
        let body = paragraphs.map { paragraph in
            let runs = paragraph.components(separatedBy: " | ").map { "<w:r><w:t xml:space=\"preserve\">\($0) </w:t></w:r>" }
            return "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr>\(runs.joined())</w:p>"
        }.joined()
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)<w:sectPr/></w:body></w:document>
            """
        let core = """
            <?xml version="1.0" encoding="UTF-8"?>
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dc="http://purl.org/dc/elements/1.1/">\(title.map { "<dc:title>\($0)</dc:title>" } ?? "")</cp:coreProperties>
            """
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in [("word/document.xml", document), ("docProps/core.xml", core)] {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(try #require(archive.data))
    }

    @Test func aWordFileIsReadParagraphByParagraph() throws {
        let bytes = try Self.docx(title: "Osaka and Munich renew their partnership",
                                  paragraphs: ["Munich, 12 October 2022.", "The clusters | renewed their | cooperation.", "Über die BioM"])
        let document = try DocxText.extract(bytes).get()
        #expect(document.title == "Osaka and Munich renew their partnership")
        #expect(document.text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespaces) }
                == ["Munich, 12 October 2022.", "The clusters renewed their cooperation.", "Über die BioM"])
    }

    @Test func aWordReleaseIsIndexedAndABrokenOneSkipped() throws {
        let folder = TemporaryFolder()
        folder.write("corpus/release.docx", bytes: try Self.docx(title: nil, paragraphs: ["Osaka news", "The clusters renewed their cooperation today."]))
        folder.write("corpus/broken.docx", "not a zip")
        let store = IndexStore(path: folder.path + "/index")
        let summary = try Indexer(store: store, jobs: 1).sync([folder.path + "/corpus"])
        #expect(summary.added == 1)
        #expect(summary.skipped.map { ($0.0 as NSString).lastPathComponent } == ["broken.docx"])
        let hit = try #require(try Searcher(store: store).search("cooperation").hits.first)
        #expect(hit.path.hasSuffix("release.docx"))
        #expect(hit.passage.contains("renewed their cooperation today"))
    }
}
