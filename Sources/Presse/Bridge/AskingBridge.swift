internal import CXapian

/// The bridge's calls for issue 14 beside a search: dates, suggestions, synonyms.
extension XapianDatabase {
    /// "Did you mean": the query with its unknown words replaced; nil when there is nothing to
    /// suggest.
    func suggestion(for query: String, languages: [Language]) throws(PresseError) -> String? {
        var bytes = cx_bytes()
        defer { cx_bytes_free(&bytes) }
        var query = query
        let codes = languages.map(\.rawValue).joined(separator: ",")
        try bridged(path) { error in
            query.withUTF8 { q in
                codes.withCString { cx_suggest(handle, cString(q), q.count, $0, &bytes, error) }
            }
        }
        return bytes.length > 0 ? string(bytes.data, bytes.length) : nil
    }

    /// The first and last days ("YYYYMMDD") of the dated releases, and releases per year.
    func dateStatistics() throws(PresseError) -> (first: String, last: String, years: [(year: String, releases: Int)]) {
        var bytes = cx_bytes()
        defer { cx_bytes_free(&bytes) }
        try bridged(path) { cx_date_statistics(handle, &bytes, $0) }
        let lines = string(bytes.data, bytes.length).split(separator: "\n", omittingEmptySubsequences: false)
        let range = lines.first.map { $0.split(separator: "\t", omittingEmptySubsequences: false) } ?? []
        var years: [(String, Int)] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: "\t")
            if fields.count == 2, let count = Int(fields[1]) { years.append((String(fields[0]), count)) }
        }
        return (range.first.map(String.init) ?? "", range.count > 1 ? String(range[1]) : "", years)
    }

    func addSynonym(_ word: String, _ synonym: String) throws(PresseError) {
        var word = word, synonym = synonym
        try bridged(path) { error in
            word.withUTF8 { w in synonym.withUTF8 { s in cx_synonym_add(handle, cString(w), w.count, cString(s), s.count, error) } }
        }
    }

    /// Removes one synonym of a word, or all of them (nil); how many went.
    func removeSynonym(_ word: String, _ synonym: String?) throws(PresseError) -> Int {
        var word = word
        var removed: Int32 = 0
        try bridged(path) { error in
            word.withUTF8 { w in
                if var synonym {
                    return synonym.withUTF8 { s in cx_synonym_remove(handle, cString(w), w.count, cString(s), s.count, &removed, error) }
                }
                return cx_synonym_remove(handle, cString(w), w.count, nil, 0, &removed, error)
            }
        }
        return Int(removed)
    }

    func synonyms() throws(PresseError) -> [(word: String, synonym: String)] {
        var bytes = cx_bytes()
        defer { cx_bytes_free(&bytes) }
        try bridged(path) { cx_synonym_list(handle, &bytes, $0) }
        return string(bytes.data, bytes.length).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 1)
            return fields.count == 2 ? (String(fields[0]), String(fields[1])) : nil
        }
    }
}

/// Dates as `date:`, --since and --until take them.
public enum DateQuery {
    /// The inclusive days ("YYYYMMDD", nil for an open side) of "2022", "2022-03",
    /// "2022-03-15", "A..B", "..B" or "A..". `what` names it in the message of a bad one.
    public static func bounds(_ spec: String, what: String) throws(PresseError) -> (low: String?, high: String?) {
        var low = [CChar](repeating: 0, count: 9), high = [CChar](repeating: 0, count: 9)
        var spec = spec
        try bridged(nil) { error in
            spec.withUTF8 { s in what.withCString { cx_date_bounds(cString(s), s.count, $0, &low, &high, error) } }
        }
        func text(_ day: [CChar]) -> String { String(decoding: day.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        let l = text(low), h = text(high)
        return (l.isEmpty ? nil : l, h.isEmpty ? nil : h)
    }
}
