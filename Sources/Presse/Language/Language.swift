internal import CXapian

/// The languages Presse knows, in the bridge's table order (see `bridgeTable`). Text in any
/// other language, or too short to tell, is `.unknown` ("und", BCP 47's undetermined): stemmed
/// in English, with every language's stop list (the bridge's table says so).
public enum Language: String, Sendable, CaseIterable, Codable {
    case english = "en"
    case french = "fr"
    case german = "de"
    case unknown = "und"

    /// Parses a user's `--lang` value: a code or an English name.
    public init?(userValue: String) {
        switch userValue.lowercased() {
        case "en", "english": self = .english
        case "fr", "french", "français", "francais": self = .french
        case "de", "german", "deutsch": self = .german
        case "und", "unknown": self = .unknown
        default: return nil
        }
    }
}

extension Language {
    /// One row of the bridge's language table (`cx_language_at`), which the C++ side derives
    /// its stemmers, term prefixes and stop lists from. `allCases` mirrors its codes, in its
    /// order (LanguageRulesTests.languageMirrorsTheBridgeTable checks).
    struct BridgeRow: Equatable {
        var code: String
        var snowball: String
        var identified: Bool
    }

    static let bridgeTable: [BridgeRow] = (0..<cx_language_count()).map { index in
        let row = cx_language_at(index)
        return BridgeRow(code: String(cString: row.code), snowball: String(cString: row.snowball),
                         identified: row.identified != 0)
    }

    /// The languages CLD2 names and whose stopwords are counted, in table order: every one but
    /// `.unknown`, as the bridge's table says.
    static let identified: [Language] = bridgeTable.filter(\.identified).compactMap { Language(rawValue: $0.code) }

    /// One of `identified` by its CLD2 code ("en"); nil for any other language, or none ("").
    init?(cld2Code code: String) {
        guard let language = Language.identified.first(where: { $0.rawValue == code }) else { return nil }
        self = language
    }
}

/// Stems a word as the index would in `language`, after accent folding. For tests and tools.
public func stem(_ word: String, in language: Language) -> String {
    var bytes = cx_bytes()
    defer { cx_bytes_free(&bytes) }
    var error = cx_error()
    defer { cx_error_clear(&error) }
    var word = word
    let status = word.withUTF8 { cx_stem_word(language.rawValue, $0.baseAddress, $0.count, &bytes, &error) }
    return status == CX_OK ? string(bytes.data, bytes.length) : word
}

/// Text as the index sees it: accents folded and French elisions split.
public func foldForIndex(_ text: String) -> String {
    var bytes = cx_bytes()
    defer { cx_bytes_free(&bytes) }
    var error = cx_error()
    defer { cx_error_clear(&error) }
    var text = text
    let status = text.withUTF8 { cx_fold($0.baseAddress, $0.count, &bytes, &error) }
    return status == CX_OK ? string(bytes.data, bytes.length) : text
}
