import Testing
@testable import Presse

/// The library's output formats beside search's: numbers, `stats`, `inspect`, and the batch
/// file the command line reads.
struct RenderingTests {
    @Test(arguments: [
        (4.625, 2, "4.63"), (4.5129, 4, "4.5129"), (0.0, 1, "0.0"), (0.04, 1, "0.0"), (0.05, 1, "0.1"),
        (-1.25, 1, "-1.3"), (-0.004, 2, "0.00"), (3.0, 0, "3"), (1_234.5, 3, "1234.500"), (Double.nan, 2, "0"),
    ])
    func decimals(value: Double, places: Int, shown: String) {
        #expect(Rendering.decimal(value, places: places) == shown)
    }

    @Test(arguments: [(0, "0"), (7, "7"), (10, "10"), (-42, "-42"), (Int.max, "9223372036854775807"),
                      (Int.min, "-9223372036854775808")])
    func jsonNumbersAreTheirDigits(value: Int, written: String) {
        var out = Rendering.JSONBytes(capacity: 0)
        out.number(value)
        #expect(String(decoding: out.bytes, as: UTF8.self) == written)
        #expect(written == String(value))
    }

    @Test func jsonDatePartsArePaddedAsCalendarDateISO() {
        for (year, month, day) in [(2022, 11, 8), (1999, 1, 31), (2026, 12, 1)] {
            var out = Rendering.JSONBytes(capacity: 0)
            out.digits(year, 4); out.raw("-"); out.digits(month, 2); out.raw("-"); out.digits(day, 2)
            #expect(String(decoding: out.bytes, as: UTF8.self) == CalendarDate(year: year, month: month, day: day)?.iso)
        }
    }

    @Test func megabytesAreMiBWithTwoDecimals() {
        #expect(Rendering.megabytes(0) == "0.00")
        #expect(Rendering.megabytes(131_202) == "0.13")
        #expect(Rendering.megabytes(3 << 19) == "1.50")
        #expect(Rendering.megabytes(213_188_745) == "203.31")
    }

    /// Words found through translation are marked apart from the query's own words, in order
    /// of position, and listed with the query words they translate; JSON says "via".
    @Test func translatedWordsAreMarkedApart() {
        let passage = "Die Zusammenarbeit mit Japan"
        let marked = Rendering.marked(passage, [23..<28], translated: [4..<18], style: .plain)
        #expect(marked == "Die __Zusammenarbeit__ mit **Japan**")
        let hit = SearchHit(rank: 1, score: 1, path: "/srv/a.txt", title: "A", language: .german, passage: passage,
                            highlights: [23..<28], passageIndex: 0, passageCount: 1, morePassages: 0, start: 0, end: 28,
                            translated: [TranslatedWord(range: 4..<18, source: "cooperation")])
        let results = SearchResults(query: "cooperation with Japan", total: 1, hits: [hit], fellBack: false, translatedFrom: [.english])
        #expect(Rendering.text(results, style: .plain).contains("   via translation: Zusammenarbeit ← cooperation\n"))
        let json = Rendering.json(results)
        #expect(json.contains(#""translated":[{"start":4,"end":18,"word":"Zusammenarbeit","via":"translation","from":"cooperation"}]"#))
        #expect(json.hasSuffix(#","translated_from":["en"]}"#))
    }

    private let statistics = IndexStatistics(
        path: "/srv/press/Index", releases: 5, passages: 38,
        passagesPerLanguage: [.english: 31, .french: 4, .german: 3], sizeBytes: 131_202, lastUpdate: 1_795_000_000)

