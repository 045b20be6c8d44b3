/// A release's date: the day it was published, where Presse found it, and the rules that read
/// it from metadata and from text in English, French and German. Swift owns every date rule
/// (the month names, the forms, what is rejected); the bridge only stores the result
/// (schema.h, kDateSlot) and returns the raw metadata strings of a web page (cx_html_text).

/// A day of the calendar as the source writes it: no time and no time zone (a release dated
/// "2022-11-08T23:30:00-05:00" was published on the 8th where it was written).
public struct CalendarDate: Sendable, Equatable, Hashable, Comparable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The years a release can bear: a four-digit number outside them is not a date (a
    /// quantity, a reference, a version).
    public static let years = 1900...2099

    /// nil for a day the calendar does not have (31 April, 29 February 2023) or a year
    /// outside `years`.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.years.contains(year), (1...12).contains(month),
              day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// "20221108": the form the index stores (schema.h, kDateSlot), which Xapian's
    /// DateRangeProcessor compares and which sorts as the dates do.
    public var stored: String { digits(year, 4) + digits(month, 2) + digits(day, 2) }

    /// "2022-11-08": the form every output shows.
    public var iso: String { digits(year, 4) + "-" + digits(month, 2) + "-" + digits(day, 2) }

    /// Reads the stored form back ("20221108"); nil for anything else.
    public init?(stored: String) {
        let bytes = Array(stored.utf8)
        guard bytes.count == 8, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        self.init(year: number(0..<4), month: number(4..<6), day: number(6..<8))
    }

    /// The UTC day of a time in seconds since the epoch (a file's modification time), by
    /// Howard Hinnant's civil_from_days (no Foundation, no time zone database).
    public init?(unixTime seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: Int(year), month: Int(month), day: Int(day))
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    private func digits(_ value: Int, _ count: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, count - text.count)) + text
    }
}

/// Where a release's date came from, most trusted first.
public enum DateSource: String, Sendable, CaseIterable {
    /// What the file says about itself: a web page's <meta> or <time>, an e-mail's Date:
    /// header, a Markdown file's front matter, a PDF's or Word file's creation date.
    case metadata
    /// A dateline or a dated sentence in the release's text.
    case text
    /// The file's modification time (UTC day): when nothing else dates the release.
    case file
}

public struct ReleaseDate: Sendable, Equatable {
    public var date: CalendarDate
    public var source: DateSource

    public init(_ date: CalendarDate, source: DateSource) {
        self.date = date
        self.source = source
    }
}

public enum DateRules {
    // MARK: - The language table

    /// Month names in English, French and German: the full name, its usual abbreviations
    /// (written with or without a dot), and its spelling without accents. Lower case. One
    /// table for every form that names a month; no name may stand for two months (a test
    /// checks), so a text's language need not be known first.
    static let monthNames: [Language: [[String]]] = [
        .english: [
            ["january", "jan"], ["february", "feb"], ["march", "mar"], ["april", "apr"], ["may"], ["june", "jun"],
            ["july", "jul"], ["august", "aug"], ["september", "sep", "sept"], ["october", "oct"],
            ["november", "nov"], ["december", "dec"],
        ],
        .french: [
            ["janvier", "janv"], ["février", "fevrier", "févr", "fevr", "fév", "fev"], ["mars"], ["avril", "avr"], ["mai"],
            ["juin"], ["juillet", "juil"], ["août", "aout"], ["septembre", "sept"], ["octobre", "oct"],
            ["novembre", "nov"], ["décembre", "decembre", "déc", "dec"],
        ],
        .german: [
            ["januar", "jänner", "jan"], ["februar", "feber", "feb"], ["märz", "maerz", "mär", "mrz"], ["april", "apr"],
            ["mai"], ["juni", "jun"], ["juli", "jul"], ["august", "aug"], ["september", "sep", "sept"],
            ["oktober", "okt"], ["november", "nov"], ["dezember", "dez"],
        ],
    ]

    /// Every month name of the table, with its month (1...12).
    static let monthByName: [String: Int] = {
        var table: [String: Int] = [:]
        for (_, months) in monthNames {
            for (index, names) in months.enumerated() {
                for name in names { table[name] = index + 1 }
            }
        }
        return table
    }()

    /// What may stand between a day and its month: English ordinals (29th), French's
    /// premier (1er, 1re), and "of" (the 8th of November).
    static let ordinalSuffixes: Set<String> = ["st", "nd", "rd", "th", "er", "re", "ᵉʳ"]

