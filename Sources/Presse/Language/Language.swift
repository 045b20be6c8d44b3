internal import CXapian

/// The languages Presse stems. Text in any other language, or too short to tell, is indexed
/// unstemmed as `.unknown` ("und", BCP 47's undetermined).
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

/// CLD2's verdict on one piece of text.
public struct LanguageGuess: Sendable, Equatable {
    public var language: Language
    public var percent: Int
    public var reliable: Bool
}

public enum LanguageDetector {
    /// Detects the language of a text with CLD2 (Compact Language Detector 2).
    public static func detect(_ text: String) -> LanguageGuess {
        var text = text
        let guess = text.withUTF8 { cx_detect_language($0.baseAddress, $0.count) }
        return LanguageGuess(language: Language(rawValue: codeString(guess.code)) ?? .unknown,
                             percent: Int(guess.percent), reliable: guess.reliable != 0)
    }

    /// The language whose stopwords a short text uses, when they say it clearly (two different
    /// ones at least, more than any other language's); nil otherwise.
    static func languageOfStopwords(_ text: String) -> Language? {
        var text = text
        let found = text.withUTF8 { cx_language_of_stopwords($0.baseAddress, $0.count) }
        return Language(rawValue: codeString(found.code))
    }

    /// A language code from the bridge's NUL-terminated char[4].
    private static func codeString(_ code: (CChar, CChar, CChar, CChar)) -> String {
        var code = code
        return withUnsafeBytes(of: &code) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// Below this many letters CLD2's guess is not trusted on its own: headings and one-liners
    /// go by their stopwords, or take their neighbours' language.
    static let minimumLettersForOwnGuess = 60

    /// One language per passage. Long passages with a reliable guess keep it (the guess
    /// already lets clear function words overrule CLD2's letter statistics; see
    /// cx_detect_language). Short ones go by
    /// their stopwords where those are clear ("Ce paquet fournit un tas de documentation",
    /// after a passage CLD2 read as English for its names and terms); short or unreliable
    /// ones otherwise take the language of the nearest confident passage before them (or
    /// after them, at the start), else the language of the whole release.
    public static func assignLanguages(to texts: [String]) -> [Language] {
        let guesses: [Language?] = texts.map { text in
            var letters = 0
            for byte in text.utf8 where (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte >= 0xC0 { letters += 1 }
            guard letters >= minimumLettersForOwnGuess else { return languageOfStopwords(text) }
            let guess = detect(text)
            return guess.reliable || guess.percent >= 80 ? guess.language : nil
        }
        var documentLanguage: Language?
        if guesses.allSatisfy({ $0 == nil }) {
            // Nothing long enough on its own: judge the release as a whole.
            let whole = detect(texts.joined(separator: "\n"))
            documentLanguage = whole.language
        }
        var result = [Language](repeating: documentLanguage ?? .unknown, count: texts.count)
        var previous: Language?
        for (index, guess) in guesses.enumerated() {
            if let guess {
                result[index] = guess
                previous = guess
            } else if let previous {
                result[index] = previous
            } else if let next = guesses[index...].compactMap({ $0 }).first {
                result[index] = next
            }
        }
        return result
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
