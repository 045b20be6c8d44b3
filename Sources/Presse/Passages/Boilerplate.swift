/// Text a release carries that is not the release: share buttons, category labels, "read more"
/// links, menus, cookie notices, a web page's navigation. It stays in the release's text (so
/// offsets keep pointing into the file) but is never indexed and never the title;
/// `presse inspect` shows it, marked as dropped, with why.
public struct DroppedText: Sendable, Equatable {
    /// UTF-8 byte offsets into the release text, like a passage's.
    public var start: Int
    public var end: Int
    /// Why it was dropped, in words ("share buttons", "nav", "link list").
    public var reason: String
    public var text: String

    public init(start: Int, end: Int, reason: String, text: String) {
        self.start = start
        self.end = end
        self.reason = reason
        self.text = text
    }
}

/// Lines that recur across the releases of one folder (one source's page furniture: its menu,
/// its labels, its share row), learnt by `RepeatedLines.learn` and kept in the index's
/// metadata per folder so that `presse add` drops them too (schema.h, `B<key>`).
public struct RepeatedLines: Sendable, Equatable {
    /// FNV-1a fingerprints of the lines, whitespace collapsed.
    public var fingerprints: Set<UInt64> = []

    public init(_ fingerprints: Set<UInt64> = []) { self.fingerprints = fingerprints }

    /// A line is furniture of its folder when it stands at the top or the bottom of at least
    /// this many releases (and of this share of those sampled): a headline shared by two
    /// copies of one release is not.
    static let minimumReleases = 3
    static let minimumShare = 0.05
    /// Enough releases to see a source's furniture; a folder of 100,000 releases costs no more.
    public static let sampleSize = 200

    /// Learns from the texts of one folder's releases (at most sampleSize of them).
    public static func learn(from texts: [String]) -> RepeatedLines {
        var counts: [UInt64: Int] = [:]
        for text in texts.prefix(sampleSize) {
            var seen = Set<UInt64>()
            Boilerplate.classify(Array(text.utf8), repeated: RepeatedLines()) { line, zone, _ in
                if zone, !line.endsWithFullStop, let fingerprint = line.fingerprint { seen.insert(fingerprint) }
            }
            for fingerprint in seen { counts[fingerprint, default: 0] += 1 }
        }
        let needed = max(minimumReleases, Int((Double(min(texts.count, sampleSize)) * minimumShare).rounded(.up)))
        return RepeatedLines(Set(counts.filter { $0.value >= needed }.keys))
    }

    /// The texts to learn from: at most sampleSize paths, picked evenly over the sorted list
    /// so that every part of a large folder is seen.
    public static func sample(_ paths: [String]) -> [String] {
        let sorted = paths.sorted()
        guard sorted.count > sampleSize else { return sorted }
        return (0..<sampleSize).map { sorted[$0 * sorted.count / sampleSize] }
    }

    /// As kept in the index's metadata: 16 hex digits a fingerprint, one a line, sorted.
    public var encoded: String { fingerprints.sorted().map(hex).joined(separator: "\n") }

    public init(encoded: String) {
        self.init(Set(encoded.split(separator: "\n").compactMap { UInt64($0, radix: 16) }))
    }
}

/// Which lines of a release's text are furniture: the rules of the readability/jusText family
/// for text that lost its markup. A line is dropped
///   - anywhere: when it is a share or social button ("Partager sur facebook", "Share on X",
///     "Auf LinkedIn teilen", a bare "Twitter"), a "read more" link ("Lire la suite",
///     "Weiterlesen"), a cookie notice, or a menu or breadcrumb ("Home | News | Contact");
///   - at the top or the bottom of the release only (before its first and after its last
///     line of prose, where a saved page keeps its furniture): when it is a category label
///     ("Non classé", "Actualité", "Uncategorized", "Tags: …"), a line repeated across the
///     folder's releases (RepeatedLines), or a run of four or more short lines without
///     function words (a menu saved one item a line).
/// Prose is told by length and stopword density: ten words or more, a sixth of them
/// function words of English, French or German.
public enum Boilerplate {
    struct Line {
        var range: Range<Int>
        /// Lines without a blank line between them share a block (a paragraph wrapped over
        /// lines, or a menu saved one item a line).
        var block = 0
        /// Lowercased words, only for a line that a rule could drop (describe).
        var words: [Substring] = []
        var wordCount = 0
        var normalized = ""
        var fingerprint: UInt64?
        var endsSentence = false
        /// Ends with one full stop: a sentence, not a link's "…" or "...".
        var endsWithFullStop = false
        var endsWithComma = false
        /// Only letters, spaces, "&", "-" and apostrophes, from a capital on: a menu's item,
        /// not a list's bullet, code or a sentence.
        var plainItem = false
        var hasDigit = false
        /// Holds one of a menu's separators (| > / · » • ›).
        var hasSeparator = false
        /// Holds a network's name or a sharing verb.
        var hasSharingWord = false
        /// Its first word starts a label's prefix ("Tags", "Catégorie", "Posted").
        var startsLikeALabel = false
        var stopwords = 0
        var long: Bool { range.count > Boilerplate.shortBytes }
    }

