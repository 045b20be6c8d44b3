import Testing
@testable import Presse

/// One row per language rule (LanguageRules), each with its edge: real text through the whole
/// path, and CLD2 verdicts spelled out where a threshold's exact edge is wanted.
struct LanguageRulesTests {
    /// A rule, the passages of one release, and the language each gets.
    struct Row: CustomTestStringConvertible, Sendable {
        var rule: String
        var texts: [String]
        var expected: [Language]
        var testDescription: String { rule }
    }

    static let french = "Ce partenariat, noué pour une durée de deux ans, est le fruit de relations nées lors du déplacement d'une mission au Japon."
    static let spanish = "Este paquete contiene la documentación en español para los usuarios del controlador de movimiento y sus herramientas gráficas, que permiten configurar el dispositivo desde el escritorio."
    static let germanTail = "Dieses Paket enthält die vollständige Dokumentation für die Werkzeuge, mit denen sich das Gerät bequem vom Schreibtisch"
    static let geotranz = "GEOTRANZ est le nom Debian de GEOTRANS,"
    static let agency = "National Geospatial-Intelligence Agency (NGA) Army Engineering Research"

    static let rows: [Row] = [
        // minimumLettersForOwnGuess: CLD2 reads all three as German (98%, reliable); with 59
        // letters and no stopword the first takes its neighbour's language, with 60 its own.
        Row(rule: "59 letters, no stopword: too short for CLD2 alone, neighbour's language",
            texts: ["Leistungsstarke Bildbearbeitungswerkzeuge Grafikdesignerinnen", french],
            expected: [.french, .french]),
        Row(rule: "60 letters: CLD2's own guess",
            texts: ["Leistungsstarke Bildbearbeitungswerkzeuge Grafikdesignerinnenn", french],
            expected: [.german, .french]),
        // agreeingVote: under 60 letters, CLD2 reliable and backed by one stopword (für).
        Row(rule: "59 letters, CLD2 backed by one stopword of its language: its own",
            texts: ["Leistungsstarke Bildbearbeitungswerkzeuge für Grafikdesignerin", french],
            expected: [.german, .french]),
        Row(rule: "short, CLD2 reliable but one stopword of another language: neighbour's",
            texts: ["Leistungsstarke Bildbearbeitungswerkzeuge the Grafikdesignerin", french],
            expected: [.french, .french]),
        // noVerdictVote on short text: two different stopwords of one language.
        Row(rule: "short text with two German stopwords is German",
            texts: [french, "Über uns"], expected: [.french, .german]),
        Row(rule: "short text with no stopwords takes the passage before",
            texts: [french, "Kontakt"], expected: [.french, .french]),
        Row(rule: "short text at the start takes the passage after",
            texts: ["Kontakt", french], expected: [.french, .french]),
        // closeBehindPercent: CLD2 says Spanish first, German second with 29% / 30%.
        Row(rule: "ours 29% behind another language: undetermined",
            texts: [spanish + " " + germanTail], expected: [.unknown]),
        Row(rule: "ours 30% behind another language: ours",
            texts: [spanish + " " + germanTail + " aus"], expected: [.german]),
        // overrideVote: CLD2 reads all four 99% English (reliable), for the names.
        Row(rule: "two French stopwords (le, de) do not overrule CLD2",
            texts: ["\(geotranz) produit \(agency) Development Center."], expected: [.english]),
        Row(rule: "three French stopwords (le, de, un) overrule CLD2",
            texts: ["\(geotranz) un produit \(agency) Development Center."], expected: [.french]),
        Row(rule: "three French stopwords against one English (and): three times, French",
            texts: ["\(geotranz) un produit \(agency) and Development Center."], expected: [.french]),
        Row(rule: "three French stopwords against two English (with, for): English",
            texts: ["\(geotranz) un produit \(agency) Development Center, with tools for geographic coordinate conversion."],
            expected: [.english]),
        // noVerdictVote where CLD2 has no verdict (long text): German 3 (dieses, die, für)
        // against French 2 (la, en); unreliable, so the release's passages decide... here
        // the only one, so the whole release's guess, which is the same text's.
        Row(rule: "no CLD2 verdict: the stopwords decide",
            texts: ["Este paquete contiene la documentación en español para los usuarios. Dieses Paket enthält die Dokumentation für Benutzer."],
            expected: [.german]),
        Row(rule: "no CLD2 verdict and too few stopwords: undetermined",
            texts: ["xkcd-3012 qwrtz-9981 zzyzx-4410"], expected: [.unknown]),
        // The whole release: no passage has a language of its own (each is short, with one
        // stopword at most); together CLD2 reads them as German.
        Row(rule: "no passage sure of itself: the whole release's language",
            texts: ["Pressemitteilung der Stadtwerke", "Ansprechpartnerin Pressestelle", "Telefonnummer und Anschrift"],
            expected: [.german, .german, .german]),
    ]

    @Test(arguments: rows)
    func eachRule(row: Row) {
        #expect(LanguageDetector.assignLanguages(to: row.texts) == row.expected)
    }

    /// A verdict spelled out: the exact edges of the percentages, with the stopword counts the
    /// text would have.
    struct VerdictRow: CustomTestStringConvertible, Sendable {
        var rule: String
        var verdict: CLD2Verdict
        var stopwords: [Language: Int]
        var expected: LanguageGuess
        var testDescription: String { rule }

