/// The parts of a search's output that issue 14 added: the page, the suggestion, the facets.
extension Rendering {
    /// "2 of about 3 matches"; past the first page, "hits 11-20 of 35 matches"; "about" only
    /// when the total is an estimate.
    static func footer(_ results: SearchResults) -> String {
        let about = results.totalIsExact ? "" : "about "
        let noun = results.total == 1 ? "match" : "matches"
        let without = withoutShards(results)
        guard results.offset > 0 else { return "\(results.hits.count) of \(about)\(results.total) \(noun)\(without)\n" }
        return "hits \(results.offset + 1)-\(results.offset + results.hits.count) of \(about)\(results.total) \(noun)\(without)\n"
    }

    /// ", without shard HOST:PORT" for an answer that misses shards: on every such answer.
    static func withoutShards(_ results: SearchResults) -> String {
        guard !results.shardsLeftOut.isEmpty else { return "" }
        let s = results.shardsLeftOut.count == 1 ? "" : "s"
        return ", without shard\(s) " + results.shardsLeftOut.map(FileSystem.oneLine).joined(separator: ", ")
    }

    /// The line above hits that are the suggestion's, not the query's.
    static func suggestionText(_ results: SearchResults) -> String {
        guard results.showsSuggestion, let suggestion = results.suggestion else { return "" }
        return "no matches for \(results.query); showing matches for \(suggestion)\n\n"
    }

    /// The facets, a line a field: "lang    en 3 · fr 1".
    static func facetsText(_ results: SearchResults) -> String {
        guard let facets = results.facets else { return "" }
        var out = "releases by\n"
        for field in facets.fields {
            let counts = field.counts.map { "\(FileSystem.oneLine($0.value)) \($0.releases)" }.joined(separator: " · ")
            out += "  \(field.name)\(String(repeating: " ", count: max(1, 8 - field.name.count)))\(counts.isEmpty ? "-" : counts)\n"
        }
        return out
    }

    /// "offset", "limit" and "total_exact", after "total".
    static func jsonPage(_ results: SearchResults, _ out: inout [UInt8]) {
        out.append(contentsOf: ",\"total_exact\":\(results.totalIsExact),\"offset\":\(results.offset),\"limit\":\(results.limit)".utf8)
    }

    /// "suggestion" (and "suggestion_shown" when the hits are the suggestion's) and "facets".
    static func jsonAsked(_ results: SearchResults, _ out: inout [UInt8]) {
        if !results.shardsLeftOut.isEmpty {
            // On every answer that misses a shard (the warning comes once, when it is lost).
            out.append(contentsOf: ",\"shards_left_out\":[".utf8)
            for (n, shard) in results.shardsLeftOut.enumerated() {
                if n > 0 { out.append(0x2C) }
                appendQuoted(shard, to: &out)
            }
            out.append(0x5D)
        }
        if let suggestion = results.suggestion {
            out.append(contentsOf: ",\"suggestion\":".utf8)
            appendQuoted(suggestion, to: &out)
            if results.showsSuggestion { out.append(contentsOf: ",\"suggestion_shown\":true".utf8) }
        }
        guard let facets = results.facets else { return }
        out.append(contentsOf: ",\"facets\":{".utf8)
        for (n, field) in facets.fields.enumerated() {
            out.append(contentsOf: (n > 0 ? ",\"" : "\"").utf8)
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: "\":{".utf8)
            for (i, count) in field.counts.enumerated() {
                if i > 0 { out.append(0x2C) }
                appendQuoted(count.value, to: &out)
                out.append(contentsOf: ":\(count.releases)".utf8)
            }
            out.append(0x7D)
        }
        out.append(0x7D)
    }
}

/// `presse stats`: the releases' dates.
extension Rendering {
    /// "dates        2020-10-29 to 2026-12-02", then a line a year with its releases.
    static func datesText(_ dates: ReleaseDates?) -> String {
        guard let dates else { return "" }
        guard let first = dates.first, let last = dates.last else { return "dates        none\n" }
        var out = "dates        \(first.iso) to \(last.iso)\n"
        for year in dates.perYear { out += "  \(year.year)       \(year.releases)\n" }
        return out
    }

    /// `,"dates":{"first":…,"last":…,"years":{"2020":1,…}}` (first and last null without dates).
    static func datesJSON(_ dates: ReleaseDates?) -> String {
        guard let dates else { return "" }
        let first = dates.first.map { quoted($0.iso) } ?? "null", last = dates.last.map { quoted($0.iso) } ?? "null"
        let years = dates.perYear.map { "\(quoted($0.year)):\($0.releases)" }.joined(separator: ",")
        return ",\"dates\":{\"first\":\(first),\"last\":\(last),\"years\":{\(years)}}"
    }
}