    /// Words that say the date next to them is the release's own ("Published: …", "Publié
    /// le …", "Veröffentlicht am …"): such a date wins over the other dates of the text.
    static let publicationLabels: Set<String> = [
        "published", "posted", "dated", "date", "released",
        "publié", "publiée", "publie", "publiee", "paru", "parue",
        "veröffentlicht", "veroeffentlicht", "datum", "erschienen",
    ]

    /// Words before a numeric form that make it a version, not a day ("version 2.10.2022").
    static let versionWords: Set<String> = ["version", "v", "release", "build", "révision", "revision", "ver"]

    /// Metadata names that hold a release's publication date, most specific first: Open
    /// Graph's article:published_time, schema.org's datePublished (as itemprop or in a page's
    /// JSON-LD, "ld+json"), Dublin Core, the common `date`/`pubdate` meta tags, a Markdown
    /// front matter's `date`, an e-mail's Date: header, a PDF's or Word file's creation date.
    /// Lower case. A <time datetime> comes after all of them (a page shows many times; the
    /// first is the likeliest). Modification dates are not publication dates: not here.
    static let metadataNames: [String] = [
        "article:published_time", "og:published_time", "datepublished", "ld+json", "dcterms.issued", "dc.date.issued",
        "dc.date", "dcterms.date", "dc.date.created", "dcterms.created", "date", "pubdate", "publishdate",
        "publish_date", "publish-date", "published", "date_published", "sailthru.date", "parsely-pub-date",
        "created", "dcterms:created", "creationdate", "time",
    ]

    /// How far into a text (UTF-8 bytes) a dated sentence counts: the opening, where the
    /// dateline and the news stand (the founding dates of an "About us" paragraph come at
    /// the end).
    static let openingBytes = 4_000
    /// How far from the end a labelled date ("Published: 29 October 2020") is looked for.
    static let closingBytes = 2_000
    /// How much text before a year can belong to its date and its label ("Veröffentlicht am
    /// Dienstag, 8. November 2022"), and after it (an ISO date's month and day, and what
    /// would make it a longer reference).
    static let beforeYearBytes = 100
    static let afterYearBytes = 16

    // MARK: - Choosing a release's date

    /// The release's date: its metadata's, else its text's, else the file's modification
    /// time. `metadata` pairs are (name, value) as the file gives them (HTMLText, MailText,
    /// the front matter), in document order; `modifiedNanoseconds` since the epoch, as
    /// FileSystem.Status keeps it.
    public static func date(metadata: [(name: String, value: String)], text: String,
                            modifiedNanoseconds: Int64) -> ReleaseDate? {
        if let date = fromMetadata(metadata) { return ReleaseDate(date, source: .metadata) }
        if let date = fromText(text) { return ReleaseDate(date, source: .text) }
        let seconds = modifiedNanoseconds >= 0 ? modifiedNanoseconds / 1_000_000_000 : (modifiedNanoseconds + 1) / 1_000_000_000 - 1
        return CalendarDate(unixTime: seconds).map { ReleaseDate($0, source: .file) }
    }

    /// The first readable value of the most specific metadata name.
    public static func fromMetadata(_ metadata: [(name: String, value: String)]) -> CalendarDate? {
        let named = metadata.map { (name: $0.name.lowercased(), value: $0.value) }
        for name in metadataNames {
            for pair in named where pair.name == name {
                let value = name == "ld+json" ? jsonDatePublished(pair.value) : pair.value
                if let value, let date = metadataValue(value) { return date }
            }
        }
        return nil
    }

    /// A JSON-LD script's first "datePublished" string, read without a JSON parser (a page
    /// may hold several objects; the first is the page's own).
    static func jsonDatePublished(_ json: String) -> String? {
        guard let key = json.firstRange(of: "\"datePublished\"") else { return nil }
        let rest = json[key.upperBound...].drop { $0 == " " || $0 == ":" || $0 == "\n" || $0 == "\t" }
        guard rest.first == "\"" else { return nil }
        return String(rest.dropFirst().prefix { $0 != "\"" }.prefix(64))
    }

    /// One metadata value: ISO 8601 ("2022-11-08", "2022-11-08T10:00:00+01:00", "20221108"),
    /// a PDF date ("D:20221108101500+01'00'"), else a written date ("Tue, 08 Nov 2022
    /// 10:15:00 +0100", "November 8, 2022").
    public static func metadataValue(_ value: String) -> CalendarDate? {
        var trimmed = value.drop { $0 == " " || $0 == "\"" || $0 == "'" }
        let pdf = trimmed.hasPrefix("D:")
        if pdf { trimmed = trimmed.dropFirst(2) }
        let scalars = Array(trimmed.unicodeScalars.prefix(64))
        // A compact ISO date: eight digits alone, or before a time ("20221108T1015"); a PDF
        // date's first eight digits (its time follows without a separator).
        let digitRun = scalars.prefix { $0.value >= 0x30 && $0.value <= 0x39 }
        if pdf || (digitRun.count == 8 && (scalars.count == 8 || scalars[8] == "T")) {
            guard digitRun.count >= 8 else { return nil }
            return CalendarDate(stored: String(String.UnicodeScalarView(digitRun.prefix(8))))
        }
        return matches(in: Array(trimmed.unicodeScalars.prefix(200))).first?.date
    }