    /// Lines longer than this are never looked at word by word (except for cookies).
    static let shortBytes = 300

    /// The furniture of a release's text, in order, each run of lines dropped for one reason
    /// as one piece.
    public static func dropped(in text: String, repeated: RepeatedLines = RepeatedLines()) -> [DroppedText] {
        let utf8 = Array(text.utf8)
        var pieces: [DroppedText] = []
        classify(utf8, repeated: repeated) { line, _, reason in
            guard let reason else { return }
            if var last = pieces.last, last.reason == reason,
               utf8[last.end..<line.range.lowerBound].allSatisfy(isSpace) {
                last.end = line.range.upperBound
                pieces[pieces.count - 1] = last
            } else {
                pieces.append(DroppedText(start: line.range.lowerBound, end: line.range.upperBound, reason: reason, text: ""))
            }
        }
        return pieces.map {
            var piece = $0
            piece.text = String(decoding: utf8[piece.start..<piece.end], as: UTF8.self)
            return piece
        }
    }

    /// Calls `body` for every non-empty line in order with whether it stands in the top or
    /// bottom zone and why it is dropped (nil: kept).
    static func classify(_ utf8: [UInt8], repeated: RepeatedLines, _ body: (Line, Bool, String?) -> Void) {
        var lines = splitLines(utf8)
        // Rules that hold anywhere first: a long cookie notice must not count as prose.
        var reasons: [String?] = lines.map(anywhereReason)
        // Prose is judged a block at a time (a wrapped paragraph's lines are short), on what
        // the rules above left of it.
        var blockWords: [Int: (words: Int, stopwords: Int, long: Bool)] = [:]
        for index in lines.indices where reasons[index] == nil {
            let line = lines[index]
            let sum = blockWords[line.block] ?? (0, 0, false)
            blockWords[line.block] = (sum.words + line.wordCount, sum.stopwords + line.stopwords, sum.long || line.long)
        }
        func isProse(_ line: Line) -> Bool {
            guard let block = blockWords[line.block] else { return false }
            return block.long || (block.words >= 10 && Double(block.stopwords) >= Double(block.words) / 6)
        }
        let prose = lines.indices.filter { reasons[$0] == nil && isProse(lines[$0]) }
        let firstProse = prose.first ?? lines.count, lastProse = prose.last ?? -1
        func inZone(_ index: Int) -> Bool { index < firstProse || index > lastProse }
        for index in lines.indices where reasons[index] == nil && inZone(index) {
            // A label is a few words, or a few more after "Tags", "Catégorie", "Posted in"….
            if lines[index].wordCount <= 4 || (lines[index].wordCount <= 12 && lines[index].startsLikeALabel) {
                lines[index] = withWords(utf8, lines[index])
            }
            let line = lines[index]
            if isLabel(line) {
                reasons[index] = "category label"
            } else if let fingerprint = line.fingerprint, repeated.fingerprints.contains(fingerprint), !line.endsWithFullStop {
                // A sentence is the release's, however many releases say it ("This package
                // contains the runtime library.").
                reasons[index] = "repeated in this folder's releases"
            }
        }
        // Menus saved one item a line: four short lines in a row without digits, sentence
        // ends or function words.
        var index = 0
        while index < lines.count {
            var end = index
            // A label ("News", "Home") is a menu's item as well.
            while end < lines.count, inZone(end), reasons[end] == nil || reasons[end] == "category label",
                  isMenuItem(lines[end]) { end += 1 }
            if end - index >= 4 {
                let words = lines[index..<end].reduce(0) { $0 + $1.wordCount }
                let stopwords = lines[index..<end].reduce(0) { $0 + $1.stopwords }
                if Double(stopwords) < Double(words) * 0.2 {
                    for item in index..<end { reasons[item] = "menu" }
                }
            }
            index = max(end, index + 1)
        }
        for index in lines.indices { body(lines[index], inZone(index), reasons[index]) }
    }

