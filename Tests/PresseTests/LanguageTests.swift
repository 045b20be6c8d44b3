import Testing
@testable import Presse

struct LanguageTests {
    @Test(arguments: [
        ("The cluster management organizations officially announced the renewal of their long-standing partnership agreement.", Language.english),
        ("Ce partenariat, noué pour une durée de deux ans, est le fruit de relations nées lors du déplacement d'une mission au Japon.", .french),
        ("Seit 25 Jahren ist BioM die Netzwerkorganisation der Biotechnologiebranche in München und Bayern.", .german),
    ])
    func detectsEachLanguage(text: String, expected: Language) {
        #expect(LanguageDetector.detect(text).language == expected)
    }

    @Test func shortPassagesTakeTheirNeighboursLanguage() {
        let texts = [
            "Über uns",
            "Seit 25 Jahren ist BioM die Netzwerkorganisation der Biotechnologiebranche in München und Bayern und agiert im Auftrag des Ministeriums.",
            "Kontakt",
        ]
        #expect(LanguageDetector.assignLanguages(to: texts) == [.german, .german, .german])
    }

    @Test func textCLD2CannotPlaceIsJudgedByItsStopwords() {
        // CLD2 answers "unknown" for this (the repeated package name, it seems); für, die and
        // dieses are German stopwords.
        let texts = ["TeX Live: Dokumentationsdateien für texlive-fonts-recommended",
                     "Dieses Paket enthält die Dokumentation für texlive-fonts-recommended."]
        #expect(LanguageDetector.detect(texts.joined(separator: "\n\n")).language == .german)
        #expect(LanguageDetector.assignLanguages(to: texts) == [.german, .german])
        // Too few stopwords to tell: still undetermined.
        #expect(LanguageDetector.detect("xkcd-3012 qwrtz-9981 zzyzx-4410").language == .unknown)
    }

    @Test func oneOfOursCloseBehindAnotherLanguageIsTaken() {
        // CLD2: Norwegian 50%, German 49%, reliable. Unstemmed as undetermined, it would miss
        // every inflected query; as German it is found.
        let texts = ["Bibliothek für GIF-Bilder (Dienstprogramme)\n\nGIFLIB ist ein Paket, das portable Werkzeuge und "
                     + "Bibliotheksroutinen\nzum Arbeiten mit GIF-Bildern bereitstellt.",
                     "Dieses Paket enthält zusätzliche Werkzeuge."]
        #expect(LanguageDetector.detect(texts[0]).language == .german)
        #expect(LanguageDetector.assignLanguages(to: texts) == [.german, .german])
        // Another language alone stays undetermined.
        #expect(LanguageDetector.detect("Este paquete contiene la documentación en español para los usuarios del controlador de movimiento.").language == .unknown)
    }

    @Test func functionWordsOutweighNamesAndTerms() {
        // CLD2 reads the first 99% English (its names); the French function words (est, le,
        // de, un, la, et) say French. The short second one goes by its own stopwords.
        let texts = ["GEOTRANZ est le nom Debian de GEOTRANS, un produit de la National Geospatial-Intelligence "
                     + "Agency (NGA) et de l'U.S. Army Engineering Research and Development Center.",
                     "Ce paquet fournit un tas de documentation et d’exemples."]
        #expect(LanguageDetector.assignLanguages(to: texts) == [.french, .french])
    }

    @Test func theMixedReleaseIsLabelledPassageByPassage() {
        let (_, passages) = PassageSplitter().passages(of: SampleCorpus.text(SampleCorpus.munichOsaka))
        let german = passages.firstIndex { $0.text.hasPrefix("Über die BioM") }
        #expect(german != nil)
        guard let german else { return }
        #expect(passages[..<german].allSatisfy { $0.language == .english })
        #expect(passages[german...].allSatisfy { $0.language == .german })
    }

    @Test func theFrenchReleaseIsFrench() {
        let (_, passages) = PassageSplitter().passages(of: SampleCorpus.text(SampleCorpus.bioXclusters))
        #expect(!passages.isEmpty)
        #expect(passages.allSatisfy { $0.language == .french })
    }

    @Test func userValuesAreParsed() {
        #expect(Language(userValue: "FR") == .french)
        #expect(Language(userValue: "deutsch") == .german)
        #expect(Language(userValue: "klingon") == nil)
    }
}
