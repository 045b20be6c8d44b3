import Foundation
import Testing
@testable import Presse

/// The sample releases (Corpus/) saved as a web page (with a site's navigation, header, footer
/// and share buttons around the release), a PDF (ReportLab), a Word file (python-docx),
/// Markdown and an e-mail (quoted-printable, base64, and text beside HTML) read as the .txt
/// version is: the same title, and passages whose text is the .txt passages' text (whitespace
/// normalised: a PDF or a page has no line breaks of its own) in the same languages.
///
/// Each file is built from the .txt: a line of it is a paragraph; the line that is the .txt
/// version's title (as Presse finds it) is the headline (<h1>, the PDF's and Word file's Title
/// style and property, `#`, Subject). So the test follows whatever Presse takes as a text's
/// title, and checks that every format delivers the same release.
struct SameReleaseEveryFormatTests {
    struct Reading: Equatable, CustomStringConvertible {
        var title: String
        var passages: [String]
        var languages: [String]
        var description: String { "title: \(title)\n" + zip(languages, passages).map { "  [\($0)] \($1)" }.joined(separator: "\n") }
    }

    static func read(_ path: String) throws -> Reading {
        let status = try FileSystem.status(path).get()
        guard case .ready(let release) = ReleaseReader.prepare(path: path, status: status) else {
            throw PresseError(.invalidArgument, "\(path) was skipped")
        }
        return Reading(title: release.title,
                       passages: release.passages.map { $0.text.split(whereSeparator: \.isWhitespace).joined(separator: " ") },
                       languages: release.passages.map { $0.language.rawValue })
    }

    static let samples = (try? FileManager.default.contentsOfDirectory(atPath: SampleCorpus.folder))?
        .filter { $0.hasSuffix(".txt") }.sorted() ?? []