    // MARK: - Lines

    static func splitLines(_ utf8: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var start = 0, block = 0
        while start < utf8.count {
            var end = start
            while end < utf8.count && utf8[end] != 0x0A { end += 1 }
            var lower = start, upper = end
            while lower < upper && isSpace(utf8[lower]) { lower += 1 }
            while upper > lower && isSpace(utf8[upper - 1]) { upper -= 1 }
            if lower < upper {
                var line = describe(utf8, lower..<upper)
                line.block = block
                lines.append(line)
            } else if lines.last?.block == block {
                block += 1
            }
            start = end + 1
        }
        return lines
    }

    /// A line's features in one pass over its bytes; the words themselves (a String,
    /// lowercased) only for a line that a rule could drop: short, or with a menu's separator,
    /// or mentioning cookies. Indexing reads every line of every release through here.
    static func describe(_ utf8: [UInt8], _ range: Range<Int>) -> Line {
        var line = Line(range: range)
        var fingerprint: UInt64 = 0xcbf2_9ce4_8422_2325
        var inWord = false, wordStart = 0, previousSpace = false
        var separator = false, cookie = false
        for i in range {
            let b = utf8[i]
            let letter = (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b >= 0x80
            let digit = b >= 0x30 && b <= 0x39
            if letter || digit {
                if !inWord { inWord = true; wordStart = i }
                if digit { line.hasDigit = true }
            } else if inWord {
                inWord = false
                countWord(utf8, wordStart..<i, into: &line)
            }
            if b == 0x7C || b == 0x3E || b == 0x2F { separator = true }  // | > /
            if i + 1 < range.upperBound && b == 0xC2 && (utf8[i + 1] == 0xB7 || utf8[i + 1] == 0xBB) { separator = true }  // · »
            if i + 2 < range.upperBound && b == 0xE2 && utf8[i + 1] == 0x80 && (utf8[i + 2] == 0xA2 || utf8[i + 2] == 0xBA) {
                separator = true  // • ›
            }
            if b == 0x6F && i + 4 < range.upperBound && utf8[i + 1] == 0x6F && utf8[i + 2] == 0x6B && utf8[i + 3] == 0x69
                && utf8[i + 4] == 0x65 { cookie = true }  // "ookie"
            // The fingerprint: whitespace runs as one space.
            let space = isSpace(b)
            if space && previousSpace { continue }
            fingerprint = (fingerprint ^ UInt64(space ? 0x20 : b)) &* 0x100_0000_01b3
            previousSpace = space
        }
        if inWord { countWord(utf8, wordStart..<range.upperBound, into: &line) }
        if range.count <= 200 { line.fingerprint = fingerprint }
        let last = utf8[range.upperBound - 1]
        let beforeLast = range.count > 1 ? utf8[range.upperBound - 2] : 0
        let ellipsis = range.count >= 3 && utf8[range.upperBound - 3] == 0xE2 && beforeLast == 0x80 && last == 0xA6
        line.endsWithFullStop = last == 0x2E && beforeLast != 0x2E
        line.endsSentence = last == 0x2E || last == 0x21 || last == 0x3F || ellipsis
        line.endsWithComma = last == 0x2C || last == 0x3B
        line.hasSeparator = separator
        // Labels (up to 12 words) are looked at in the top and bottom zones only: classify
        // fills their words in there (withWords).
        // Anywhere, a line is looked at word by word only if it could be a share button, a
        // menu, or a "read more" link (at most 40 bytes).
        let short = range.count <= shortBytes
            && ((line.wordCount <= 8 && line.hasSharingWord) || separator || (line.wordCount <= 5 && range.count <= 40))
        guard short || (cookie && range.count <= 1_000) else {
            return line
        }
        return withWords(utf8, line)
    }

    static func withWords(_ utf8: [UInt8], _ line: Line) -> Line {
        guard line.words.isEmpty else { return line }
        var line = line
        let text = String(decoding: utf8[line.range], as: UTF8.self)
        line.normalized = normalize(text)
        line.words = words(of: line.normalized)
        line.plainItem = line.wordCount <= 4 && (text.first?.isUppercase ?? false)
            && text.allSatisfy { $0.isLetter || $0 == " " || $0 == "&" || $0 == "-" || $0 == "'" || $0 == "’" }
        return line
    }

    /// Counts a word, and whether it is a function word (by its first 8 bytes, ASCII
    /// lowercased: every function word is shorter).
    static func countWord(_ utf8: [UInt8], _ word: Range<Int>, into line: inout Line) {
        line.wordCount += 1
        guard word.count <= 12 else { return }
        var key: UInt64 = 0, hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in word {
            let lower = utf8[i] >= 0x41 && utf8[i] <= 0x5A ? utf8[i] | 0x20 : utf8[i]
            key = key << 8 | UInt64(lower)
            hash = (hash ^ UInt64(lower)) &* 0x100_0000_01b3
        }
        if word.count <= 8 && stopwordKeys.contains(key) { line.stopwords += 1 }
        if sharingKeys.contains(hash) { line.hasSharingWord = true }
        if line.wordCount == 1 && labelFirstWordKeys.contains(hash) { line.startsLikeALabel = true }
    }

    static let stopwordKeys: Set<UInt64> = Set(stopwords.map { word in
        word.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    })
    /// Networks and sharing verbs, by the FNV-1a hash of their bytes: a line of 6 to 8 words
    /// is looked at word by word only when it holds one.
    static let labelFirstWordKeys: Set<UInt64> = Set(labelPrefixes.map { prefix in
        fnv1a(prefix.prefix { $0.isLetter }.utf8)
    })
    static let sharingKeys: Set<UInt64> = Set((networks.union(shareVerbs)).map { fnv1a($0.utf8) })

    /// Lowercased, bullets and arrows around it and closing punctuation taken off, spaces
    /// collapsed: "» Lire la suite …" is "lire la suite".
    static let edges: Set<Character> = ["-", "–", "—", "•", "·", "*", "›", "»", "«", "‹", ">", "<", "|", "#", "→", "←",
                                        "…", ".", ":", "!", "(", ")", "[", "]", "+", "/", " ", "\t"]

    static func normalize(_ text: String) -> String {
        var trimmed = Substring(text.lowercased())
        while let first = trimmed.first, edges.contains(first) { trimmed.removeFirst() }
        while let last = trimmed.last, edges.contains(last) { trimmed.removeLast() }
        return trimmed.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func words(of normalized: String) -> [Substring] {
        normalized.split { !($0.isLetter || $0.isNumber) }
    }

    // MARK: - The rules

    static func anywhereReason(_ line: Line) -> String? {
        guard !line.words.isEmpty else { return nil }
        if isCookieNotice(line) { return "cookie notice" }
        if line.long { return nil }
        if isShareButton(line) { return "share buttons" }
        if readMore.contains(line.normalized) && !line.endsWithFullStop { return "read-more link" }
        if line.hasSeparator && isMenuLine(line) { return "menu" }
        return nil
    }

    /// Cookies, with consent and the site: a bakery's release about its cookies is kept.
    static func isCookieNotice(_ line: Line) -> Bool {
        guard line.words.count <= 150, line.words.contains(where: { $0.hasPrefix("cookie") }) else { return false }
        return line.words.contains { cookieWords.contains($0) } && line.words.contains { siteWords.contains($0) }
    }

    /// Every word a sharing word or a network's name, with at least one network or a verb
    /// that only sharing uses ("Partager sur facebook", "Share this article", "Twitter").
    static func isShareButton(_ line: Line) -> Bool {
        guard !line.endsSentence, !line.endsWithComma, line.words.count <= 8 else { return false }
        var telling = false
        for word in line.words {
            if networks.contains(word) || shareVerbs.contains(word) {
                telling = true
            } else if !shareWords.contains(word) {
                return false
            }
        }
        return telling
    }

    /// A menu or breadcrumb on one line: three items or more between separators, each a
    /// short run of plain words (the last may be the page's own headline); "/" separates a
    /// breadcrumb's items only from "Home" on ("Sinicized Miao / Waishu Miao / Hmong Shua" is
    /// a list).
    static func isMenuLine(_ line: Line) -> Bool {
        guard !line.endsWithFullStop else { return false }
        var separators = menuSeparators
        if let first = line.words.first, homeWords.contains(first) { separators.insert("/") }
        let text = line.normalized
        let items = text.split(whereSeparator: { separators.contains($0) })
            .map { $0.split(whereSeparator: \.isWhitespace) }
            .filter { !$0.isEmpty }
        guard items.count >= 3 else { return false }
        // Separators stand between spaces in a menu ("Home | News"), not inside "a|b".
        let spaced = text.split(separator: " ").filter { $0.count == 1 && separators.contains($0.first!) }.count
        guard spaced >= items.count - 1 else { return false }
        return items.dropLast().allSatisfy { item in
            item.count <= 3 && item.allSatisfy { word in word.allSatisfy { $0.isLetter || $0 == "-" || $0 == "'" || $0 == "’" } }
        }
    }

    static let menuSeparators: Set<Character> = ["|", "•", "·", "»", "›", ">"]
    static let homeWords: Set<Substring> = ["home", "accueil", "startseite", "start"]

    static func isLabel(_ line: Line) -> Bool {
        guard !line.words.isEmpty, line.words.count <= 12, !line.endsWithFullStop else { return false }
        if labels.contains(line.normalized) { return true }
        // "Tags: Osaka, biotech", "Catégorie : Actualité", "Posted in News".
        return labelPrefixes.contains { line.normalized.hasPrefix($0) }
    }

    static func isMenuItem(_ line: Line) -> Bool {
        line.plainItem && line.words.count <= 4
    }

    // MARK: - Vocabulary (English, French, German)

    static let networks: Set<Substring> = [
        "facebook", "twitter", "linkedin", "xing", "google", "reddit", "tumblr", "pinterest", "whatsapp", "telegram",
        "instagram", "youtube", "mastodon", "bluesky", "flipboard", "viadeo", "weibo", "wechat", "vk", "digg",
        "stumbleupon", "tiktok",
    ]
    static let shareVerbs: Set<Substring> = [
        "share", "shares", "sharing", "tweet", "tweeten", "partager", "partagez", "partage", "teilen", "teile",
        "email", "mail", "courriel", "print", "imprimer", "drucken",
    ]
    /// Words that stand beside a network in a share button, but also in prose: they never
    /// make a line a button on their own.
    static let shareWords: Set<Substring> = [
        "on", "via", "with", "this", "the", "page", "article", "post", "story", "news", "us", "follow", "email", "e",
        "mail", "print", "copy", "link", "send", "x", "plus", "it", "pin", "like",
        "sur", "par", "avec", "cet", "cette", "ce", "le", "la", "l", "lien", "imprimer", "envoyer", "courriel",
        "suivez", "nous", "copier", "j", "aime", "actualité",
        "auf", "per", "mit", "diesen", "diese", "beitrag", "seite", "artikel", "drucken", "senden", "link",
        "kopieren", "folgen", "sie", "uns", "empfehlen",
    ]
    static let readMore: Set<String> = [
        "read more", "read the full article", "read the full story", "read full article", "continue reading",
        "learn more", "find out more", "more", "more info", "click here", "view more", "see more", "show more",
        "back", "back to news", "back to overview", "back to top", "next article", "previous article",
        "skip to content", "skip to main content", "aller au contenu", "aller au contenu principal",
        "zum inhalt springen", "zum inhalt",
        "lire la suite", "lire plus", "en savoir plus", "voir plus", "suite", "lire l'article", "lire l’article",
        "retour", "retour aux actualités", "retour en haut", "article suivant", "article précédent",
        "weiterlesen", "mehr lesen", "mehr erfahren", "mehr", "mehr infos", "zum artikel", "hier klicken",
        "zurück", "zurück zur übersicht", "nach oben", "nächster artikel", "vorheriger artikel",
    ]
    static let labels: Set<String> = [
        "uncategorized", "uncategorised", "news", "latest news", "press release", "press releases", "press", "blog",
        "home", "general", "events", "media", "newsroom", "featured",
        "non classé", "actualité", "actualités", "communiqué", "communiqué de presse", "communiqués de presse",
        "presse", "accueil", "à la une", "événements", "non classe",
        "allgemein", "aktuelles", "aktuell", "neuigkeiten", "nachrichten", "pressemitteilung", "pressemitteilungen",
        "presseinformation", "startseite", "veranstaltungen", "unkategorisiert",
    ]
    static let labelPrefixes = [
        "tags:", "tags :", "tag:", "category:", "categories:", "filed under", "posted in",
        "mots-clés", "mots clés", "étiquettes", "catégorie", "catégories", "publié dans",
        "schlagwörter", "schlagworte", "kategorie", "kategorien", "veröffentlicht in",
    ]
    static let cookieWords: Set<Substring> = [
        "accept", "consent", "agree", "settings", "privacy", "preferences",
        "accepter", "acceptez", "consentement", "paramètres", "confidentialité", "paramétrer",
        "akzeptieren", "zustimmen", "einwilligung", "einstellungen", "datenschutz", "datenschutzerklärung",
    ]
    static let siteWords: Set<Substring> = [
        "website", "site", "browsing", "browser", "webseite", "internetseite", "website", "navigateur",
        "navigation", "surfen",
    ]
    /// The commonest function words of each language: prose has many, furniture few.
    static let stopwords: [String] = [
        "the", "of", "and", "to", "in", "a", "is", "for", "on", "with", "that", "by", "as", "at", "from", "was",
        "are", "be", "this", "its", "an", "has", "have", "will", "which", "their", "it", "or", "our", "we",
        "le", "la", "les", "de", "des", "du", "et", "un", "une", "en", "à", "au", "aux", "pour", "dans", "par",
        "sur", "avec", "est", "qui", "que", "ce", "cette", "son", "sa", "ses", "il", "elle", "sont", "d", "l",
        "der", "die", "das", "und", "zu", "den", "dem", "des", "ein", "eine", "einen", "ist", "im", "mit", "von",
        "für", "auf", "sich", "nicht", "auch", "sie", "es", "wird", "werden", "bei", "zum", "zur", "aus",
    ]

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
}

extension Boilerplate {
    /// The text without its dropped pieces, the stretches between them a blank line apart.
    public static func kept(_ text: String, dropping dropped: [DroppedText]) -> String {
        guard !dropped.isEmpty else { return text }
        let utf8 = Array(text.utf8)
        var kept: [String] = [], start = 0
        for piece in dropped + [DroppedText(start: utf8.count, end: utf8.count, reason: "", text: "")] {
            if piece.start > start { kept.append(String(decoding: utf8[start..<piece.start], as: UTF8.self)) }
            start = max(start, piece.end)
        }
        return kept.map { String(Substring($0).trimmingWhitespace()) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// A web page's furniture (from its markup) with its text's (from its lines): a line
    /// inside a dropped block is already dropped.
    static func merged(_ page: [DroppedText], _ lines: [DroppedText]) -> [DroppedText] {
        guard !page.isEmpty else { return lines }
        // What the markup dropped stays as it is; of a piece the line rules dropped, what the
        // markup did not already cover (a run of lines that starts in a page's <nav> and ends
        // with the category labels above its headline).
        let covered = page.sorted { $0.start < $1.start }
        var outside: [DroppedText] = []
        for line in lines {
            let bytes = Array(line.text.utf8)
            guard bytes.count == line.end - line.start else { continue }  // not a piece of this text
            var start = line.start
            func keep(upTo end: Int) {
                var lower = start, upper = end
                while lower < upper && isSpace(bytes[lower - line.start]) { lower += 1 }
                while upper > lower && isSpace(bytes[upper - 1 - line.start]) { upper -= 1 }
                guard lower < upper else { return }
                outside.append(DroppedText(start: lower, end: upper, reason: line.reason,
                                           text: String(decoding: bytes[(lower - line.start)..<(upper - line.start)], as: UTF8.self)))
            }
            for piece in covered where piece.end > start && piece.start < line.end {
                if piece.start > start { keep(upTo: piece.start) }
                start = max(start, piece.end)
            }
            if start < line.end { keep(upTo: line.end) }
        }
        return (page + outside).sorted { $0.start < $1.start }
    }
}
