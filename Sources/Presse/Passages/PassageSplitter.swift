/// One passage of a release: the unit Presse indexes, ranks and shows.
public struct Passage: Sendable, Equatable {
    public var ordinal: Int
    /// The exact text of the release between `start` and `end`.
    public var text: String
    /// UTF-8 byte offsets into the release text as Presse decoded it.
    public var start: Int
    public var end: Int
    public var language: Language

    public init(ordinal: Int, text: String, start: Int, end: Int, language: Language) {
        self.ordinal = ordinal
        self.text = text
        self.start = start
        self.end = end
        self.language = language
    }
}

/// Splits a release into passages: paragraphs (blank lines, or a line that ends a sentence),
/// with headings and other short unpunctuated lines kept with the text they introduce, and
/// long paragraphs cut at sentence boundaries. Works on UTF-8 bytes, so a 10 MB line costs one
/// pass.
public struct PassageSplitter: Sendable {
    /// A paragraph longer than this is cut at sentence boundaries.
    public var maximumBytes = 1_500
    /// Cut pieces aim for at least this much text.
    public var targetBytes = 800
    /// A short paragraph with no closing punctuation is a heading: it joins the next one,
    /// up to this many bytes of headings in a row.
    public var headingBytes = 160
    public var maximumHeadingRun = 600

    public init() {}

    /// The release's title (its first non-empty line) and its passages, without languages;
    /// a heading joins its neighbour only in its neighbour's language (see below).
    public func split(_ text: String) -> (title: String, ranges: [Range<Int>]) {
        split(text, ownLanguage: LanguageDetector.ownLanguage)
    }

    /// The same, with a heading's join decided by language: a heading (or closing line) joins
    /// its neighbour only when `LanguageRules.mayJoin` their own languages (`ownLanguage` of
    /// each paragraph's text; asked only of headings and the paragraphs they would join).
    /// `{ _ in nil }` joins every heading, whatever its language.
    func split(_ text: String, ownLanguage: (String) -> Language?) -> (title: String, ranges: [Range<Int>]) {
        var text = text
        return text.withUTF8 { bytes in
            let title = firstLine(bytes)
            let paragraphs = self.paragraphs(bytes)
            var cache: [Range<Int>: Language?] = [:]
            func language(_ range: Range<Int>) -> Language? {
                if let known = cache[range] { return known }
                // A heading joins at most the first piece a long paragraph is cut into: that
                // much of it says its language (and a 10 MB line is not read twice).
                let end = range.count > maximumBytes ? characterBoundary(bytes, at: range.lowerBound + maximumBytes) : range.upperBound
                let found = ownLanguage(String(decoding: UnsafeBufferPointer(rebasing: bytes[range.lowerBound..<end]), as: UTF8.self))
                cache[range] = found
                return found
            }
            // A run of headings and the paragraph they introduce, with the run's language (the
            // first of its own among them).
            var ranges: [Range<Int>] = []
            var pendingHeading: Range<Int>?
            var pendingLanguage: Language?
            func mayJoin(_ heading: Language?, _ paragraph: Range<Int>) -> Bool {
                // A heading with no language of its own joins anything: its neighbour's
                // language is not needed (nor computed).
                heading == nil || LanguageRules.mayJoin(heading, language(paragraph))
            }
            for paragraph in paragraphs {
                let isHeading = paragraph.count <= headingBytes && !endsSentence(bytes, paragraph)
                if let heading = pendingHeading {
                    if mayJoin(pendingLanguage, paragraph) {
                        if isHeading && paragraph.upperBound - heading.lowerBound <= maximumHeadingRun {
                            pendingHeading = heading.lowerBound..<paragraph.upperBound
                            pendingLanguage = pendingLanguage ?? language(paragraph)
                            continue
                        }
                        if !isHeading {
                            pendingHeading = nil
                            ranges.append(contentsOf: cut(bytes, heading.lowerBound..<paragraph.upperBound))
                            continue
                        }
                    }
                    // Too long a run, or a paragraph in another language: the run stands alone.
                    ranges.append(heading)
                    pendingHeading = nil
                }
                if isHeading {
                    pendingHeading = paragraph
                    pendingLanguage = language(paragraph)
                } else {
                    ranges.append(contentsOf: cut(bytes, paragraph))
                }
            }
            if let heading = pendingHeading {
                // A closing line ("Published: November 2020") stays with the text before it.
                if let last = ranges.last, heading.count <= headingBytes, mayJoin(pendingLanguage, last) {
                    ranges[ranges.count - 1] = last.lowerBound..<heading.upperBound
                } else {
                    ranges.append(heading)
                }
            }
            return (title, ranges.filter { hasWordCharacter(bytes, $0) })
        }
    }

