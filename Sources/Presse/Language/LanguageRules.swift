// Every rule that gives a passage its language, and every threshold they use, named once here.
// The bridge only reports (LanguageEvidence.swift): CLD2's raw verdict and stopword counts.

/// A language guess for one piece of text.
public struct LanguageGuess: Sendable, Equatable {
    public var language: Language
    /// The share of the text CLD2 gave the language it was taken from (0 with no verdict).
    public var percent: Int
    public var reliable: Bool
}

/// A vote of function words: the identified language whose stopwords a text uses most wins,
/// when it uses enough of them and clearly more than any other (see `winner`).
struct StopwordVote: Sendable, Equatable {
    /// The fewest different stopwords the winner needs.
    var minimum: Int
    /// The winner needs at least this many times any other language's count, and more.
    var dominance: Int

    /// The language with the most different stopwords, at least `minimum` of them and
    /// `dominance` times any other's (and more than any other's); nil otherwise.
    func winner(_ counts: StopwordCounts) -> Language? {
        let languages = Language.identified
        guard let best = languages.max(by: { counts[$0] < counts[$1] }), counts[best] >= minimum else { return nil }
        for other in languages where other != best {
            if counts[other] >= counts[best] || counts[best] < dominance * counts[other] { return nil }
        }
        return best
    }
}

enum LanguageRules {
    /// Below this many letters CLD2's guess is not trusted on its own: headings and one-liners
    /// go by their stopwords (`shortTextVote`), or take their neighbours' language.
    static let minimumLettersForOwnGuess = 60

    /// A guess CLD2 does not call reliable is still kept when its language has at least this
    /// share of the text; below it, the passage takes its neighbours' language.
    static let confidentPercent = 80

    /// One of ours at least this share of the text, behind another language CLD2 put first,
    /// is taken ("Bibliothek für GIF-Bilder...": Norwegian 50%, German 49%): as ours it is at
    /// least stemmed, where as undetermined it would miss every inflected query.
    static let closeBehindPercent = 30

    /// Where CLD2 has no verdict at all (it gives up on some short, repetitive descriptions,
    /// "Dokumentation für texlive-fonts-recommended" twice), and for text too short for CLD2
    /// (`minimumLettersForOwnGuess`): two different stopwords of one language, more than any
    /// other's, say the language ("Ce paquet fournit un tas de documentation"). One is not
    /// enough: "die" and "on" are words of several languages.
    static let noVerdictVote = StopwordVote(minimum: 2, dominance: 1)

    /// CLD2 chose one of ours, but the function words say another of ours, clearly: at least
    /// three different ones and three times any other language's. CLD2 counts letters, and
    /// English names and terms outweigh a French sentence's few function words ("GEOTRANZ est
    /// le nom Debian de GEOTRANS, un produit de la National Geospatial-Intelligence Agency..."
    /// reads 99% English). Stricter than `noVerdictVote`, since it overrules CLD2.
    static let overrideVote = StopwordVote(minimum: 3, dominance: 3)

    /// CLD2's verdict turned into a guess: its language when it is one of ours, else one of
    /// ours close behind, else `.unknown` (another language); with no verdict, the stopwords'
    /// (`noVerdictVote`, unreliable, 0%); one of ours overruled by `overrideVote`. `stopwords`
    /// is asked only where the stopwords decide (not for another language's text).
    static func guess(from verdict: CLD2Verdict, stopwords: () -> StopwordCounts) -> LanguageGuess {
        guard !verdict.language.isEmpty else {
            return LanguageGuess(language: noVerdictVote.winner(stopwords()) ?? .unknown, percent: 0, reliable: false)
        }
        var language = Language(cld2Code: verdict.language)
        var percent = verdict.top.first?.percent ?? 0
        if language == nil,
           let behind = verdict.top.first(where: { Language(cld2Code: $0.code) != nil && $0.percent >= closeBehindPercent }) {
            language = Language(cld2Code: behind.code)
            percent = behind.percent
        }
        guard let ours = language else { return LanguageGuess(language: .unknown, percent: percent, reliable: verdict.reliable) }
        return LanguageGuess(language: overrideVote.winner(stopwords()) ?? ours, percent: percent, reliable: verdict.reliable)
    }

    /// Whether a guess is sure enough for its passage to keep it rather than take its
    /// neighbours' language: CLD2 calls it reliable, or it covers `confidentPercent` of the text.
    static func isConfident(_ guess: LanguageGuess) -> Bool {
        guess.reliable || guess.percent >= confidentPercent
    }

