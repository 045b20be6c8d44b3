import Testing
@testable import Presse

struct TextDecodingTests {
    @Test func utf8IsReadAsIs() {
        #expect(TextDecoding.decode(Array("Coopération à Lyon".utf8)) == .text("Coopération à Lyon"))
    }

    @Test func latin1IsNotDroppedOrMangled() {
        // "Coopération régionale" in ISO-8859-1.
        let bytes: [UInt8] = [0x43, 0x6F, 0x6F, 0x70, 0xE9, 0x72, 0x61, 0x74, 0x69, 0x6F, 0x6E, 0x20,
                              0x72, 0xE9, 0x67, 0x69, 0x6F, 0x6E, 0x61, 0x6C, 0x65]
        #expect(TextDecoding.decode(bytes) == .text("Coopération régionale"))
    }

    @Test func windows1252PunctuationIsDecoded() {
        // 0x80 is € and 0x93/0x94 are curly quotes in Windows-1252.
        #expect(TextDecoding.decode([0x93, 0x35, 0x80, 0x94]) == .text("\u{201C}5€\u{201D}"))
    }

    @Test func binaryAndEmptyFilesAreSkipped() {
        #expect(TextDecoding.decode([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]) == .skipped(reason: "binary, not text"))
        #expect(TextDecoding.decode([]) == .skipped(reason: "empty"))
        #expect(TextDecoding.decode(Array(" \n\t\n".utf8)) == .skipped(reason: "empty"))
    }

    @Test func lineEndsAndControlsAreNormalised() {
        #expect(TextDecoding.decode(Array("\u{FEFF}a\r\nb\rc\u{1}d".utf8)) == .text("a\nb\nc d"))
    }
}
