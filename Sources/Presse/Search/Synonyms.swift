/// The user's synonyms and abbreviations (`presse synonyms`), kept in the index's synonym
/// table (schema.h): `BioM = Munich biotech cluster` makes a query's `biom` also find the
/// phrase, stemmed in each language the query is searched in.
public struct Synonyms {
    public let store: IndexStore
    /// Seconds to wait for another writer.
    public let wait: Double

    public init(store: IndexStore, wait: Double = 0) {
        self.store = store
        self.wait = wait
    }

    /// One line of a synonyms file: `WORD = SYNONYM, SYNONYM…` (a synonym may be a phrase);
    /// blank lines and lines starting with `#` are nothing (nil). A line without `=`, or
    /// with no word or synonym, is an invalid argument naming its line number.
    public static func parse(_ text: String, file: String) throws(PresseError) -> [(word: String, synonyms: [String])] {
        var entries: [(String, [String])] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmed
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmed }
            let synonyms = parts.count == 2 ? parts[1].split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty } : []
            guard parts.count == 2, !parts[0].isEmpty, !synonyms.isEmpty else {
                throw PresseError(.invalidArgument, "\(FileSystem.display(file)), line \(number + 1): not WORD = SYNONYM, SYNONYM...", context: file)
            }
            entries.append((parts[0], synonyms))
        }
        return entries
    }

    /// Adds each word's synonyms, all in one commit; how many pairs were given.
    @discardableResult
    public func add(_ entries: [(word: String, synonyms: [String])]) throws(PresseError) -> Int {
        let database = try store.openWriter(wait: wait)
        var count = 0
        for entry in entries {
            for synonym in entry.synonyms {
                try database.addSynonym(entry.word, synonym)
                count += 1
            }
        }
        try database.commit()
        return count
    }

    /// Removes one synonym of a word, or all of its synonyms (nil); how many went.
    public func remove(_ word: String, synonym: String?) throws(PresseError) -> Int {
        let database = try store.openWriter(wait: wait)
        let removed = try database.removeSynonym(word, synonym)
        try database.commit()
        return removed
    }

    /// Every word with its synonyms (as stored: folded and lowercased), in the words' order.
    public func list() throws(PresseError) -> [(word: String, synonyms: [String])] {
        var entries: [(word: String, synonyms: [String])] = []
        for pair in try store.openReader().synonyms() {
            if entries.last?.word == pair.word { entries[entries.count - 1].synonyms.append(pair.synonym) }
            else { entries.append((pair.word, [pair.synonym])) }
        }
        return entries
    }
}

private extension StringProtocol {
    /// Without the spaces and tabs at either end.
    var trimmed: String {
        String(drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }
}
