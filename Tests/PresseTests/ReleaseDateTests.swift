import Testing
@testable import Presse

/// A release's date: the forms written in English, French and German, what is rejected,
/// metadata values, and the order metadata > text > file.
struct ReleaseDateTests {
    private func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }

    @Test(arguments: [
        // English
        ("The fair closed successfully on 29 October 2020.", "2020-10-29"),
        ("LONDON, October 29, 2020 — MedCity led a delegation", "2020-10-29"),
        ("Posted Oct. 29th 2020 by the press office", "2020-10-29"),
        ("signed on the 1st of March, 2021 in Osaka", "2021-03-01"),
        ("Sept 8 2022: a new agreement", "2022-09-08"),
        ("on 29 Feb 2024 it rained", "2024-02-29"),
        // French
        ("Lyon, mardi 8 novembre 2022 – Lyonbiopôle signe", "2022-11-08"),
        ("ont signé, le 8 novembre 2022, un accord", "2022-11-08"),
        ("Publié le 1er mars 2021", "2021-03-01"),
        ("le 14 juillet 2019", "2019-07-14"),
        ("le 15 août 2019 et le 3 février 2020", "2019-08-15"),
        ("le 15 aout 2019", "2019-08-15"),
        ("le 3 févr. 2020", "2020-02-03"),
        ("le 24 décembre 2021", "2021-12-24"),
        // German
        ("München, 8. November 2022 – BioM und Osaka", "2022-11-08"),
        ("am 12. Oktober 2022 unterzeichnet", "2022-10-12"),
        ("am 3. März 2023", "2023-03-03"),
        ("am 3. Maerz 2023", "2023-03-03"),
        ("Wien, 7. Jänner 2021", "2021-01-07"),
        ("am 1. Dez. 2020", "2020-12-01"),
        ("Pressemitteilung vom 08.11.2022", "2022-11-08"),
        ("Stand: 8.11.2022.", "2022-11-08"),
        // ISO
        ("2022-11-08 Osaka Bio Headquarters", "2022-11-08"),
        ("updated 2022/11/08", "2022-11-08"),
        // With a no-break space, as French typesetting writes it.
        ("le 8\u{00A0}novembre\u{00A0}2022", "2022-11-08"),
    ])
    func aWrittenDateIsRead(text: String, iso: String) {
        #expect(DateRules.fromText(text)?.iso == iso, "\(text)")
    }

    @Test(arguments: [
        "le 32 octobre 2022",           // no such day
        "on 31 April 2021",             // April has 30
        "le 29 février 2023",           // 2023 is no leap year
        "on 29 October 2120",           // outside the years a release bears
        "mardi 8 novembre",             // no year: it cannot be known
        "held in Osaka on 10 October",  // no year
        "Published: November 2020",     // no day
        "in 2022 and 2023",             // years alone
        "version 2.10.2022 is out",     // a version, not a day
        "Presse v2.10.2022",
        "release 1.2.10.2022",          // part of a longer number
        "see 8.11.2022.3",
        "item 2022-11-08-1",
        "ref 12022-11-08",
        "on 08/11/2022",                // Paris says 8 November, New York August 11
        "13.13.2022",                   // no thirteenth month
        "2022-13-01",
        "3,29 October 2020 units",      // a day inside a number
        "29 Octobre",                   // no year
    ])
    func aWrongOrAmbiguousDateIsRejected(text: String) {
        #expect(DateRules.fromText(text) == nil, "\(text) gave \(DateRules.fromText(text)?.iso ?? "")")
    }

    @Test func theDatelineAtTheTopWinsOverLaterDates() {
        let text = """
            Osaka and Munich continue their partnership

            MUNICH, 8 November 2022 – The agreement, first signed on 3 March 2011, was renewed.
            """
        #expect(DateRules.fromText(text) == day(2022, 11, 8))
    }

    @Test func aPublicationLabelWinsOverTheOpeningsDates() {
        let opening = "The fair closed on 29 October 2020.\n\n"
        #expect(DateRules.fromText(opening + "Published: 3 November 2020") == day(2020, 11, 3))
        // At the end of a long release too.
        let long = opening + String(repeating: "Lorem ipsum dolor sit amet. ", count: 400) + "\n\nVeröffentlicht am 4. November 2020"
        #expect(DateRules.fromText(long) == day(2020, 11, 4))
    }

    @Test func aDateFarIntoTheTextIsNotTheReleases() {
        // An "About us" paragraph's founding date, after the opening.
        let text = "News of the week.\n\n" + String(repeating: "Lorem ipsum dolor sit amet. ", count: 400)
            + "\n\nAbout BioM: founded on 1 January 1997 in Martinsried."
        #expect(DateRules.fromText(text) == nil)
    }

    @Test func datesAmongOtherYearsAndNumbersAreRead() {
        // Only the text around each year is read: nearby years are read as one piece.
        let text = "Founded in 1997, the cluster grew in 2019, 2020 and 2021 (120 firms, 2,045 jobs); "
            + String(repeating: "x", count: 150) + " on 3 March 2021, and 2022-11-08."
        #expect(DateRules.matches(in: Array(text.unicodeScalars)).map(\.date.iso) == ["2021-03-03", "2022-11-08"])
        #expect(DateRules.fromText(text)?.iso == "2021-03-03")
        #expect(DateRules.fromText("On 29 October 2020 the fair closed. Veröffentlicht am Dienstag, 3. November 2020")
            == day(2020, 11, 3))
        #expect(DateRules.fromText(String(repeating: "Kein Datum hier. ", count: 1_000)) == nil)
    }

    @Test func noMonthNameStandsForTwoMonths() {
        var months: [String: Int] = [:]
        for (language, table) in DateRules.monthNames {
            #expect(table.count == 12, "\(language) has twelve months")
            for (index, names) in table.enumerated() {
                for name in names {
                    #expect(name == name.lowercased(), "\(name) is lower case")
                    if let other = months[name] { #expect(other == index + 1, "\(name) is month \(other) and \(index + 1)") }
                    months[name] = index + 1
                }
            }
        }
    }

    @Test(arguments: [
        ("2022-11-08", "2022-11-08"),
        ("2022-11-08T23:30:00-05:00", "2022-11-08"),  // the day where it was written
        ("\"2022-11-08T10:00:00Z\"", "2022-11-08"),
        ("20221108", "2022-11-08"),
        ("20221108T101500", "2022-11-08"),
        ("Tue, 08 Nov 2022 10:15:00 +0100", "2022-11-08"),  // an e-mail's Date:
        ("8 Nov 2022 10:15:00 GMT", "2022-11-08"),
        ("November 8, 2022", "2022-11-08"),
        ("D:20221108101500+01'00'", "2022-11-08"),  // a PDF's CreationDate
        ("D:20221108", "2022-11-08"),
    ])
    func aMetadataValueIsRead(value: String, iso: String) {
        #expect(DateRules.metadataValue(value)?.iso == iso, "\(value)")
    }

    @Test(arguments: ["", "yesterday", "2022-02-30", "202211080", "2022", "Tue, 32 Nov 2022 10:15:00 +0100", "D:2022", "D:20221308"])
    func aBadMetadataValueIsRejected(value: String) {
        #expect(DateRules.metadataValue(value) == nil, "\(value)")
    }

    @Test func theMostSpecificMetadataNameWins() {
        let metadata: [(name: String, value: String)] = [
            ("time", "2022-11-10"), ("date", "not a date"), ("DC.date", "2022-11-09"),
            ("article:published_time", "2022-11-08T09:00:00+01:00"), ("article:modified_time", "2023-01-05"),
        ]
        #expect(DateRules.fromMetadata(metadata) == day(2022, 11, 8))
        #expect(DateRules.fromMetadata(Array(metadata.prefix(3))) == day(2022, 11, 9))
        #expect(DateRules.fromMetadata([("time", "2022-11-10"), ("date", "not a date")]) == day(2022, 11, 10))
        #expect(DateRules.fromMetadata([("article:modified_time", "2023-01-05"), ("og:title", "8 November 2022")]) == nil)
        let jsonLD = #"{"@context":"https://schema.org","@type":"NewsArticle","datePublished": "2022-11-08T09:00:00+01:00"}"#
        #expect(DateRules.fromMetadata([("time", "2020-01-01"), ("ld+json", jsonLD)]) == day(2022, 11, 8))
        #expect(DateRules.fromMetadata([("ld+json", #"{"@type":"Organization","name":"BioM"}"#), ("time", "2020-01-01")])
            == day(2020, 1, 1))
    }

    @Test func metadataThenTextThenTheFile() {
        let modified: Int64 = 1_667_900_000 * 1_000_000_000  // 2022-11-08 09:33:20 UTC
        let fromMetadata = DateRules.date(metadata: [("date", "2021-05-04")], text: "on 29 October 2020", modifiedNanoseconds: modified)
        #expect(fromMetadata == ReleaseDate(day(2021, 5, 4), source: .metadata))
        let fromText = DateRules.date(metadata: [("date", "soon")], text: "on 29 October 2020", modifiedNanoseconds: modified)
        #expect(fromText == ReleaseDate(day(2020, 10, 29), source: .text))
        let fromFile = DateRules.date(metadata: [], text: "mardi 8 novembre", modifiedNanoseconds: modified)
        #expect(fromFile == ReleaseDate(day(2022, 11, 8), source: .file))
    }

    @Test func theFilesDayIsItsUTCDay() {
        #expect(CalendarDate(unixTime: 0) == day(1970, 1, 1))
        #expect(CalendarDate(unixTime: 951_782_400) == day(2000, 2, 29))
        #expect(CalendarDate(unixTime: 1_667_951_999) == day(2022, 11, 8))  // 23:59:59
        #expect(CalendarDate(unixTime: 1_667_952_000) == day(2022, 11, 9))
        #expect(CalendarDate(unixTime: -1) == day(1969, 12, 31))
        #expect(CalendarDate(unixTime: 4_102_444_800) == nil)  // 2100: outside the years
    }

    @Test func theStoredFormSortsAndReadsBack() {
        let date = day(2022, 11, 8)
        #expect(date.stored == "20221108")
        #expect(date.iso == "2022-11-08")
        #expect(CalendarDate(stored: "20221108") == date)
        #expect(CalendarDate(stored: "2022118") == nil)
        #expect(CalendarDate(stored: "20221131") == nil)
        #expect(day(1999, 12, 31).stored < day(2000, 1, 1).stored)
    }
}
