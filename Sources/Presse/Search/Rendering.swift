/// Turning results into text: a terminal with colour, plain text with markers, or JSON.
/// Rendering is separate from searching (Tantivy's snippet habit): a hit carries text and
/// highlight ranges, and these functions only decide how to show them.
public enum Rendering {
    public enum Style: Sendable { case terminal, plain }

    /// The passage with its highlights marked: bold yellow on a terminal, **word** otherwise.
    /// Line breaks inside the passage are folded to spaces.
    /// Words matched through translation (`translated`) are marked apart: cyan on a terminal,
    /// __word__ otherwise.
    public static func marked(_ text: String, _ highlights: [Range<Int>], translated: [Range<Int>] = [],
                              style: Style) -> String {
        let (open, close) = style == .terminal ? ("\u{1B}[1;33m", "\u{1B}[0m") : ("**", "**")
        let (openTranslated, closeTranslated) = style == .terminal ? ("\u{1B}[1;36m", "\u{1B}[0m") : ("__", "__")
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + (highlights.count + translated.count) * 12)
        var position = 0
        let marks = (highlights.map { ($0, false) } + translated.map { ($0, true) }).sorted { $0.0.lowerBound < $1.0.lowerBound }
        for (range, isTranslated) in marks where range.lowerBound >= position && range.upperBound <= bytes.count {
            out.append(contentsOf: bytes[position..<range.lowerBound])
            out.append(contentsOf: (isTranslated ? openTranslated : open).utf8)
            out.append(contentsOf: bytes[range])
            out.append(contentsOf: (isTranslated ? closeTranslated : close).utf8)
            position = range.upperBound
        }
        out.append(contentsOf: bytes[position...])
        // The passage on one line: line breaks and tabs as spaces (the marks hold neither).
        for i in out.indices where out[i] == 0x0A || out[i] == 0x09 { out[i] = 0x20 }
        return String(decoding: out, as: UTF8.self)
    }

    public static func text(_ results: SearchResults, style: Style) -> String {
        guard !results.hits.isEmpty else {
            let none = results.total == 0 ? "no matches for \(results.query)\(withoutShards(results))\n"
                : "about \(results.total) matches (none shown)\(withoutShards(results))\n"
            return none + facetsText(results)
        }
        let (bold, dim, reset) = style == .terminal ? ("\u{1B}[1m", "\u{1B}[2m", "\u{1B}[0m") : ("", "", "")
        var out = suggestionText(results)
        for hit in results.hits {
            let more = hit.morePassages > 0 ? ", +\(hit.morePassages) more" : ""
            out += "\(bold)\(hit.rank). \(FileSystem.oneLine(hit.title))\(reset)  [\(hit.language.rawValue)] score \(decimal(hit.score, places: 2))\n"
            let date = hit.date.map { " · \($0.date.iso)" } ?? ""
            out += "   \(dim)\(FileSystem.oneLine(FileSystem.display(hit.path)))\(date) · passage \(hit.passageIndex + 1) of \(hit.passageCount)\(more)\(reset)\n"
            out += "   " + marked(hit.passage, hit.highlights, translated: hit.translated.map(\.range), style: style) + "\n"
            if !hit.translated.isEmpty {
                // Each passage word found through translation once, with the query words it translates.
                var seen: [String] = []
                for word in hit.translated {
                    let text = String(decoding: Array(hit.passage.utf8)[word.range], as: UTF8.self) + " ← " + word.source
                    if !seen.contains(text) { seen.append(text) }
                }
                out += "   \(dim)via translation: \(seen.joined(separator: ", "))\(reset)\n"
            }
            out += "\n"
        }
        out += footer(results) + facetsText(results)
        return out
    }

    /// One JSON object for a search. Built as UTF-8 bytes: a batch of queries spends its
    /// time here as much as in Xapian when built with string interpolation.
    /// `took`: with the search's time in milliseconds, "took_ms" (`search --timings`).
    /// `ids`: each hit with its release's "id" (`presse serve`, for `/api/releases/{id}`).
    public static func json(_ results: SearchResults, took: Bool = false, ids: Bool = false) -> String {
        var out = JSONBytes(capacity: 1_024 + results.hits.reduce(0) { $0 + $1.passage.utf8.count + 256 })
        out.raw("{\"query\":"); out.quoted(results.query)
        out.raw(",\"total\":"); out.number(results.total)
        jsonPage(results, &out.bytes)
        out.raw(",\"hits\":[")
        for (index, hit) in results.hits.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{\"rank\":"); out.number(hit.rank)
            out.raw(",\"score\":"); out.bytes.append(contentsOf: decimal(hit.score, places: 4).utf8)
            out.raw(",\"path\":"); out.quoted(FileSystem.display(hit.path))
            if ids { out.raw(",\"id\":"); out.quoted(releaseID(hit)) }
            out.raw(",\"title\":"); out.quoted(hit.title)
            out.raw(",\"lang\":"); out.quoted(hit.language.rawValue)
            if let date = hit.date {
                out.raw(",\"date\":\""); out.digits(date.date.year, 4); out.raw("-"); out.digits(date.date.month, 2)
                out.raw("-"); out.digits(date.date.day, 2)
                out.raw("\",\"date_source\":"); out.quoted(date.source.rawValue)
            } else {
                out.raw(",\"date\":null,\"date_source\":null")
            }
            out.raw(",\"passage\":"); out.quoted(hit.passage)
            out.raw(",\"highlights\":[")
            for (n, range) in hit.highlights.enumerated() {
                if n > 0 { out.raw(",") }
                out.raw("["); out.number(range.lowerBound); out.raw(","); out.number(range.upperBound); out.raw("]")
            }
            out.raw("]")
            if !hit.translated.isEmpty {
                // The words matched through translation, apart from the highlights.
                out.raw(",\"translated\":[")
                let passage = Array(hit.passage.utf8)
                for (n, word) in hit.translated.enumerated() {
                    if n > 0 { out.raw(",") }
                    out.raw("{\"start\":"); out.number(word.range.lowerBound)
                    out.raw(",\"end\":"); out.number(word.range.upperBound)
                    out.raw(",\"word\":"); out.quoted(String(decoding: passage[word.range], as: UTF8.self))
                    out.raw(",\"via\":\"translation\",\"from\":"); out.quoted(word.source)
                    out.raw("}")
                }
                out.raw("]")
            }
            out.raw(",\"passage_index\":"); out.number(hit.passageIndex)
            out.raw(",\"more_passages\":"); out.number(hit.morePassages)
            out.raw(",\"start\":"); out.number(hit.start)
            out.raw(",\"end\":"); out.number(hit.end)
            out.raw("}")
        }
        out.raw("]")
        if results.fellBack { out.raw(",\"fell_back\":true") }
        if !results.translatedFrom.isEmpty {
            out.raw(",\"translated_from\":[")
            for (n, language) in results.translatedFrom.enumerated() {
                if n > 0 { out.raw(",") }
                out.quoted(language.rawValue)
            }
            out.raw("]")
        }
        jsonAsked(results, &out.bytes)
        if took { out.raw(",\"took_ms\":"); out.bytes.append(contentsOf: decimal(results.seconds * 1000, places: 3).utf8) }
        out.raw("}")
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// The bytes of a JSON text being written, with what it is written of. A value type used
    /// through its own methods, so Swift checks its exclusive access as it compiles (closures
    /// capturing an array checked it at run time, at every write: a tenth of the rendering),
    /// and numbers written as digits, not Strings.
    struct JSONBytes {
        var bytes: [UInt8] = []

        init(capacity: Int) { bytes.reserveCapacity(capacity) }

        mutating func raw(_ text: StaticString) { text.withUTF8Buffer { bytes.append(contentsOf: $0) } }
        mutating func quoted(_ text: String) { Rendering.appendQuoted(text, to: &bytes) }

        mutating func number(_ value: Int) {
            if value < 0 { bytes.append(0x2D) }
            magnitude(value.magnitude)
        }

        private mutating func magnitude(_ value: UInt) {
            var rest = value
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            withUnsafeMutableBytes(of: &digits) { buffer in
                repeat {
                    buffer[19 - count] = 0x30 + UInt8(rest % 10)
                    rest /= 10
                    count += 1
                } while rest > 0
                bytes.append(contentsOf: buffer[(20 - count)...])
            }
        }

        /// `value` in `width` digits at least, zeros first: a date's parts, as CalendarDate.iso
        /// writes them (RenderingTests checks the two agree).
        mutating func digits(_ value: Int, _ width: Int) {
            var count = 1
            var rest = value.magnitude
            while rest >= 10 { rest /= 10; count += 1 }
            if value < 0 { bytes.append(0x2D) }
            for _ in count..<max(count, width) { bytes.append(0x30) }
            magnitude(value.magnitude)
        }
    }

    /// A number with a fixed count of decimals ("4.63"), rounded half away from zero, without
    /// Foundation's String(format:): the one number format of every output (scores, sizes,
    /// seconds, rates).
    public static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled) - whole * Int(scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard places > 0 else { return sign + String(whole) }
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: places - digits.count) + digits
    }

    /// Bytes as megabytes (MiB) with two decimals: "0.13".
    public static func megabytes(_ bytes: Int) -> String { decimal(Double(bytes) / 1_048_576, places: 2) }

    /// A JSON string literal.
    public static func quoted(_ text: String) -> String {
        var out = [UInt8]()
        appendQuoted(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends a JSON string literal. Works on UTF-8 bytes: only ASCII needs escaping.
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + text.utf8.count + 2)
        out.append(0x22)
        let hexDigits: StaticString = "0123456789abcdef"
        var text = text
        text.withUTF8 { bytes in
            // Runs of bytes that need no escape go in at once (a byte at a time was most of
            // the rendering of a batch).
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
                switch byte {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])  // \"
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])  // \\
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])  // \n
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])  // \r
                case 0x09: out.append(contentsOf: [0x5C, 0x74])  // \t
                default:
                    hexDigits.withUTF8Buffer { digits in
                        out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 15)]])
                    }
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(0x22)
    }
}
