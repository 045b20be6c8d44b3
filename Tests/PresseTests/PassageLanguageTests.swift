import Testing
@testable import Presse

/// The rules that keep a passage in one language (issue 12, item 5), through the splitter and
/// the language rules together: a heading joins its neighbour only in the neighbour's language;
/// a passage's own clear evidence beats its neighbours'; context decides only what has no
/// evidence of its own.
struct PassageLanguageTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var rule: String
        /// The release's paragraphs, separated by blank lines.
        var paragraphs: [String]
        /// Each passage's text (paragraphs it joins separated by blank lines) and language.
        var expected: [(String, Language)]
        var testDescription: String { rule }
    }

    static let english = "The cluster management organizations officially announced the renewal of their long-standing partnership agreement."
    static let french = "Ce partenariat, noué pour une durée de deux ans, est le fruit de relations nées lors du déplacement d'une mission au Japon."
    static let german = "Seit 25 Jahren ist BioM die Netzwerkorganisation der Biotechnologiebranche in München und Bayern."

    static let rows: [Row] = [
        Row(rule: "a heading in its paragraph's language joins it",
            paragraphs: ["Über die BioM GmbH", german],
            expected: [("Über die BioM GmbH\n\n" + german, .german)]),
        Row(rule: "a heading in another language is not glued to the paragraph after it",
            paragraphs: [english, "Über uns", german, "Communiqué de presse pour diffusion immédiate", english],
            expected: [(english, .english), ("Über uns\n\n" + german, .german),
                       ("Communiqué de presse pour diffusion immédiate", .french), (english, .english)]),
        Row(rule: "a heading run stops at a heading in another language",
            paragraphs: ["Press release for immediate publication", "Über die BioM GmbH", german],
            expected: [("Press release for immediate publication", .english),
                       ("Über die BioM GmbH\n\n" + german, .german)]),
        Row(rule: "a closing line in another language stands alone",
            paragraphs: [english, "Veröffentlicht am 3. November 2020 von der Stadt"],
            expected: [(english, .english), ("Veröffentlicht am 3. November 2020 von der Stadt", .german)]),
        Row(rule: "a closing line with no language of its own stays with the text before",
            paragraphs: [french, "Osaka, 29 October 2020"],
            expected: [(french + "\n\nOsaka, 29 October 2020", .french)]),
        Row(rule: "a name-only heading joins the paragraph it introduces, and takes its language",
            paragraphs: [english, "BioXclusters Plus", french],
            expected: [(english, .english), ("BioXclusters Plus\n\n" + french, .french)]),
        Row(rule: "a clear short sentence keeps its language between paragraphs of another",
            paragraphs: [german, "This package contains development files.", german],
            expected: [(german, .german), ("This package contains development files.", .english), (german, .german)]),
        Row(rule: "a clear short German sentence keeps its language after English",
            paragraphs: [english, "Dieses Paket enthält Lokalisierungsdaten.", english],
            expected: [(english, .english), ("Dieses Paket enthält Lokalisierungsdaten.", .german), (english, .english)]),
        Row(rule: "a name-only line takes its neighbour's language",
            paragraphs: [french, "Jean Dupont, Osaka Bio Headquarter.", french],
            expected: [(french, .french), ("Jean Dupont, Osaka Bio Headquarter.", .french), (french, .french)]),
        // CLD2 reads the heading as English (98 %, reliable) for its terms; für and und say
        // German: evidence that disagrees is none, and the heading joins its German paragraph.
        Row(rule: "a heading whose CLD2 verdict its stopwords contradict has no language of its own",
            paragraphs: ["»Ratcheting« Forward-Secrecy-Protokoll für synchrones und asynchrones Messaging", german],
            expected: [("»Ratcheting« Forward-Secrecy-Protokoll für synchrones und asynchrones Messaging\n\n" + german, .german)]),
        // CLD2: French 73 %, unreliable (the identifiers); its function words agree.
        Row(rule: "a long passage CLD2 is unsure of keeps its language when its stopwords agree",
            paragraphs: [english, "Si le processus appelant a attaché une requête de notification à cette file de messages avec mqdes (consulter mq_notify(3)), alors la requête est supprimée et d'autres processus peuvent ensuite attacher un requête de notification.", english],
            expected: [(english, .english), ("Si le processus appelant a attaché une requête de notification à cette file de messages avec mqdes (consulter mq_notify(3)), alors la requête est supprimée et d'autres processus peuvent ensuite attacher un requête de notification.", .french), (english, .english)]),
    ]

    @Test(arguments: rows)
    func eachRule(row: Row) {
        let (_, passages) = PassageSplitter().passages(of: row.paragraphs.joined(separator: "\n\n"))
        #expect(passages.map(\.text) == row.expected.map(\.0))
        #expect(passages.map(\.language) == row.expected.map(\.1))
    }

    @Test(arguments: [
        (Language?.none, Language?.none, true),
        (.german, nil, true),
        (nil, .english, true),
        (.french, .french, true),
        (.german, .english, false),
    ] as [(Language?, Language?, Bool)])
    func headingRule(heading: Language?, neighbour: Language?, joins: Bool) {
        #expect(LanguageRules.mayJoin(heading, neighbour) == joins)
    }

    /// The rule is the language's: with no languages known, headings join as before; with
    /// them (`split`'s default), not across languages.
    @Test func theSplitterAsksTheLanguageRules() {
        let text = "Über uns\n\n" + Self.english
        let utf8 = Array(text.utf8)
        let pieces = { (ranges: [Range<Int>]) in ranges.map { String(decoding: utf8[$0], as: UTF8.self) } }
        #expect(pieces(PassageSplitter().split(text, ownLanguage: { _ in nil }).ranges) == [text])
        #expect(pieces(PassageSplitter().split(text).ranges) == ["Über uns", Self.english])
    }
}