    /// Writes one sample in every format into `folder`; returns the paths, .txt first.
    static func writeEveryFormat(_ sample: String, into folder: TemporaryFolder) throws -> [String] {
        let text = SampleCorpus.text(sample)
        let base = folder.path + "/" + (sample as NSString).deletingPathExtension
        let txt = folder.write((sample as NSString).deletingPathExtension + ".txt", text)
        let title = try read(txt).title
        let lines = text.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let headline = lines.contains(title) ? title : nil
        let styled: [(DocumentWriter.Style, String)] = lines.map { ($0 == headline ? .title : .body, $0) }

        // A web page: the release in an <article>, a site around it.
        func escaped(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        let article = styled.map { $0.0 == .title ? "<h1 class=\"entry-title\">\(escaped($0.1))</h1>" : "<p>\(escaped($0.1))</p>" }
        let page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <link rel="stylesheet" href="/wp-content/themes/cluster/style.css"><script src="/wp-includes/js/jquery.js"></script>
            </head><body class="post-template-default single single-post">
            <header id="masthead" class="site-header"><div class="site-branding"><a href="/" rel="home">Life Sciences Cluster</a></div>
            <nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li><a href="/">Home</a></li>
            <li><a href="/about/">About us</a></li><li><a href="/members/">Members</a></li><li><a href="/news/">News</a></li>
            <li><a href="/contact/">Contact</a></li></ul></nav></header>
            <div id="content" class="site-content"><main id="main" class="site-main">
            <article id="post-1234" class="post-1234 post type-post status-publish">
            <div class="entry-content">
            \(article.joined(separator: "\n"))
            </div></article>
            <div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul>
            <li><a class="share-facebook" href="https://www.facebook.com/sharer.php?u=https://example.org/news/1234">Facebook</a></li>
            <li><a class="share-twitter" href="https://twitter.com/intent/tweet?url=https://example.org/news/1234">Twitter</a></li>
            <li><a class="share-linkedin" href="https://www.linkedin.com/shareArticle?url=https://example.org/news/1234">LinkedIn</a></li>
            </ul></div>
            </main>
            <aside id="secondary" class="widget-area"><section class="widget"><h2>Recent posts</h2><ul><li><a href="/news/1233">Cluster meeting in Lyon</a></li></ul></section></aside>
            </div>
            <footer id="colophon" class="site-footer"><p>© 2022 Life Sciences Cluster · <a href="/imprint/">Imprint</a> · <a href="/privacy/">Privacy policy</a></p></footer>
            </body></html>
            """
        folder.write(base.dropFirst(folder.path.count + 1) + ".html", page)

        // Markdown: the headline as `#`, a paragraph a line.
        let markdown = styled.map { $0.0 == .title ? "# " + $0.1 : $0.1 }.joined(separator: "\n\n") + "\n"
        folder.write(base.dropFirst(folder.path.count + 1) + ".md", markdown)

        // E-mails: the headline as Subject (RFC 2047), the text quoted-printable in one, base64
        // in another, and a text part beside an HTML one in a third.
        let subject = headline.map { "=?utf-8?B?" + Data($0.utf8).base64EncodedString() + "?=" } ?? ""
        let body = lines.joined(separator: "\n\n")
        let quoted = "Subject: \(subject)\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + quotedPrintable(body)
        let base64 = "Subject: \(subject)\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + Data(body.utf8).base64EncodedString(options: .lineLength76Characters) + "\r\n"
        let alternative = "Subject: \(subject)\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"=_part\"\r\n\r\n"
            + "--=_part\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Data(page.utf8).base64EncodedString(options: .lineLength76Characters) + "\r\n"
            + "--=_part\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + quotedPrintable(body) + "\r\n--=_part--\r\n"
        let name = String(base.dropFirst(folder.path.count + 1))
        folder.write(name + ".qp.eml", quoted)
        folder.write(name + ".base64.eml", base64)
        folder.write(name + ".alternative.eml", alternative)

        let document = DocumentWriter.Document(path: base + ".pdf", title: headline, created: nil, paragraphs: styled)
        try DocumentWriter.pdf([document])
        try DocumentWriter.docx([DocumentWriter.Document(path: base + ".docx", title: headline, created: nil, paragraphs: styled)])
        return [txt] + [".html", ".md", ".qp.eml", ".base64.eml", ".alternative.eml", ".pdf", ".docx"].map { base + $0 }
    }

    /// Quoted-printable as mail programs write it: `=XX` for bytes outside ASCII and for `=`,
    /// soft line breaks (`=` at the end) before 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        var out = "", line = ""
        for byte in text.utf8 {
            if byte == 0x0A {
                out += line + "\r\n"
                line = ""
                continue
            }
            let piece = byte >= 0x7F || byte == 0x3D || byte < 0x20 ? String(format: "=%02X", byte) : String(UnicodeScalar(byte))
            if line.count + piece.count > 75 {
                out += line + "=\r\n"
                line = ""
            }
            line += piece
        }
        return out + line + "\r\n"
    }

    @Test(arguments: samples)
    func everyFormatGivesTheTextVersionsTitleAndPassages(sample: String) throws {
        let folder = TemporaryFolder()
        let paths = try Self.writeEveryFormat(sample, into: folder)
        let expected = try Self.read(paths[0])
        for path in paths.dropFirst() {
            let reading = try Self.read(path)
            let format = (path as NSString).lastPathComponent
            #expect(reading.title == expected.title, "\(format): title")
            #expect(reading.passages == expected.passages, "\(format): \(Self.difference(reading, expected))")
            #expect(reading.languages == expected.languages, "\(format): languages")
        }
    }

    /// The first passage that differs, both ways, for a failure's message.
    static func difference(_ reading: Reading, _ expected: Reading) -> String {
        let count = max(reading.passages.count, expected.passages.count)
        for i in 0..<count {
            let got = i < reading.passages.count ? reading.passages[i] : "(none)"
            let want = i < expected.passages.count ? expected.passages[i] : "(none)"
            if got != want { return "passage \(i) of \(reading.passages.count) is\n  \(got)\nnot\n  \(want)" }
        }
        return "the same passages"
    }

    @Test func theSamplesAreThere() {
        #expect(Self.samples.count == 5)
    }
}