        /// `expected`: language, percent, reliable.
        init(_ rule: String, _ verdict: CLD2Verdict, _ stopwords: [Language: Int],
             _ expected: (Language, Int, Bool)) {
            self.rule = rule
            self.verdict = verdict
            self.stopwords = stopwords
            self.expected = LanguageGuess(language: expected.0, percent: expected.1, reliable: expected.2)
        }
    }

    static func verdict(_ language: String, _ top: [(String, Int)], reliable: Bool = true) -> CLD2Verdict {
        CLD2Verdict(language: language, top: top.map { CLD2Verdict.Share(code: $0.0, percent: $0.1) }, reliable: reliable)
    }

    static let verdictRows: [VerdictRow] = [
        VerdictRow("ours first: ours, with its share",
                   verdict("fr", [("fr", 97)]), [:], (.french, 97, true)),
        VerdictRow("ours 29% behind: another language, undetermined, with the first's share",
                   verdict("es", [("es", 70), ("de", 29)]), [.german: 5], (.unknown, 70, true)),
        VerdictRow("ours 30% behind: ours, with its own share",
                   verdict("es", [("es", 69), ("de", 30)], reliable: false), [:], (.german, 30, false)),
        VerdictRow("ours third, 30% behind: ours",
                   verdict("nn", [("nn", 40), ("es", 30), ("fr", 30)]), [:], (.french, 30, true)),
        VerdictRow("no verdict: the stopwords', unreliable, 0%",
                   verdict("", [("", 0)]), [.german: 2, .english: 1], (.german, 0, false)),
        VerdictRow("no verdict, stopwords tied: undetermined",
                   verdict("", [("", 0)]), [.german: 2, .french: 2], (.unknown, 0, false)),
        VerdictRow("no verdict, one stopword: undetermined",
                   verdict("", [("", 0)]), [.german: 1], (.unknown, 0, false)),
        VerdictRow("ours, overruled by 3 stopwords of another and none of its own",
                   verdict("en", [("en", 99)]), [.french: 3], (.french, 99, true)),
        VerdictRow("ours, 2 stopwords of another do not overrule",
                   verdict("en", [("en", 99)]), [.french: 2], (.english, 99, true)),
        VerdictRow("ours, 6 against 2 overrule (three times)",
                   verdict("en", [("en", 99)]), [.french: 6, .english: 2], (.french, 99, true)),
        VerdictRow("ours, 5 against 2 do not overrule",
                   verdict("en", [("en", 99)]), [.french: 5, .english: 2], (.english, 99, true)),
        VerdictRow("ours close behind, overruled by the stopwords",
                   verdict("nn", [("nn", 50), ("de", 49)]), [.english: 4], (.english, 49, true)),
    ]

    @Test(arguments: verdictRows)
    func eachVerdict(row: VerdictRow) {
        #expect(LanguageRules.guess(from: row.verdict, stopwords: { StopwordCounts(row.stopwords) }) == row.expected)
    }

    @Test func anotherLanguagesTextHasItsStopwordsUncounted() {
        var asked = false
        _ = LanguageRules.guess(from: Self.verdict("es", [("es", 99)]), stopwords: { asked = true; return StopwordCounts([:]) })
        #expect(!asked)
    }

    @Test(arguments: [
        (LanguageGuess(language: .german, percent: 79, reliable: false), false),
        (LanguageGuess(language: .german, percent: 80, reliable: false), true),
        (LanguageGuess(language: .german, percent: 10, reliable: true), true),
        (LanguageGuess(language: .unknown, percent: 99, reliable: false), true),
    ])
    func confidence(guess: LanguageGuess, confident: Bool) {
        #expect(LanguageRules.isConfident(guess) == confident)
    }

    @Test(arguments: [
        ([nil, .german, nil, .french, nil], Language.english, [Language.german, .german, .german, .french, .french]),
        ([nil, nil], .english, [.english, .english]),
        ([.french], .english, [.french]),
    ] as [([Language?], Language, [Language])])
    func neighbours(own: [Language?], whole: Language, expected: [Language]) {
        #expect(LanguageRules.fillFromNeighbours(own, whole: whole) == expected)
    }

    @Test(arguments: [
        ("Über uns", 7),
        ("naïve café", 9),
        ("2024 - 1:0", 0),
        ("2024 — 1:0", 1),  // any non-ASCII character counts, a dash too
    ])
    func letters(text: String, count: Int) {
        #expect(LanguageRules.letterCount(text) == count)
    }

    @Test func stopwordsAreCountedByTheBridge() {
        let counts = StopwordCounts(of: "Über uns und für die Sans Sans Sans")
        #expect(counts == StopwordCounts([.german: 5, .french: 1, .english: 0]))
    }

    /// Swift's Language mirrors the bridge's table: same codes, same order, and CLD2 names
    /// every language but `.unknown`.
    @Test func languageMirrorsTheBridgeTable() {
        #expect(Language.bridgeTable.map(\.code) == Language.allCases.map(\.rawValue))
        #expect(Language.bridgeTable.map(\.snowball) == ["english", "french", "german", ""])
        #expect(Language.identified == [.english, .french, .german])
        #expect(Language(cld2Code: "fr") == .french)
        #expect(Language(cld2Code: "und") == nil)
        #expect(Language(cld2Code: "") == nil)
    }
}
