/// A release's title: the one place that decides what it is and how long it may be.
///   1. The headline its format declares (a web page's `<h1>`, `og:title` or `<title>`, chosen
///      by the bridge's cx_html_text; an e-mail's Subject; a Markdown file's first heading);
///   2. else its text's first real headline: the first line that is not furniture
///      (Boilerplate), has two words or more and is no sentence ("Non classé" is a category
///      label, dropped; "BioXclusters Plus signe un accord …" is the headline);
///   3. else its first sentence.
/// Cut at a word boundary to maximumCharacters, with "…" where it was cut.
public enum Headline {
    public static let maximumCharacters = 120

    public static func title(declared: String?, passages: [Passage]) -> String {
        title(declared: declared) ?? fromText(passages)
    }

    /// The declared headline made a title; nil when there is none with a character.
    public static func title(declared: String?) -> String? {
        guard let declared = declared.map(oneLine), !declared.isEmpty else { return nil }
        return cut(declared)
    }

    /// The title of a release that declares none, from its kept passages.
    static func fromText(_ passages: [Passage]) -> String {
        guard let first = passages.first else { return "" }
        // A title is short: what lies past the first 1,500 bytes never matters (and bytes,
        // not Characters, are cheap to cut).
        let head = Array(first.text.utf8.prefix(1_500))
        // The first line, or the one after a dateline above the headline ("Lyon, 8 novembre
        // 2022").
        var lineStart = 0
        for _ in 0..<2 {
            let lineEnd = head[lineStart...].firstIndex(of: 0x0A) ?? head.count
            let line = Substring(String(decoding: head[lineStart..<lineEnd], as: UTF8.self)).trimmingWhitespace()
            if isHeadline(line) && !isDateline(line) { return cut(oneLine(line)) }
            guard isDateline(line), lineEnd < head.count else { break }
            lineStart = lineEnd + 1
        }
        return cut(firstSentence(oneLine(String(decoding: head, as: UTF8.self))))
    }

    /// A line a headline can be: 2 words or more, no longer than a long headline, and not a
    /// sentence (a headline may ask or exclaim, but a full stop ends a paragraph's sentence).
    static func isHeadline(_ line: Substring) -> Bool {
        guard line.utf8.count <= 250, !line.hasSuffix(".") else { return false }
        return line.utf8.contains(0x20) || line.utf8.contains(0x09)  // trimmed: a space inside means two words
    }

    /// A short line with a year in it (1900-2099): a place and a date, not a headline.
    static func isDateline(_ line: Substring) -> Bool {
        guard line.utf8.count <= 60 else { return false }
        let words = line.split { $0.isWhitespace || $0 == "," || $0 == "." }
        guard words.count <= 6 else { return false }
        return words.contains { $0.count == 4 && ($0.hasPrefix("19") || $0.hasPrefix("20")) && $0.allSatisfy(\.isNumber) }
    }

    /// The text up to its first sentence end: a full stop, "!" or "?" followed by a space and a
    /// capital or digit, not after an initial or a common abbreviation ("Prof. Dr. Domdey").
    static func firstSentence(_ text: String) -> String {
        // Unicode scalars rather than Characters: grapheme breaking cost more than the rest
        // of the title.
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index + 2 < scalars.count {
            let c = scalars[index]
            if (c == "." || c == "!" || c == "?") && scalars[index + 1] == " "
                && (scalars[index + 2].properties.isUppercase || ("0"..."9").contains(scalars[index + 2])) {
                var wordStart = index
                while wordStart > 0 && scalars[wordStart - 1] != " " { wordStart -= 1 }
                var word = String.UnicodeScalarView()
                word.append(contentsOf: scalars[wordStart..<index])
                let abbreviation = c == "." && (word.count <= 1 || abbreviations.contains(String(word).lowercased()))
                if !abbreviation {
                    var sentence = String.UnicodeScalarView()
                    sentence.append(contentsOf: scalars[...index])
                    return String(sentence)
                }
            }
            index += 1
        }
        return text
    }

    static let abbreviations: Set<String> = [
        "dr", "prof", "mr", "mrs", "ms", "st", "no", "nr", "inc", "ltd", "co", "corp", "vs", "ca", "approx", "jr", "sr",
        "mme", "mm", "m", "dipl", "ing", "bzw", "ggf", "z.b", "u.a", "e.g", "i.e", "etc", "mio", "mrd", "jan", "feb",
        "oct", "nov", "dec", "sept",
    ]

    /// At most maximumCharacters: cut at the last space that leaves room for "…".
    public static func cut(_ title: String) -> String {
        guard title.count > maximumCharacters else { return title }
        let room = title.prefix(maximumCharacters - 1)
        var kept = room
        if let space = room.lastIndex(where: \.isWhitespace), room.distance(from: room.startIndex, to: space) >= maximumCharacters / 2 {
            kept = room[..<space]
        }
        while let last = kept.last, last.isWhitespace || last == "," || last == ";" || last == ":" || last == "-" {
            kept.removeLast()
        }
        return String(kept) + "…"
    }

    /// Whitespace (spaces, tabs, line breaks) collapsed to single spaces, none at the ends;
    /// on bytes, which cost a tenth of Characters here.
    static func oneLine<S: StringProtocol>(_ text: S) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}

extension PassageSplitter {
    /// Passage ranges of the text around the dropped pieces: each stretch between two dropped
    /// pieces is split on its own, so no passage (and no heading joining the text it
    /// introduces) reaches over furniture.
    func split(_ text: String, dropping dropped: [DroppedText]) -> [Range<Int>] {
        guard !dropped.isEmpty else { return split(text).ranges }
        let utf8 = Array(text.utf8)
        var ranges: [Range<Int>] = []
        var start = 0
        for piece in dropped.sorted(by: { $0.start < $1.start }) + [DroppedText(start: utf8.count, end: utf8.count, reason: "", text: "")] {
            if piece.start > start {
                let stretch = String(decoding: utf8[start..<piece.start], as: UTF8.self)
                ranges += split(stretch).ranges.map { ($0.lowerBound + start)..<($0.upperBound + start) }
            }
            start = max(start, piece.end)
        }
        return ranges
    }
}