    /// Splits the text around its dropped pieces (Boilerplate) and labels every passage with
    /// its language; the title is the text's own headline (Headline), which a format's
    /// declared headline overrides.
    public func passages(of text: String, dropping dropped: [DroppedText] = []) -> (title: String, passages: [Passage]) {
        let ranges = split(text, dropping: dropped)
        let utf8 = Array(text.utf8)
        let texts = ranges.map { String(decoding: utf8[$0], as: UTF8.self) }
        let languages = LanguageDetector.assignLanguages(to: texts)
        let passages = ranges.indices.map {
            Passage(ordinal: $0, text: texts[$0], start: ranges[$0].lowerBound, end: ranges[$0].upperBound,
                    language: languages[$0])
        }
        return (Headline.fromText(passages), passages)
    }

    // MARK: - Lines and paragraphs

    private func firstLine(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let line = trimmed(bytes, start..<end)
            if !line.isEmpty {
                let capped = line.lowerBound..<min(line.upperBound, line.lowerBound + 300)
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[capped]), as: UTF8.self)
            }
            start = end + 1
        }
        return ""
    }

    /// Paragraphs as trimmed byte ranges: a blank line ends one, and so does a line that ends
    /// a sentence (releases often put one paragraph per line with no blank line between).
    private func paragraphs(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var current: Range<Int>?
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let line = trimmed(bytes, start..<end)
            if line.isEmpty {
                if let paragraph = current { result.append(paragraph) }
                current = nil
            } else {
                current = (current?.lowerBound ?? line.lowerBound)..<line.upperBound
                if endsSentence(bytes, line) {
                    result.append(current!)
                    current = nil
                }
            }
            start = end + 1
        }
        if let paragraph = current { result.append(paragraph) }
        return result
    }

    // MARK: - Cutting long paragraphs

    /// Cuts a long paragraph into pieces of about targetBytes..maximumBytes, at the sentence
    /// boundary nearest the limit, else at a space, else at a character boundary.
    private func cut(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var start = range.lowerBound
        while range.upperBound - start > maximumBytes {
            let limit = start + maximumBytes
            var cutAt = lastSentenceEnd(bytes, from: start + targetBytes, to: limit)
                ?? lastSpace(bytes, from: start + targetBytes / 2, to: limit)
                ?? characterBoundary(bytes, at: limit)
            if cutAt <= start { cutAt = limit }
            let piece = trimmed(bytes, start..<cutAt)
            if !piece.isEmpty { pieces.append(piece) }
            start = cutAt
        }
        let rest = trimmed(bytes, start..<range.upperBound)
        if !rest.isEmpty { pieces.append(rest) }
        return pieces
    }

    private func lastSentenceEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = to - 1
        while i > from {
            let b = bytes[i]
            if (b == 0x2E || b == 0x21 || b == 0x3F) && i + 1 < bytes.count && isSpace(bytes[i + 1]) {
                var next = i + 1
                while next < bytes.count && isSpace(bytes[next]) { next += 1 }
                if next >= bytes.count || startsSentence(bytes[next]) { return i + 1 }
            }
            i -= 1
        }
        return nil
    }

    private func lastSpace(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = to - 1
        while i > from {
            if isSpace(bytes[i]) { return i }
            i -= 1
        }
        return nil
    }

    private func characterBoundary(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        var i = min(index, bytes.count)
        while i > 0 && i < bytes.count && bytes[i] & 0xC0 == 0x80 { i -= 1 }
        return i
    }

    // MARK: - Byte classes

    private func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper && isSpace(bytes[lower]) { lower += 1 }
        while upper > lower && isSpace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// Ends with . ! ? or …, possibly followed by closing quotes or brackets.
    private func endsSentence(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        var i = range.upperBound
        while i > range.lowerBound {
            let b = bytes[i - 1]
            if b == 0x22 || b == 0x27 || b == 0x29 || b == 0x5D { i -= 1; continue }  // " ' ) ]
            if i - 3 >= range.lowerBound && bytes[i - 3] == 0xE2 && bytes[i - 2] == 0x80
                && (bytes[i - 1] == 0x9D || bytes[i - 1] == 0x99) { i -= 3; continue }   // ” ’
            if i - 2 >= range.lowerBound && bytes[i - 2] == 0xC2 && bytes[i - 1] == 0xBB { i -= 2; continue }  // »
            break
        }
        guard i > range.lowerBound else { return false }
        let last = bytes[i - 1]
        if last == 0x2E || last == 0x21 || last == 0x3F { return true }
        return i - 3 >= range.lowerBound && bytes[i - 3] == 0xE2 && bytes[i - 2] == 0x80 && last == 0xA6  // …
    }

    private func startsSentence(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b >= 0xC0 || b == 0x22 || b == 0x27 || b == 0x28
    }

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }

    private func hasWordCharacter(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for i in range {
            let b = bytes[i] | 0x20
            if (b >= 0x61 && b <= 0x7A) || (bytes[i] >= 0x30 && bytes[i] <= 0x39) || bytes[i] >= 0xC0 { return true }
        }
        return false
    }
}
