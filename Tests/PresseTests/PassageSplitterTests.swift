import Testing
@testable import Presse

struct PassageSplitterTests {
    private func pieces(_ text: String, _ splitter: PassageSplitter = PassageSplitter()) -> [String] {
        let utf8 = Array(text.utf8)
        return splitter.split(text).ranges.map { String(decoding: utf8[$0], as: UTF8.self) }
    }

    @Test func blankLinesSeparateParagraphs() {
        #expect(pieces("First paragraph here.\n\nSecond paragraph here.") == ["First paragraph here.", "Second paragraph here."])
    }

    @Test func aLineThatEndsASentenceEndsAParagraph() {
        #expect(pieces("One sentence ends here.\nAnother starts here.") == ["One sentence ends here.", "Another starts here."])
    }

    @Test func wrappedLinesStayTogether() {
        #expect(pieces("A paragraph wrapped\nat a narrow width\ncontinues here.") == ["A paragraph wrapped\nat a narrow width\ncontinues here."])
    }

    @Test func headingsJoinTheTextTheyIntroduce() {
        let text = "Über die BioM GmbH\n\nSeit 25 Jahren ist BioM die Netzwerkorganisation.\n\nZweiter Absatz."
        #expect(pieces(text) == ["Über die BioM GmbH\n\nSeit 25 Jahren ist BioM die Netzwerkorganisation.", "Zweiter Absatz."])
    }

    @Test func aClosingLineStaysWithTheTextBefore() {
        #expect(pieces("The fair closed.\n\nPublished: November 2020") == ["The fair closed.\n\nPublished: November 2020"])
    }

    @Test func theTitleIsTheFirstNonEmptyLine() {
        #expect(PassageSplitter().split("\n\n  Osaka and Munich  \nBody text.").title == "Osaka and Munich")
    }

    @Test func longParagraphsAreCutAtSentenceBoundaries() {
        let sentence = "This sentence is about the partnership between two clusters. "
        let text = String(repeating: sentence, count: 100)
        let parts = pieces(text)
        #expect(parts.count > 1)
        for part in parts {
            #expect(part.utf8.count <= PassageSplitter().maximumBytes)
            #expect(part.hasSuffix("."))
        }
        #expect(parts.joined(separator: " ") == text.trimmingCharacters(in: .whitespaces))
    }

    @Test func aHugeLineWithoutPunctuationIsCutInBoundedPieces() {
        let text = String(repeating: "wort ", count: 200_000)  // 1 MB on one line
        let parts = pieces(text)
        #expect(parts.count > 500)
        #expect(parts.allSatisfy { $0.utf8.count <= PassageSplitter().maximumBytes })
    }

    @Test func offsetsPointAtThePassageText() {
        let text = SampleCorpus.text(SampleCorpus.munichOsaka)
        let bytes = Array(text.utf8)
        let (_, passages) = PassageSplitter().passages(of: text)
        #expect(passages.count >= 5)
        for passage in passages {
            #expect(String(decoding: bytes[passage.start..<passage.end], as: UTF8.self) == passage.text)
            #expect(passage.text.utf8.count < bytes.count)
        }
    }
}
