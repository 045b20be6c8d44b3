import Testing
@testable import Presse

/// The one filter of `presse index` and `presse watch`: which folder entries may be releases.
struct CorpusWalkerTests {
    @Test(arguments: [
        ("osaka.txt", true), ("Osaka Report.docx", true), ("release.pdf", true), ("a~b.txt", true),
        ("report~.txt", true), ("#1 in sales.txt", true), ("tilde$.txt", true), ("notes", true),
        (".hidden.txt", false), (".osaka.txt.swp", false), (".#osaka.txt", false), (".goutputstream-X1", false),
        ("osaka.txt~", false), ("#osaka.txt#", false), ("osaka.txt.swp", false), ("notes.TMP", false),
        ("download.pdf.part", false), ("download.pdf.crdownload", false),
        ("~$saka Report.docx", false), ("~$ka.doc", false),  // Word's owner files, while a document is open
    ])
    func releaseNames(name: String, isRelease: Bool) {
        #expect(CorpusWalker.isReleaseName(name) == isRelease, "\(name)")
    }
}
