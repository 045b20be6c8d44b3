import Foundation
import Testing
@testable import Presse

/// Releases saved as e-mails (.eml).
struct MailTextTests {
    static let multipart = """
        From: press@biom.de\r
        Subject: =?utf-8?Q?BioM_und_Osaka_verl=C3=A4ngern?= =?utf-8?B?IGlocmUgUGFydG5lcnNjaGFmdA==?=\r
        Date: Wed, 12 Oct 2022 09:00:00 +0200\r
        MIME-Version: 1.0\r
        Content-Type: multipart/alternative;\r
         boundary="b1"\r
        \r
        This is a multi-part message.\r
        --b1\r
        Content-Type: text/html; charset=utf-8\r
        Content-Transfer-Encoding: base64\r
        \r
        PHA+SFRNTCB0ZXh0PC9wPg==\r
        --b1\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        Die Clusterorganisationen haben ihre langj=C3=A4hrige Kooperation erneu=\r
        ert.\r
        \r
        Mehr dazu folgt.\r
        --b1--\r
        """

    @Test func multipartsNestedBeyondReasonAreNotFollowed() throws {
        // Each level opens the next; the text sits at the bottom, 5,000 levels down (a crafted
        // file: unbounded, the walk would exhaust the stack). Within the bound it is read.
        func nested(_ levels: Int) -> [UInt8] {
            var mail = "Subject: Deep\r\n"
            for level in 0..<levels {
                mail += "Content-Type: multipart/mixed; boundary=\"b\(level)\"\r\n\r\n--b\(level)\r\n"
            }
            mail += "Content-Type: text/plain\r\n\r\nThe release text.\r\n"
            return Array(mail.utf8)
        }
        #expect(MailText.extract(nested(5_000))?.text == nil)
        #expect(MailText.extract(nested(3))?.text.contains("The release text.") == true)
    }

    @Test func theTextPartAndTheSubjectAreRead() throws {
        let mail = try #require(MailText.extract(Array(Self.multipart.utf8)))
        #expect(mail.subject == "BioM und Osaka verlängern ihre Partnerschaft")
        #expect(mail.text.contains("Die Clusterorganisationen haben ihre langjährige Kooperation erneuert."))
        #expect(mail.text.contains("Mehr dazu folgt."))
        #expect(!mail.text.contains("HTML text"), "the plain text part is preferred")
        #expect(mail.date == "Wed, 12 Oct 2022 09:00:00 +0200", "the Date: header as written, for DateRules")
    }

    @Test func anHTMLOnlyMailIsReadAsAWebPageAndLatin1IsDecoded() throws {
        let html = "Subject: News\nContent-Type: text/html\nContent-Transfer-Encoding: base64\n\n"
            + Data("<html><body><nav>Menu</nav><p>Coop&eacute;ration accrue</p></body></html>".utf8).base64EncodedString() + "\n"
        #expect(try #require(MailText.extract(Array(html.utf8))).text == "Coopération accrue")
        let latin1 = Array("Subject: =?iso-8859-1?Q?Coop=E9ration?=\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nUne coop=E9ration accrue.\n".utf8)
        let mail = try #require(MailText.extract(latin1))
        #expect(mail.subject == "Coopération")
        #expect(mail.text.contains("Une coopération accrue."))
    }

    @Test func aMailReleaseIsIndexedAndOneWithoutTextSkipped() throws {
        let folder = TemporaryFolder()
        folder.write("corpus/release.eml", Self.multipart)
        folder.write("corpus/picture.eml", "Subject: A picture\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n")
        let store = IndexStore(path: folder.path + "/index")
        let summary = try Indexer(store: store, jobs: 1).sync([folder.path + "/corpus"])
        #expect(summary.added == 1)
        #expect(summary.skipped.map { ($0.0 as NSString).lastPathComponent } == ["picture.eml"])
        let hit = try #require(try Searcher(store: store).search("Kooperation").hits.first)
        #expect(hit.title == "BioM und Osaka verlängern ihre Partnerschaft")
        #expect(hit.language == .german)
    }
}