    /// Short text (under `minimumLettersForOwnGuess` letters) whose stopwords alone do not
    /// decide (`noVerdictVote`) still has a language of its own when two independent signals
    /// agree: CLD2 calls one of ours reliable, and the text uses more stopwords of that
    /// language than of any other, one at least ("Seul le superutilisateur peut appeler
    /// reboot().", "EINVAL falsche magische Zahlen oder Befehl"). One alone is not enough:
    /// CLD2 names short runs of names and terms, and one stopword ("die", "on") is several
    /// languages' word.
    static let agreeingVote = StopwordVote(minimum: 1, dominance: 1)

    /// A passage's own language, where it has evidence it can be trusted with; nil for text
    /// with none (names, numbers, one word), which takes its neighbours' (`fillFromNeighbours`).
    /// Long text: none when its stopwords lean to another language than CLD2's guess
    /// (`agreeingVote`: evidence that disagrees is none, and a heading with none joins its
    /// paragraph); else CLD2's guess (`guess`) when confident (`isConfident`), or when the
    /// stopwords vote for the same language (`noVerdictVote`): CLD2 gives a clear French
    /// sentence full of identifiers 73 %, unreliable, and its function words (le, une, de, à,
    /// cette, avec) agree.
    /// Short text: its stopwords (`noVerdictVote`), else CLD2 backed by them (`agreeingVote`).
    static func ownLanguage(letters: Int, verdict: () -> CLD2Verdict, stopwords: StopwordCounts) -> Language? {
        guard letters >= minimumLettersForOwnGuess else {
            if let voted = noVerdictVote.winner(stopwords) { return voted }
            let verdict = verdict()
            guard verdict.reliable, let cld2 = Language(cld2Code: verdict.language),
                  agreeingVote.winner(stopwords) == cld2 else { return nil }
            return cld2
        }
        let guess = guess(from: verdict(), stopwords: { stopwords })
        // The two disagree (CLD2 reads a German heading of English terms as English, 98 %,
        // reliable, while für and und say German): no evidence to be sure of.
        if let leaning = agreeingVote.winner(stopwords), leaning != guess.language, guess.language != .unknown { return nil }
        let voted = noVerdictVote.winner(stopwords)
        if isConfident(guess) { return guess.language }
        return guess.language != .unknown && voted == guess.language ? guess.language : nil
    }

    /// Letters as `minimumLettersForOwnGuess` counts them: ASCII letters, and each non-ASCII
    /// character (one UTF-8 lead byte each).
    static func letterCount(_ text: String) -> Int {
        var letters = 0
        for byte in text.utf8 where (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte >= 0xC0 { letters += 1 }
        return letters
    }

    /// The heading rule: a heading (a short paragraph without closing punctuation) joins the
    /// paragraph it introduces, and a closing line the one before it, only when they are not
    /// known to be in different languages: a passage never spans two languages. `nil` is a
    /// paragraph with no language of its own (a name, a date, one word), which joins anything.
    static func mayJoin(_ heading: Language?, _ neighbour: Language?) -> Bool {
        heading == nil || neighbour == nil || heading == neighbour
    }

    /// The neighbour rule: a passage with no language of its own takes the language of the
    /// nearest passage before it that has one (or after it, at the start), else `whole`.
    static func fillFromNeighbours(_ own: [Language?], whole: Language) -> [Language] {
        var result = [Language](repeating: whole, count: own.count)
        var previous: Language?
        for (index, language) in own.enumerated() {
            if let language {
                result[index] = language
                previous = language
            } else if let previous {
                result[index] = previous
            } else if let next = own[index...].compactMap({ $0 }).first {
                result[index] = next
            }
        }
        return result
    }
}

public enum LanguageDetector {
    /// Detects the language of a text with CLD2 (Compact Language Detector 2) and the rules of
    /// `LanguageRules.guess`.
    public static func detect(_ text: String) -> LanguageGuess {
        LanguageRules.guess(from: CLD2Verdict(of: text), stopwords: { StopwordCounts(of: text) })
    }

    /// A passage's own language, where it has evidence of its own (`LanguageRules.ownLanguage`);
    /// nil otherwise.
    static func ownLanguage(_ text: String) -> Language? {
        LanguageRules.ownLanguage(letters: LanguageRules.letterCount(text), verdict: { CLD2Verdict(of: text) },
                                  stopwords: StopwordCounts(of: text))
    }

    /// One language per passage: its own (`ownLanguage`), else its neighbours'
    /// (`LanguageRules.fillFromNeighbours`); when no passage has one of its own, the whole
    /// release's guess ("Ce paquet fournit un tas de documentation", after a passage CLD2 read
    /// as English for its names and terms, goes by its stopwords).
    public static func assignLanguages(to texts: [String]) -> [Language] {
        let own = texts.map(ownLanguage)
        // Nothing long or clear enough on its own: judge the release as a whole.
        let whole = own.allSatisfy { $0 == nil } ? detect(texts.joined(separator: "\n")).language : .unknown
        return LanguageRules.fillFromNeighbours(own, whole: whole)
    }
}
