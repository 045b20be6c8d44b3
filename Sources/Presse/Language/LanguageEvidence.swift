internal import CXapian

// What the bridge reports about a text's language, with no decision taken: CLD2's raw verdict
// and the stopwords each language's list finds. LanguageRules decides.

/// CLD2's verdict on a text, as CLD2 gives it (`cx_cld2_identify`).
struct CLD2Verdict: Sendable, Equatable {
    /// One of CLD2's leading languages: its code ("en", "nn", "zh-Hant"; "" for none) and the
    /// share of the text's letters in it.
    struct Share: Sendable, Equatable {
        var code: String
        var percent: Int
    }

    /// CLD2's summary language; "" when it has no verdict (short or indeterminate text).
    var language: String
    /// Its three leading languages, most first. `top[0]` is not always `language`.
    var top: [Share]
    /// CLD2's own reliability flag.
    var reliable: Bool

    init(language: String, top: [Share], reliable: Bool) {
        self.language = language
        self.top = top
        self.reliable = reliable
    }

    init(of text: String) {
        var text = text
        let verdict = text.withUTF8 { cx_cld2_identify($0.baseAddress, $0.count) }
        let top = verdict.top
        language = String(cString: verdict.language)
        self.top = [top.0, top.1, top.2].map { Share(code: String(cString: $0.code), percent: Int($0.percent)) }
        reliable = verdict.reliable != 0
    }
}

/// How many different stopwords of each identified language a text uses
/// (`cx_count_stopwords`). Different words, not occurrences: a list of "Noto Sans ..." fonts
/// repeats the French "sans" without being French.
struct StopwordCounts: Sendable, Equatable {
    /// Per language, at `slot(language)`. An array, not a [Language: Int]: a query's
    /// language is guessed in every one-shot search, and a dictionary keyed by Language cost
    /// its first use a search of every protocol conformance in the binary.
    private var byLanguage: [Int]

    init(_ counts: [Language: Int]) {
        byLanguage = [Int](repeating: 0, count: 4)
        for (language, count) in counts { byLanguage[Self.slot(language)] = count }
    }

    init(of text: String) {
        var text = text
        var byRow = [UInt32](repeating: 0, count: Language.bridgeTable.count)
        text.withUTF8 { utf8 in
            byRow.withUnsafeMutableBufferPointer { cx_count_stopwords(utf8.baseAddress, utf8.count, $0.baseAddress, $0.count) }
        }
        byLanguage = [Int](repeating: 0, count: 4)
        for (row, count) in zip(Language.bridgeTable, byRow) where row.identified {
            if let language = Language(rawValue: row.code) { byLanguage[Self.slot(language)] = Int(count) }
        }
    }

    subscript(language: Language) -> Int { byLanguage[Self.slot(language)] }

    private static func slot(_ language: Language) -> Int {
        switch language {
        case .english: 0
        case .french: 1
        case .german: 2
        case .unknown: 3
        }
    }
}
