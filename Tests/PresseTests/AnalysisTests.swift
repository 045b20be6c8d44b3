import Testing
@testable import Presse

/// The analysis chain the index and the query share: fold accents, then Snowball-stem.
struct AnalysisTests {
    @Test(arguments: [
        ("coopération", "cooperation"),
        ("Über", "Uber"),
        ("Straße", "Strasse"),
        ("Œuvre cœur", "OEuvre coeur"),
        ("l’occasion d'affaires", "l occasion d affaires"),
        ("jusqu'à", "jusqu a"),
        ("Osaka’s", "Osaka's"),
        ("e\u{301}te\u{301}", "ete"),  // decomposed accents
        ("plain ascii", "plain ascii"),
    ])
    func folding(input: String, expected: String) {
        #expect(foldForIndex(input) == expected)
    }

    @Test(arguments: [
        (Language.english, "partnerships", "partnership"),
        (Language.english, "renewing", "renewal"),
        (Language.french, "coopérations", "coopération"),
        (Language.french, "cooperations", "coopération"),
        (Language.french, "accrues", "accrue"),
        (Language.german, "Firmengründungen", "Firmengründung"),
        (Language.german, "firmengrundung", "Firmengründer"),
    ])
    func inflectedFormsShareAStem(language: Language, one: String, other: String) {
        #expect(stem(one, in: language) == stem(other, in: language))
    }

    @Test func undeterminedTextIsStemmedAsEnglish() {
        // So that its words share the index's terms and weights (see stemmer_name in the bridge).
        #expect(stem("Partnerships", in: .unknown) == stem("partnership", in: .english))
        #expect(stem("fresadoras", in: .unknown) == stem("fresadoras", in: .english))
    }
}
