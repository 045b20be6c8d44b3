/// What `presse stats` and `presse inspect` print, as text and as JSON: an index's counts,
/// and how a release is split into passages. Beside search's rendering (Rendering.swift),
/// with its number format and JSON quoting.
extension Rendering {
    /// `presse stats`: one labelled line a figure, the passages of each language indented.
    public static func text(_ statistics: IndexStatistics) -> String {
        var out = "index        \(statistics.path)\n"
        out += "releases     \(statistics.releases)\n"
        out += "passages     \(statistics.passages)\n"
        for language in Language.allCases {
            out += "  \(padded(language.rawValue, 4))       \(statistics.passagesPerLanguage[language] ?? 0)\n"
        }
        out += "size         \(megabytes(statistics.sizeBytes)) MB\n"
        out += "last update  \(statistics.lastUpdate.map(System.formatUTC) ?? "never")\n"
        return out + datesText(statistics.dates)
    }

    /// `presse stats --json`: one object. "documents" counts releases (the name is older than
    /// the passages; scripts read it).
    public static func json(_ statistics: IndexStatistics) -> String {
        let perLanguage = Language.allCases.map { "\(quoted($0.rawValue)):\(statistics.passagesPerLanguage[$0] ?? 0)" }
        return "{\"index\":\(quoted(statistics.path)),\"documents\":\(statistics.releases),\"passages\":\(statistics.passages)"
            + ",\"languages\":{\(perLanguage.joined(separator: ","))},\"size_bytes\":\(statistics.sizeBytes)"
            + ",\"last_update\":\(statistics.lastUpdate.map(System.formatUTC).map(quoted) ?? "null")"
            + datesJSON(statistics.dates) + "}"
    }

    /// `presse inspect`: the file as the user named it, its title, format and date (with its
    /// source), then in the text's order a line a passage (ordinal, language, byte offsets,
    /// the first 97 characters) and a line a dropped piece ("[dropped]", why, offsets, its
    /// text), and a blank line.
    public static func text(_ release: PreparedRelease, shownAs file: String) -> String {
        var out = "\(file)\n  title: \(release.title)\n  format: \(release.format.rawValue)\n"
        out += "  date: " + (release.date.map { "\($0.date.iso) (\($0.source.rawValue))" } ?? "none") + "\n"
        func preview(_ text: String) -> String {
            let flat = marked(text, [], style: .plain)
            return flat.count > 100 ? String(flat.prefix(97)) + "..." : flat
        }
        var dropped = release.dropped[...]
        func droppedLines(before offset: Int) {
            while let piece = dropped.first, piece.start < offset {
                out += "  [dropped] \(piece.reason)  \(piece.start)-\(piece.end)  \(preview(piece.text))\n"
                dropped.removeFirst()
            }
        }
        for passage in release.passages {
            droppedLines(before: passage.start)
            out += "  [\(passage.ordinal)] \(padded(passage.language.rawValue, 3)) \(passage.start)-\(passage.end)  \(preview(passage.text))\n"
        }
        droppedLines(before: .max)
        return out + "\n"
    }

    /// `presse inspect --json`: one object a file; `dropped` lists the text's furniture.
    public static func json(_ release: PreparedRelease, shownAs file: String) -> String {
        let passages = release.passages.map {
            "{\"lang\":\(quoted($0.language.rawValue)),\"start\":\($0.start),\"end\":\($0.end),\"text\":\(quoted($0.text))}"
        }
        let dropped = release.dropped.map {
            "{\"reason\":\(quoted($0.reason)),\"start\":\($0.start),\"end\":\($0.end),\"text\":\(quoted($0.text))}"
        }
        return "{\"path\":\(quoted(file)),\"title\":\(quoted(release.title)),\"passages\":[\(passages.joined(separator: ","))]"
            + ",\"dropped\":[\(dropped.joined(separator: ","))],\"format\":\(quoted(release.format.rawValue))"
            + ",\"date\":\(release.date.map { quoted($0.date.iso) } ?? "null")"
            + ",\"date_source\":\(release.date.map { quoted($0.source.rawValue) } ?? "null")}"
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