    @Test func statisticsAsText() {
        #expect(Rendering.text(statistics) == """
            index        /srv/press/Index
            releases     5
            passages     38
              en         31
              fr         4
              de         3
              und        0
            size         0.13 MB
            last update  2026-11-18 11:06:40 UTC

            """)
        var empty = statistics
        empty.lastUpdate = nil
        #expect(Rendering.text(empty).hasSuffix("last update  never\n"))
    }

    @Test func statisticsAsJSON() {
        #expect(Rendering.json(statistics) == #"{"index":"/srv/press/Index","documents":5,"passages":38,"#
            + #""languages":{"en":31,"fr":4,"de":3,"und":0},"size_bytes":131202,"last_update":"2026-11-18 11:06:40 UTC"}"#)
        var empty = statistics
        empty.lastUpdate = nil
        #expect(Rendering.json(empty).hasSuffix(#","last_update":null}"#))
    }

    private func release() -> PreparedRelease {
        let long = "Über die BioM GmbH\tSeit 25 Jahren ist BioM die Netzwerkorganisation der bayerischen Biotechnologie, mit \"Sitz\" in Martinsried."
        return PreparedRelease(
            path: "/corpus/a.txt",
            record: ReleaseRecord(contentHash: 1, size: 200, modified: 0, passages: 2),
            title: "Osaka and Munich",
            passages: [
                Passage(ordinal: 0, text: "Osaka and Munich\nrenew their partnership.", start: 0, end: 41, language: .english),
                Passage(ordinal: 1, text: long, start: 43, end: 43 + long.utf8.count, language: .german),
            ],
            date: ReleaseDate(CalendarDate(year: 2022, month: 11, day: 8)!, source: .text))
    }

    @Test func inspectAsText() {
        let text = Rendering.text(release(), shownAs: "corpus/a.txt")
        #expect(text == """
            corpus/a.txt
              title: Osaka and Munich
              format: text
              date: 2022-11-08 (text)
              [0] en  0-41  Osaka and Munich renew their partnership.
              [1] de  43-170  Über die BioM GmbH Seit 25 Jahren ist BioM die Netzwerkorganisation der bayerischen Biotechnologi...


            """)
    }

    @Test func inspectAsJSON() {
        let json = Rendering.json(release(), shownAs: "corpus/a.txt")
        #expect(json.hasPrefix(#"{"path":"corpus/a.txt","title":"Osaka and Munich","passages":[{"lang":"en","start":0,"end":41,"#))
        #expect(json.contains(#""text":"Osaka and Munich\nrenew their partnership."}"#))
        #expect(json.contains(#"{"lang":"de","start":43,"end":170,"text":"Über die BioM GmbH\tSeit"#))
        #expect(json.hasSuffix(#""format":"text","date":"2022-11-08","date_source":"text"}"#))
        var undated = release()
        undated.date = nil
        #expect(Rendering.json(undated, shownAs: "a.txt").hasSuffix(#","date":null,"date_source":null}"#))
        #expect(Rendering.text(undated, shownAs: "a.txt").contains("\n  date: none\n"))
        #expect(json.contains(#"mit \"Sitz\" in"#))
        #expect(json.contains("}],\"dropped\":[],\"format\""))
    }

    /// Dropped text stands where it is in the release, marked, with why.
    @Test func inspectShowsDroppedText() {
        var shown = release()
        shown.passages[1].start = 60
        shown.dropped = [DroppedText(start: 42, end: 58, reason: "share buttons", text: "Share on\nTwitter")]
        let text = Rendering.text(shown, shownAs: "corpus/a.txt").split(separator: "\n").map(String.init)
        #expect(text[4] == "  [0] en  0-41  Osaka and Munich renew their partnership.")
        #expect(text[5] == "  [dropped] share buttons  42-58  Share on Twitter")
        #expect(text[6].hasPrefix("  [1] de  60-"))
        #expect(Rendering.json(shown, shownAs: "a").contains(
            #""dropped":[{"reason":"share buttons","start":42,"end":58,"text":"Share on\nTwitter"}],"format":"text","#))
    }

    @Test func batchLinesAreQueriesWithTheirLanguage() {
        let options = SearchOptions(language: .english, limit: 3, allPassages: true)
        let text = "renewing partnerships\nfr\tcoopération\r\n\n  \t \r\nde\tüber die biom\rxx\tnot a language\nFrench\tété"
        let queries = BatchQuery.parse(text, options: options)
        #expect(queries.map(\.text) == ["renewing partnerships", "coopération", "über die biom", "xx\tnot a language", "été"])
        #expect(queries.map(\.options.language) == [.english, .french, .german, .english, .french])
        #expect(queries.allSatisfy { $0.options.limit == 3 && $0.options.allPassages })
        #expect(BatchQuery.parse("", options: options).isEmpty)
    }

    @Test func anUnreadableBatchFileIsAnInvalidArgument() {
        let folder = TemporaryFolder()
        do {
            _ = try BatchQuery.read(file: folder.path + "/none.tsv", options: SearchOptions())
            Issue.record("read a batch file that is not there")
        } catch {
            #expect(error.kind == .invalidArgument)
            #expect(error.context == folder.path + "/none.tsv")
            #expect(error.message.hasPrefix("cannot read the batch file: \(folder.path)/none.tsv: "))
        }
        let file = folder.write("queries.tsv", "osaka\nde\tbiom\n")
        #expect((try? BatchQuery.read(file: file, options: SearchOptions()))?.map(\.text) == ["osaka", "biom"])
    }
}