    /// A date in a text: the first date that a publication label names (in the opening or
    /// the closing lines), else the first date of the opening: a dateline above the text, or
    /// its first dated sentence. Only whole dates count (a day without a year, "mardi 8
    /// novembre", is no date: the year cannot be known).
    public static func fromText(_ text: String) -> CalendarDate? {
        var text = text
        return text.withUTF8 { bytes in
            let openingEnd = boundary(bytes, min(bytes.count, openingBytes))
            let openingMatches = matches(in: bytes, openingEnd > 0 ? 0..<openingEnd : 0..<0)
            if let labelled = openingMatches.first(where: \.labelled) { return labelled.date }
            if openingEnd < bytes.count {
                let closingStart = max(openingEnd, boundary(bytes, bytes.count - closingBytes))
                if let labelled = matches(in: bytes, closingStart..<bytes.count).first(where: \.labelled) { return labelled.date }
            }
            return openingMatches.first?.date
        }
    }

    /// `offset` moved back to the start of a UTF-8 character.
    static func boundary(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Int {
        var at = max(0, offset)
        while at > 0, at < bytes.count, bytes[at] & 0xC0 == 0x80 { at -= 1 }
        return at
    }

    /// The dates in bytes[range], in order. Every date holds a year, so only the text around
    /// each four-digit number from 1900 to 2099 is read (a release without one costs a scan
    /// of its bytes): the pieces around nearby years are read as one.
    static func matches(in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Match] {
        func isDigit(_ at: Int) -> Bool { at >= range.lowerBound && at < range.upperBound && bytes[at] >= 0x30 && bytes[at] <= 0x39 }
        var pieces: [Range<Int>] = []
        var at = range.lowerBound
        while at + 4 <= range.upperBound {
            guard isDigit(at) else { at += 1; continue }
            var end = at
            while isDigit(end) { end += 1 }
            if end - at == 4, (bytes[at] == 0x31 && bytes[at + 1] == 0x39) || (bytes[at] == 0x32 && bytes[at + 1] == 0x30) {
                var start = boundary(bytes, max(range.lowerBound, at - beforeYearBytes))
                // Start after a space, not inside a word the cut would change.
                if start > range.lowerBound, let space = (start..<at).first(where: { bytes[$0] == 0x20 || bytes[$0] == 0x0A }) {
                    start = space + 1
                }
                let stop = boundary(bytes, min(range.upperBound, end + afterYearBytes))
                let stopAtCharacter = stop < end ? end : stop
                if let last = pieces.last, start <= last.upperBound {
                    pieces[pieces.count - 1] = last.lowerBound..<max(last.upperBound, stopAtCharacter)
                } else {
                    pieces.append(start..<stopAtCharacter)
                }
            }
            at = end
        }
        return pieces.flatMap { piece in
            matches(in: Array(String(decoding: UnsafeBufferPointer(rebasing: bytes[piece]), as: UTF8.self).unicodeScalars))
        }
    }

    // MARK: - Reading dates in text

    struct Match: Equatable {
        var date: CalendarDate
        /// A publication label stands just before it.
        var labelled: Bool
    }

    /// Every date written in the scalars, in order. The forms:
    ///   day month year      29 October 2020 · 29th October 2020 · the 8th of November 2022 ·
    ///                       mardi 8 novembre 2022 · 1er mars 2021 · 8. November 2022 · 8 Nov. 2022
    ///   month day, year     October 29, 2020 · Oct. 29th 2020
    ///   day.month.year      08.11.2022 · 8.11.2022 (German's numeric form)
    ///   year-month-day      2022-11-08 · 2022/11/08 (ISO's)
    /// Rejected: a day the month does not have (32 octobre 2022, 31 April), a year outside
    /// CalendarDate.years, a numeric form inside a longer one (1.2.10.2022) or after a
    /// version word (version 2.10.2022), and the ambiguous day/month/year with slashes
    /// (08/11/2022 is 8 November in Paris and August 11 in New York).
    static func matches(in scalars: [Unicode.Scalar]) -> [Match] {
        let tokens = tokenize(scalars)
        var found: [Match] = []
        var index = 0
        while index < tokens.count {
            if let (date, length) = dateStarting(at: index, tokens) {
                found.append(Match(date: date, labelled: labelBefore(index, tokens)))
                index += length
            } else {
                index += 1
            }
        }
        return found
    }

    struct Token {
        enum Kind: Equatable { case number, word, mark }
        var kind: Kind
        /// Lower case for a word; the digits for a number; the character for a mark.
        var text: String
        /// Whitespace (or the start) stands before it.
        var spaced: Bool

        var value: Int? { kind == .number && text.count <= 4 ? Int(text) : nil }
        func isMark(_ mark: String) -> Bool { kind == .mark && text == mark }
    }

    /// No name of the tables is longer ("veroeffentlicht"): a longer word is kept without
    /// its text, which nothing would look up.
    static let longestName = 15

    static func tokenize(_ scalars: [Unicode.Scalar]) -> [Token] {
        // ASCII first: Unicode properties are looked up only for the other characters.
        func isSpace(_ s: Unicode.Scalar) -> Bool {
            s.isASCII ? s == " " || s == "\n" || s == "\t" || s == "\r" || s == "\u{0C}" : s.properties.isWhitespace
        }
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
        func isLetter(_ s: Unicode.Scalar) -> Bool {
            s.isASCII ? (s.value | 0x20) >= 0x61 && (s.value | 0x20) <= 0x7A : s.properties.isAlphabetic
        }
        var tokens: [Token] = []
        tokens.reserveCapacity(scalars.count / 4)
        var index = 0, spaced = true
        while index < scalars.count {
            let scalar = scalars[index]
            if isSpace(scalar) {
                spaced = true
                index += 1
                continue
            }
            let start = index
            let kind: Token.Kind
            if isDigit(scalar) {
                while index < scalars.count, isDigit(scalars[index]) { index += 1 }
                kind = .number
            } else if isLetter(scalar) {
                while index < scalars.count, isLetter(scalars[index]) { index += 1 }
                kind = .word
            } else {
                index += 1
                kind = .mark
            }
            var text = ""
            if kind != .word || index - start <= longestName {
                text = String(String.UnicodeScalarView(scalars[start..<index]))
                if kind == .word { text = text.lowercased() }
            }
            tokens.append(Token(kind: kind, text: text, spaced: spaced))
            spaced = false
        }
        return tokens
    }

    /// The date whose first token is tokens[start], with how many tokens it spans.
    static func dateStarting(at start: Int, _ tokens: [Token]) -> (CalendarDate, Int)? {
        let first = tokens[start]
        if first.kind == .word, let month = monthByName[first.text] {
            return monthFirst(month, start, tokens)
        }
        guard first.kind == .number, let value = first.value else { return nil }
        if first.text.count <= 2 {
            if let found = numericDayFirst(start, tokens) { return found }
            return dayFirst(value, start, tokens)
        }
        return first.text.count == 4 ? isoForm(start, tokens) : nil
    }

    /// The year at tokens[index]: four digits, whole.
    static func year(at index: Int, _ tokens: [Token]) -> Int? {
        guard index < tokens.count, tokens[index].kind == .number, tokens[index].text.count == 4 else { return nil }
        // Glued to a letter or another number, it is a reference, not a year ("2022a", "2022.5").
        if index + 2 < tokens.count, !tokens[index + 1].spaced, tokens[index + 1].isMark("."),
           !tokens[index + 2].spaced, tokens[index + 2].kind == .number { return nil }
        if index + 1 < tokens.count, !tokens[index + 1].spaced, tokens[index + 1].kind != .mark { return nil }
        return tokens[index].value
    }

    /// A token that closes an ordinal or an abbreviation, written right against it.
    static func glued(_ index: Int, _ tokens: [Token], _ accepts: (Token) -> Bool) -> Bool {
        index < tokens.count && !tokens[index].spaced && accepts(tokens[index])
    }

    /// "29 October 2020", "29th of October 2020", "1er mars 2021", "8. November 2022".
    static func dayFirst(_ day: Int, _ start: Int, _ tokens: [Token]) -> (CalendarDate, Int)? {
        // A day inside a number ("1.29 October", "3,29 October") is not a day.
        if start > 0, !tokens[start].spaced, tokens[start - 1].kind != .mark || tokens[start - 1].isMark(".")
            || tokens[start - 1].isMark(",") { return nil }
        var index = start + 1
        if glued(index, tokens, { $0.kind == .word && ordinalSuffixes.contains($0.text) }) { index += 1 }
        if glued(index, tokens, { $0.isMark(".") }) { index += 1 }
        if index < tokens.count, tokens[index].kind == .word, tokens[index].text == "of" { index += 1 }
        guard index < tokens.count, tokens[index].kind == .word, let month = monthByName[tokens[index].text] else { return nil }
        index += 1
        if glued(index, tokens, { $0.isMark(".") }) { index += 1 }
        if index < tokens.count, tokens[index].isMark(",") { index += 1 }
        guard let year = year(at: index, tokens), let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        return (date, index + 1 - start)
    }

    /// "October 29, 2020", "Oct. 29th 2020".
    static func monthFirst(_ month: Int, _ start: Int, _ tokens: [Token]) -> (CalendarDate, Int)? {
        var index = start + 1
        if glued(index, tokens, { $0.isMark(".") }) { index += 1 }
        guard index < tokens.count, tokens[index].kind == .number, tokens[index].text.count <= 2,
              let day = tokens[index].value else { return nil }
        index += 1
        if glued(index, tokens, { $0.kind == .word && ordinalSuffixes.contains($0.text) }) { index += 1 }
        if index < tokens.count, tokens[index].isMark(",") { index += 1 }
        guard let year = year(at: index, tokens), let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        return (date, index + 1 - start)
    }

    /// "08.11.2022": day, month and year with dots and nothing between them.
    static func numericDayFirst(_ start: Int, _ tokens: [Token]) -> (CalendarDate, Int)? {
        guard start + 4 < tokens.count,
              glued(start + 1, tokens, { $0.isMark(".") }),
              glued(start + 2, tokens, { $0.kind == .number && $0.text.count <= 2 }),
              glued(start + 3, tokens, { $0.isMark(".") }),
              glued(start + 4, tokens, { $0.kind == .number && $0.text.count == 4 }),
              standsAlone(start, start + 4, tokens),
              let day = tokens[start].value, let month = tokens[start + 2].value, let year = tokens[start + 4].value,
              let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        return (date, 5)
    }

    /// "2022-11-08", "2022/11/08": year, month and day, two digits each for the last two.
    static func isoForm(_ start: Int, _ tokens: [Token]) -> (CalendarDate, Int)? {
        guard start + 4 < tokens.count else { return nil }
        let separator = tokens[start + 1].text
        guard separator == "-" || separator == "/",
              glued(start + 1, tokens, { $0.kind == .mark }),
              glued(start + 2, tokens, { $0.kind == .number && $0.text.count == 2 }),
              glued(start + 3, tokens, { $0.isMark(separator) }),
              glued(start + 4, tokens, { $0.kind == .number && $0.text.count == 2 }),
              standsAlone(start, start + 4, tokens),
              let year = tokens[start].value, let month = tokens[start + 2].value, let day = tokens[start + 4].value,
              let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        return (date, 5)
    }

    /// A numeric form from tokens[first] to tokens[last] that is not part of a longer number,
    /// reference or version: nothing glued on either side but punctuation that ends it (a
    /// time's "T" after an ISO date is allowed), and no version word before it.
    static func standsAlone(_ first: Int, _ last: Int, _ tokens: [Token]) -> Bool {
        if first > 0, !tokens[first].spaced {
            let before = tokens[first - 1]
            if before.kind != .mark || [".", "-", "/", ",", ":"].contains(before.text) { return false }
        }
        if first > 0, tokens[first - 1].kind == .word, versionWords.contains(tokens[first - 1].text) { return false }
        if first > 1, tokens[first - 1].kind == .mark, tokens[first - 2].kind == .word,
           versionWords.contains(tokens[first - 2].text) { return false }
        let after = last + 1
        if after < tokens.count, !tokens[after].spaced {
            let next = tokens[after]
            if next.kind == .number { return false }
            if next.kind == .word && !next.text.hasPrefix("t") { return false }
            // "2022-11-08-1", "8.11.2022.3": a longer reference.
            if next.kind == .mark, [".", "-", "/"].contains(next.text),
               glued(after + 1, tokens, { $0.kind == .number }) { return false }
        }
        return true
    }

    /// True when a publication label stands among the four tokens before a date (a weekday,
    /// an article, a comma or a colon may stand between: "Publié le mardi 8 novembre 2022",
    /// "Veröffentlicht am Dienstag, 8. November 2022").
    static func labelBefore(_ start: Int, _ tokens: [Token]) -> Bool {
        for index in stride(from: start - 1, through: max(0, start - 4), by: -1)
            where tokens[index].kind == .word && publicationLabels.contains(tokens[index].text) {
            return true
        }
        return false
    }
}
