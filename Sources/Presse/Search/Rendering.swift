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
        var out = [UInt8]()
        out.reserveCapacity(1_024 + results.hits.reduce(0) { $0 + $1.passage.utf8.count + 256 })
        func raw(_ text: StaticString) { text.withUTF8Buffer { out.append(contentsOf: $0) } }
        func number(_ value: Int) { out.append(contentsOf: String(value).utf8) }
        raw("{\"query\":"); appendQuoted(results.query, to: &out)
        raw(",\"total\":"); number(results.total)
        jsonPage(results, &out)
        raw(",\"hits\":[")
        for (index, hit) in results.hits.enumerated() {
            if index > 0 { raw(",") }
            raw("{\"rank\":"); number(hit.rank)
            raw(",\"score\":"); out.append(contentsOf: decimal(hit.score, places: 4).utf8)
            raw(",\"path\":"); appendQuoted(FileSystem.display(hit.path), to: &out)
            if ids { raw(",\"id\":"); appendQuoted(releaseID(hit), to: &out) }
            raw(",\"title\":"); appendQuoted(hit.title, to: &out)
            raw(",\"lang\":"); appendQuoted(hit.language.rawValue, to: &out)
            if let date = hit.date {
                raw(",\"date\":"); appendQuoted(date.date.iso, to: &out)
                raw(",\"date_source\":"); appendQuoted(date.source.rawValue, to: &out)
            } else {
                raw(",\"date\":null,\"date_source\":null")
            }
            raw(",\"passage\":"); appendQuoted(hit.passage, to: &out)
            raw(",\"highlights\":[")
            for (n, range) in hit.highlights.enumerated() {
                if n > 0 { raw(",") }
                raw("["); number(range.lowerBound); raw(","); number(range.upperBound); raw("]")
            }
            raw("]")
            if !hit.translated.isEmpty {
                // The words matched through translation, apart from the highlights.
                raw(",\"translated\":[")
                let passage = Array(hit.passage.utf8)
                for (n, word) in hit.translated.enumerated() {
                    if n > 0 { raw(",") }
                    raw("{\"start\":"); number(word.range.lowerBound)
                    raw(",\"end\":"); number(word.range.upperBound)
                    raw(",\"word\":"); appendQuoted(String(decoding: passage[word.range], as: UTF8.self), to: &out)
                    raw(",\"via\":\"translation\",\"from\":"); appendQuoted(word.source, to: &out)
                    raw("}")
                }
                raw("]")
            }
            raw(",\"passage_index\":"); number(hit.passageIndex)
            raw(",\"more_passages\":"); number(hit.morePassages)
            raw(",\"start\":"); number(hit.start)
            raw(",\"end\":"); number(hit.end)
            raw("}")
        }
        raw("]")
        if results.fellBack { raw(",\"fell_back\":true") }
        if !results.translatedFrom.isEmpty {
            raw(",\"translated_from\":[")
            for (n, language) in results.translatedFrom.enumerated() {
                if n > 0 { raw(",") }
                appendQuoted(language.rawValue, to: &out)
            }
            raw("]")
        }
        jsonAsked(results, &out)
        if took { raw(",\"took_ms\":"); out.append(contentsOf: decimal(results.seconds * 1000, places: 3).utf8) }
        raw("}")
        return String(decoding: out, as: UTF8.self)
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
