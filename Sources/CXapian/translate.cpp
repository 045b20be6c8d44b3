// Query translation: the query's words, longest dictionary phrase first, each replaced in a
// target language by an OP_SYNONYM of its translations' stems (one word's translations count
// as one word, so a word with six translations does not weigh six times: Pirkola 1998), with
// the translations found through German in a weaker group beside it. A word neither the
// dictionaries nor the message catalogs translate (a name, a product, a number, an acronym
// typed in capitals) stays as it is.
#include "translate.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>

#include "compounds.h"
#include "internal.h"
#include "schema.h"
#include "search_parts.h"

namespace cxapian {

namespace {

constexpr size_t kMaxPhraseWords = 4;
const char *const kTranslatable[] = {"en", "fr", "de"};

bool translatable_language(const std::string &lang) {
    return std::any_of(std::begin(kTranslatable), std::end(kTranslatable), [&](const char *l) { return lang == l; });
}

std::string joined(const std::vector<std::string> &words, size_t start, size_t count) {
    std::string out;
    for (size_t i = start; i < start + count; ++i) {
        if (i > start) out += ' ';
        out += words[i];
    }
    return out;
}

// The words of `typed` (a query as typed) written with letters only French or only German
// writes ("coopérations", "Zusammenhänge"), folded and lowercased as the query's words are,
// with that language ("fr", "de").
std::unordered_map<std::string, std::string> written_in(const std::string &typed) {
    // French writes é, è, ç... and German none of them; German writes ä, ö, ü, ß and French
    // none (ë, ï, ÿ are rare French, and "Noël" is no German word).
    // Each also decomposed (NFD: a letter, then its combining accent), as macOS and some
    // keyboards type them.
    static const char *const kFrench[] = {"é", "è", "ê", "ë", "à", "â", "ç", "œ", "î", "ï", "ô", "ù", "û", "ÿ",
                                          "e\u0301", "e\u0300", "e\u0302", "e\u0308", "a\u0300", "a\u0302", "c\u0327",
                                          "i\u0302", "i\u0308", "o\u0302", "u\u0300", "u\u0302", "y\u0308"};
    static const char *const kGerman[] = {"ä", "ö", "ü", "ß", "a\u0308", "o\u0308", "u\u0308"};
    auto holds = [](const std::string &word, const auto &letters) {
        return std::any_of(std::begin(letters), std::end(letters),
                           [&word](const char *letter) { return word.find(letter) != std::string::npos; });
    };
    std::unordered_map<std::string, std::string> out;
    each_word(typed, [&](const std::string &word) {
        std::string lower = Xapian::Unicode::tolower(word);
        bool french = holds(lower, kFrench), german = holds(lower, kGerman);
        // Keyed as the query's words are (prepare_query_text: folded, then lowercased).
        if (french != german) out[Xapian::Unicode::tolower(fold(word.data(), word.size()))] = french ? "fr" : "de";
        return true;
    });
    return out;
}

// True when `from`'s dictionaries hold `word` in another form: its stem is a headword's
// stem (translations the catalogs taught alone do not count, as in Lexicon::knows).
bool known_by_stem(const Lexicon &lexicon, const std::string &from, const std::string &word) {
    std::string stem = Xapian::Stem(stemmer_name(from))(word);
    for (const char *to : kTranslatable) {
        Translations found;
        if (from != to && lexicon.lookup(from, to, stem, true, &found) && (!found.direct.empty() || !found.pivoted.empty()))
            return true;
    }
    return false;
}

// The words typed in capitals ("IT", "WHO", "GNU"), lowercased, when the query holds
// lowercase letters too (a query typed all in capitals says nothing of its words): names,
// searched as they are in the languages the query is translated into (units_of); spelt as a
// stopword ("it", "who"), not dropped, and counted in the language vote as any word, not as
// a stopword (detect_sources). A conjunction typed as an operator ("UND", "ET", "OU") is not
// one.
std::unordered_set<std::string> acronyms_of(const std::string &typed) {
    static const char *const kOperatorWords[] = {"und", "oder", "nicht", "et", "ou", "ni", "non", "sauf"};
    std::unordered_set<std::string> out;
    if (std::none_of(typed.begin(), typed.end(), [](char c) { return c >= 'a' && c <= 'z'; })) return out;
    each_word(typed, [&out](const std::string &word) {
        if (word.size() < 2 || !std::all_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            return true;
        std::string lower = Xapian::Unicode::tolower(word);
        if (std::none_of(std::begin(kOperatorWords), std::end(kOperatorWords), [&](const char *op) { return lower == op; }))
            out.insert(lower);
        return true;
    });
    return out;
}

// The language(s) a query is written in, when not told: each of the three scores its
// stopwords among the query's words, two points each ("de", "pour", "und": a function word is
// the surest sign), and the other words its dictionaries hold as headwords, one point shared
// among the languages that hold it ("tests", "java", "standard" are headwords of all three and
// tell none); the best wins, and a tie keeps every tied language (each is translated from).
// `guess`: CLD2's reliable guess, or "". `typed`: the query as typed, whose words written with
// letters only one of the three languages writes (written_in) count for that language alone
// when its dictionaries hold them: "coopérations" is French, though English holds
// "cooperations" once the accents are folded away.
std::vector<std::string> detect_sources(const Lexicon &lexicon, const std::vector<std::string> &words, const std::string &guess,
                                        const std::string &typed, const std::unordered_set<std::string> &acronyms) {
    // An acronym ("IT") is a name, not the stopword it is spelt as.
    auto is_stopword = [&acronyms](const Xapian::Stopper *stopper, const std::string &word) {
        return stopper && (*stopper)(word) && !acronyms.count(word);
    };
    auto has_stopwords = [&](const char *lang) {
        const Xapian::Stopper *stopper = stopper_for(lang);
        return std::any_of(words.begin(), words.end(), [&](const std::string &w) { return is_stopword(stopper, w); });
    };
    // A guess only another language's stopwords can overrule (below): without any, no vote
    // (the vote reads the lexicon for every word and language).
    if (!guess.empty() && std::none_of(std::begin(kTranslatable), std::end(kTranslatable),
                                       [&](const char *lang) { return guess != lang && has_stopwords(lang); }))
        return {guess};
    const std::unordered_map<std::string, std::string> lettered = written_in(typed);
    constexpr size_t kLanguages = std::size(kTranslatable);
    std::vector<std::array<bool, kLanguages>> known(words.size());
    std::vector<int> known_by(words.size(), 0);
    for (size_t i = 0; i < words.size(); ++i) {
        // Only a word that language's dictionaries hold, in this form or another
        // ("coopérations" as "coopération"), or, German, that splits into its words: a name
        // ("Björk", "Möbius") says nothing of the words around it.
        auto found = lettered.find(words[i]);
        if (found != lettered.end() &&
            (lexicon.knows(found->second, words[i]) || known_by_stem(lexicon, found->second, words[i]) ||
             (found->second == "de" && CompoundSplitter::shared()->parts(words[i]).size() > 1))) {
            for (size_t l = 0; l < kLanguages; ++l) known[i][l] = found->second == kTranslatable[l];
            known_by[i] = 1;
            continue;
        }
        for (size_t l = 0; l < kLanguages; ++l) known_by[i] += (known[i][l] = lexicon.knows(kTranslatable[l], words[i]));
        // A word no dictionary holds that the compound splitter cuts into German words
        // ("Sicherheitsbibliothek", "Konfigurationsabfrageprogramm") is German.
        if (known_by[i] == 0 && CompoundSplitter::shared()->parts(words[i]).size() > 1) {
            known[i][std::find(std::begin(kTranslatable), std::end(kTranslatable), std::string("de")) - std::begin(kTranslatable)] = true;
            known_by[i] = 1;
        }
    }
    std::vector<std::pair<std::string, int>> scores;
    for (size_t l = 0; l < kLanguages; ++l) {
        const Xapian::Stopper *stopper = stopper_for(kTranslatable[l]);
        int score = 0;  // in sixths of a point
        for (size_t i = 0; i < words.size(); ++i) {
            if (is_stopword(stopper, words[i])) score += 12;
            else if (known[i][l]) score += 6 / known_by[i];
        }
        scores.push_back({kTranslatable[l], score});
    }
    int best = 0;
    for (const auto &s : scores) best = std::max(best, s.second);
    std::vector<std::string> sources;
    for (const auto &s : scores)
        if (s.second == best) sources.push_back(s.first);
    // CLD2's guess stands unless the vote has one winner by stopwords of its own: CLD2 reads a
    // French synopsis full of English words ("Cadre applicatif de tests pour Java") as English.
    if (!guess.empty() && !(sources.size() == 1 && sources[0] != guess && has_stopwords(sources[0].c_str()))) return {guess};
    return sources;
}

// One translation (a word or a phrase of the target language) as a query on its stems:
// a word's stem, or a phrase of its words that are not stopwords (stopwords have no
// positions, schema.h) within the phrase's length; with the number of releases that hold its
// rarest word. Empty when one of its words is in no passage of the language (it cannot match).
struct Candidate {
    Xapian::Query query;
    Xapian::doccount frequency = 0;
};
Candidate translation_query(const Xapian::Database &db, const std::string &translation, const std::string &target,
                            const Xapian::Stem &stem, const std::string &prefix) {
    const Xapian::Stopper *stopper = stopper_for(target);
    std::vector<std::string> words = lowercase_words(translation);
    std::vector<std::string> kept;
    Candidate out;
    out.frequency = db.get_doccount();
    for (const std::string &word : words) {
        if (stopper && (*stopper)(word)) continue;
        kept.push_back(prefix + stem(word));
        // Through the search's memo: the weighting reads the same counts (weighting.cpp).
        out.frequency = std::min(out.frequency, term_frequency(db, kept.back()));
        if (out.frequency == 0) return Candidate();
    }
    std::vector<Xapian::Query> parts(kept.begin(), kept.end());
    if (parts.empty()) return Candidate();
    out.query = parts.size() == 1 ? parts[0]
                                  : Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end(), Xapian::termcount(words.size()));
    return out;
}

// The translations as one OP_SYNONYM: of those the index holds, the `room` that most releases
// hold, in the lexicon's order. A dictionary lists a word's senses, general and rare alike
// ("file": Akte, Dossier, Feile, Briefordner, ... Datei eleventh); the collection's own use
// of them tells which sense it speaks of (Dateien in software descriptions, Akte in
// administration). Those whose terms are all in `taken` already are left out; the terms of
// the rest are added to it and to `terms`.
Xapian::Query synonyms(const Xapian::Database &db, const std::vector<std::string> &translations, const std::string &target,
                       const Xapian::Stem &stem, const std::string &prefix,
                       std::unordered_map<std::string, std::string> &terms, const std::string &source,
                       std::vector<std::string> &taken, size_t room, size_t *count) {
    std::vector<Candidate> found;
    std::vector<std::string> seen = taken;
    for (const std::string &t : translations) {
        Candidate candidate = translation_query(db, t, target, stem, prefix);
        if (candidate.query.empty()) continue;
        bool fresh = false;
        for (auto term = candidate.query.get_unique_terms_begin(); term != candidate.query.get_unique_terms_end(); ++term)
            if (std::find(seen.begin(), seen.end(), *term) == seen.end()) {
                fresh = true;
                seen.push_back(*term);
            }
        if (fresh) found.push_back(std::move(candidate));
    }
    std::vector<size_t> by_frequency(found.size());
    for (size_t i = 0; i < found.size(); ++i) by_frequency[i] = i;
    std::stable_sort(by_frequency.begin(), by_frequency.end(),
                     [&found](size_t a, size_t b) { return found[a].frequency > found[b].frequency; });
    std::vector<bool> chosen(found.size(), false);
    for (size_t i = 0; i < by_frequency.size() && i < room; ++i) chosen[by_frequency[i]] = true;
    std::vector<Xapian::Query> parts;
    for (size_t i = 0; i < found.size(); ++i) {
        if (!chosen[i]) continue;
        for (auto term = found[i].query.get_unique_terms_begin(); term != found[i].query.get_unique_terms_end(); ++term) {
            if (std::find(taken.begin(), taken.end(), *term) == taken.end()) taken.push_back(*term);
            terms.emplace(*term, source);
        }
        parts.push_back(found[i].query);
    }
    *count = parts.size();
    if (parts.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_SYNONYM, parts.begin(), parts.end());
}

// A query word or phrase and what it becomes.
struct Unit {
    std::string source;          // the query's words
    Translations translations;   // none: it stays as it is
};

// The query's words from `from`, in units: at each word, the longest phrase of up to
// kMaxPhraseWords the lexicon holds (as typed, else as stems: "renewing partnerships"),
// else the word alone; stopwords of `from` that no phrase takes are dropped; `acronyms`
// (acronyms_of) stay as they are.
std::vector<Unit> units_of(const Lexicon &lexicon, const std::vector<std::string> &words, const std::string &from,
                           const std::string &to, const std::unordered_set<std::string> &acronyms) {
    std::vector<Unit> units;
    Xapian::Stem stem(stemmer_name(from));
    const Xapian::Stopper *stopper = stopper_for(from);
    for (size_t i = 0; i < words.size();) {
        size_t taken = 0;
        Unit unit;
        // An acronym stays as it is ("IT-Sicherheit" holds "IT"): neither dropped as the
        // stopword it may be spelt as nor translated as the word it is spelt as ("it": "es";
        // "GNU": "gnou"). (Looked up as any word unless a stopword, the cross-language
        // benchmark, answer's language named, lost .002-.005 in five columns and gained .004
        // in one: a general dictionary's senses of "GNU" or "GRASS" are not the names'.)
        if (acronyms.count(words[i])) {
            unit.source = words[i];
            units.push_back(std::move(unit));
            ++i;
            continue;
        }
        // Phrases are looked up only where one starts with this word (most words start none).
        bool phrases = words.size() - i > 1 && (lexicon.any_phrase_after(from, to, words[i], false) ||
                                                 lexicon.any_phrase_after(from, to, stem(words[i]), true));
        for (size_t n = phrases ? std::min(kMaxPhraseWords, words.size() - i) : 1; n >= 1 && !taken; --n) {
            std::string phrase = joined(words, i, n);
            // A stopword alone ("mit", "du") is not translated: it is dropped below.
            if (n == 1 && stopper && (*stopper)(phrase)) break;
            // A phrase ending in a stopword is a verb and its particle ("file for": déposer), whose
            // object is outside the query's phrase: in "development files for libfoo", "for"
            // belongs to what follows.
            if (n > 1 && stopper && (*stopper)(words[i + n - 1])) continue;
            // As typed, else by its stems; and by its stems too when the form typed has only
            // translations through German (the plural "files" and "testing" are headwords of no
            // English <-> French dictionary, their stems "file" and "test" are).
            bool found = lexicon.lookup(from, to, phrase, false, &unit.translations);
            Translations by_stems;
            bool stems_looked = false, by_stems_found = false;
            auto look_up_stems = [&]() {
                if (stems_looked) return by_stems_found;
                std::string stems;
                for (size_t k = i; k < i + n; ++k) stems += (k > i ? " " : "") + stem(words[k]);
                stems_looked = true;
                return by_stems_found = lexicon.lookup(from, to, stems, true, &by_stems);
            };
            if (!found || unit.translations.direct.empty()) {
                if (look_up_stems()) {
                    if (!found) unit.translations = by_stems;
                    else if (!by_stems.direct.empty()) {
                        unit.translations.direct = by_stems.direct;
                        for (const auto &t : by_stems.pivoted)
                            if (std::find(unit.translations.pivoted.begin(), unit.translations.pivoted.end(), t) == unit.translations.pivoted.end())
                                unit.translations.pivoted.push_back(t);
                    }
                    found = true;
                }
            }
            // The senses software gives the word (learnt from the message catalogs) are its
            // stems' when the form typed taught none ("displays" as "display", "displayed"...).
            if (n == 1 && unit.translations.learnt.empty() && look_up_stems() && !by_stems.learnt.empty()) {
                unit.translations.learnt = by_stems.learnt;
                found = true;
            }
            if (found) {
                unit.source = phrase;
                taken = n;
            }
        }
        if (!taken) {
            taken = 1;
            if (stopper && (*stopper)(words[i])) { ++i; continue; }
            // A German compound no dictionary holds is translated by its parts
            // ("Entwicklungsdateien": "Entwicklung" "Dateien", development files), as the
            // index splits it (compounds.h).
            if (from == "de") {
                std::vector<std::string> parts = CompoundSplitter::shared()->parts(words[i]);
                if (parts.size() > 1) {
                    std::vector<Unit> split = units_of(lexicon, parts, from, to, {});
                    bool any = std::any_of(split.begin(), split.end(), [](const Unit &u) { return !u.translations.empty(); });
                    if (any) {
                        for (Unit &part : split) units.push_back(std::move(part));
                        ++i;
                        continue;
                    }
                }
            }
            unit.source = words[i];
            unit.translations = Translations();
        }
        units.push_back(std::move(unit));
        i += taken;
    }
    return units;
}

// The cognates of a query word among the index's terms of the target language: its stem in
// its own language, as a target-language stem or that stem and one letter more ("develop" ->
// "developp", from "développement"; "multithread", from "multithreaded"; "monitor", an
// English word in French text), other than the word's own stem there (which the branch
// searches already). A digit more is another name ("python3" beside "python").
// Technical text shares much of its vocabulary across the three languages, and a dictionary
// gives "development" as "mise en œuvre". Stems under five letters are left alone ("data",
// "file": a short stem is the start of too many words). One range of the term list is read.
std::vector<std::string> cognates(const Xapian::Database &db, const std::string &prefix, const std::string &source_stem,
                                  const std::string &own_term) {
    constexpr size_t kShortest = 5, kMoreLetters = 1, kRead = 40;
    std::vector<std::string> out;
    if (source_stem.size() < kShortest) return out;
    std::string start = prefix + source_stem;
    size_t read = 0;
    for (auto term = db.allterms_begin(start); term != db.allterms_end(start) && read < kRead; ++term, ++read)
        if ((*term).size() <= start.size() + kMoreLetters && *term != own_term &&
            ((*term).size() == start.size() || !std::isdigit(static_cast<unsigned char>((*term).back()))))
            out.push_back(*term);
    return out;
}

// A word's regular cognates in another language, by the spelling rules that carry Latin and
// Greek vocabulary between English, French and German ("security" -> "sécurité",
// "processor" -> "processeur", "memory" -> "mémoire", "compile" -> "kompilieren",
// "Konsistenz" -> "consistency"), as the target language's words (folded: no accents); each is
// searched only when its stem is one of the index's terms (cognate_terms below).
struct SuffixRule {
    const char *from, *to;
};
std::vector<std::string> spelled_cognates(const std::string &word, const std::string &from, const std::string &to) {
    static const SuffixRule en_fr[] = {{"ity", "ite"}, {"ical", "ique"}, {"ics", "ique"}, {"ic", "ique"}, {"or", "eur"},
                                       {"ory", "oire"}, {"ary", "aire"}, {"al", "el"}, {"ization", "isation"},
                                       {"ize", "iser"}, {"ism", "isme"}, {"ist", "iste"}, {"ous", "eux"}, {"ive", "if"},
                                       {"y", "ie"}, {"ate", "er"}, {"ify", "ifier"}, {"er", "eur"}};
    static const SuffixRule en_de[] = {{"ity", "itat"}, {"ical", "isch"}, {"ics", "ik"}, {"ic", "isch"}, {"ic", "ik"},
                                       {"ization", "isierung"}, {"ize", "isieren"}, {"ate", "ieren"}, {"e", "ieren"},
                                       {"ism", "ismus"}, {"y", "ie"}, {"ory", "orie"}, {"ary", "ar"}, {"al", "ell"},
                                       {"", "ieren"}};
    static const SuffixRule fr_en[] = {{"ite", "ity"}, {"ique", "ic"}, {"ique", "ical"}, {"eur", "or"}, {"oire", "ory"},
                                       {"aire", "ary"}, {"el", "al"}, {"isation", "ization"}, {"iser", "ize"},
                                       {"isme", "ism"}, {"iste", "ist"}, {"eux", "ous"}, {"if", "ive"}, {"ie", "y"},
                                       {"er", "ate"}, {"ifier", "ify"}, {"eur", "er"}};
    static const SuffixRule de_en[] = {{"itat", "ity"}, {"isch", "ic"}, {"isch", "ical"}, {"ik", "ic"}, {"ik", "ics"},
                                       {"isierung", "ization"}, {"isieren", "ize"}, {"ieren", "ate"}, {"ieren", "e"},
                                       {"ieren", ""}, {"ismus", "ism"}, {"ie", "y"}, {"orie", "ory"}, {"ar", "ary"},
                                       {"ell", "al"}};
    const SuffixRule *begin = nullptr, *end = nullptr;
    auto pick = [&](const auto &rules) { begin = std::begin(rules); end = std::end(rules); };
    if (from == "en" && to == "fr") pick(en_fr);
    else if (from == "en" && to == "de") pick(en_de);
    else if (from == "fr" && to == "en") pick(fr_en);
    else if (from == "de" && to == "en") pick(de_en);
    else return {};
    // English c is German k, or z before e, i, y ("compile" -> "kompil", "process" -> "prozess"), and back.
    auto respelled = [&](const std::string &w) {
        std::string out;
        for (size_t i = 0; i < w.size(); ++i) {
            char c = w[i], next = i + 1 < w.size() ? w[i + 1] : 0;
            if (from == "en" && to == "de" && c == 'c' && next != 'h' && next != 'k')
                out += (next == 'e' || next == 'i' || next == 'y') ? 'z' : 'k';
            else if (from == "de" && to == "en" && c == 'k' && (i == 0 || w[i - 1] != 'c'))
                out += 'c';
            else if (from == "de" && to == "en" && c == 'z' && (next == 'e' || next == 'i'))
                out += 'c';
            else
                out += c;
        }
        return out;
    };
    std::vector<std::string> forms{word};
    std::string other = respelled(word);
    if (other != word) forms.push_back(other);
    std::vector<std::string> out;
    for (const std::string &form : forms) {
        if (form != word) out.push_back(form);
        for (const SuffixRule *rule = begin; rule != end; ++rule) {
            size_t n = std::strlen(rule->from);
            if (form.size() < n + 4 || form.compare(form.size() - n, n, rule->from) != 0) continue;
            out.push_back(form.substr(0, form.size() - n) + rule->to);
        }
    }
    return out;
}

}  // namespace

bool translatable(const std::string &text) {
    if (text.find_first_of("\"*") != std::string::npos) return false;
    // A sign is an operator only where a word starts with it ("-munich", "+cooperation"): a
    // package's synopsis separates its parts with " - " and " -- " and names "C++" and "GTK+".
    auto word_start = [&text](size_t i) { return i == 0 || text[i - 1] == ' ' || text[i - 1] == '('; };
    auto before_word = [&text](size_t i) {
        return i + 1 < text.size() && text[i + 1] != ' ' && text[i + 1] != '-' && text[i + 1] != '+' && text[i + 1] != ')';
    };
    for (size_t i = 0; i < text.size(); ++i)
        if ((text[i] == '-' || text[i] == '+') && word_start(i) && before_word(i)) return false;
    // A field is a known name and a colon ("title:", "lang:"); "library: development files" is words.
    for (const char *field : {"title:", "lang:"})
        for (size_t at = text.find(field); at != std::string::npos; at = text.find(field, at + 1))
            if (word_start(at)) return false;
    bool plain = true;
    each_word(text, [&plain](const std::string &word) { return plain = !is_operator(word); });
    return plain;
}

namespace {

// A translated branch beside the query's own language: its words (`parts`, one query word's
// group each) whose terms the target language's releases hold commonly
// (kCommonTranslationShare) only add to the releases the other words find, unless every word
// is common (their OR). A group's releases are counted as its terms' postings, a phrase's
// words each: a phrase of common words counts as common. (Measured, 2026-12-03: counted by
// its rarest word, French -> English with no language named fell .004 on the man pages and
// .006 on the packages; a word searched as it is beside translations the index does not
// hold, counted as common whatever its rarity, English monolingual on the man pages .005.)
Xapian::Query common_words_accompany(const Xapian::Database &db, const std::vector<Xapian::Query> &parts,
                                     const std::string &target) {
    double common = kCommonTranslationShare * term_frequency(db, schema::language_term(target));
    std::vector<Xapian::Query> rare, usual;
    for (const auto &part : parts) {
        double held = 0;
        for (auto term = part.get_unique_terms_begin(); term != part.get_unique_terms_end(); ++term)
            held += term_frequency(db, *term);
        (held > common ? usual : rare).push_back(part);
    }
    if (rare.empty() || usual.empty()) return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, Xapian::Query(Xapian::Query::OP_OR, rare.begin(), rare.end()),
                         Xapian::Query(Xapian::Query::OP_OR, usual.begin(), usual.end()));
}

}  // namespace

QueryTranslation translate_query(const Xapian::Database &db, const Lexicon &lexicon, const std::string &text,
                                 const std::string &from, const std::vector<std::string> &targets,
                                 const std::string &typed) {
    QueryTranslation out;
    std::vector<std::string> words = lowercase_words(text);
    if (words.empty()) return out;
    // "~en": CLD2's guess, which a vote of the query's own stopwords overrules.
    std::string guess = from.size() > 1 && from[0] == '~' ? from.substr(1) : "";
    if (!translatable_language(guess)) guess.clear();
    const std::unordered_set<std::string> acronyms = acronyms_of(typed);
    out.sources = translatable_language(from) ? std::vector<std::string>{from} : detect_sources(lexicon, words, guess, typed, acronyms);
    // The query's own language is searched too: translated words weigh against its evidence
    // (kCommonTranslationShare).
    bool beside_own = std::any_of(out.sources.begin(), out.sources.end(), [&](const std::string &source) {
        return std::find(targets.begin(), targets.end(), source) != targets.end();
    });
    std::map<std::string, Xapian::Stem> source_stems;
    for (const std::string &source : out.sources) source_stems.emplace(source, Xapian::Stem(stemmer_name(source)));
    for (const std::string &target : targets) {
        if (!translatable_language(target)) continue;
        if (std::find(out.sources.begin(), out.sources.end(), target) != out.sources.end()) continue;
        Xapian::Stem stem(stemmer_name(target));
        std::string prefix = std::string(schema::kStemPrefix) + language_term_prefix(target);
        std::vector<Xapian::Query> parts;
        std::vector<std::string> kept;  // untranslated words, once across sources
        for (const std::string &source : out.sources) {
            for (const Unit &unit : units_of(lexicon, words, source, target, acronyms)) {
                // The word as the target language's passages would hold it ("Fkernel").
                const std::string own = prefix + stem(unit.source);
                std::vector<std::string> cognate_terms;
                if (unit.source.find(' ') == std::string::npos)
                    cognate_terms = cognates(db, prefix, source_stems.at(source)(unit.source), own);
                // And its cognates by spelling rules, each when the index holds its stem (one
                // term look-up each, through the search's memo).
                if (unit.source.find(' ') == std::string::npos && unit.source.size() >= 5)
                    for (const std::string &form : spelled_cognates(unit.source, source, target)) {
                        std::string term = prefix + stem(form);
                        if (term == own || term.size() < prefix.size() + 4) continue;
                        if (std::find(cognate_terms.begin(), cognate_terms.end(), term) != cognate_terms.end()) continue;
                        if (term_frequency(db, term) > 0) cognate_terms.push_back(term);
                    }
                for (const auto &term : cognate_terms) out.terms.emplace(term, unit.source);
                // The word as it is, with its cognates as one word.
                auto as_is = [&]() {
                    std::vector<Xapian::Query> members{Xapian::Query(own)};
                    members.insert(members.end(), cognate_terms.begin(), cognate_terms.end());
                    return members.size() == 1 ? members[0] : Xapian::Query(Xapian::Query::OP_SYNONYM, members.begin(), members.end());
                };
                if (unit.translations.empty()) {
                    // No translation: a name, a number, a word of the target language already;
                    // not a stopword of the target language ("IT" is no French or German
                    // stopword, "US" no German one), which nearly every release holds.
                    if (std::find(kept.begin(), kept.end(), unit.source) != kept.end()) continue;
                    if (const Xapian::Stopper *target_stopper = stopper_for(target);
                        target_stopper && (*target_stopper)(unit.source))
                        continue;
                    kept.push_back(unit.source);
                    out.own_terms.insert(own);
                    parts.push_back(as_is());
                    continue;
                }
                std::vector<std::string> taken;
                size_t learnt = 0, searched = 0, pivots = 0;
                // The senses software gives the word first, whatever their counts: the catalogs
                // say which of the dictionary's senses a technical text means ("string":
                // "chaîne", not "corde").
                Xapian::Query attested = synonyms(db, unit.translations.learnt, target, stem, prefix, out.terms,
                                                  unit.source, taken, kMaxSearched, &learnt);
                // Beside them, the dictionary's translation most releases hold, in case the text
                // means a sense software does not; without them, the dictionary's six.
                size_t direct_room = learnt > 0 ? std::min(kDictionaryBesideLearnt, kMaxSearched - learnt) : kMaxSearched;
                Xapian::Query direct = synonyms(db, unit.translations.direct, target, stem, prefix, out.terms,
                                                unit.source, taken, direct_room, &searched);
                if (!attested.empty())
                    direct = direct.empty() ? attested : Xapian::Query(Xapian::Query::OP_SYNONYM, attested, direct);
                // A word's cognates are among its direct translations (before those through
                // German), and so is the word itself as the target language's passages hold it
                // (an English "kernel" in a French page), when they hold one of its translations:
                // one word, as rare as the group. (Searched beside them, its own rarity there
                // weighed it as a rare word, English words being rare in French text, and pages
                // quoting the term in code or names ranked as if they answered.) Where they hold
                // none, the group would be the quoting passages alone ("Bibliothek" in one
                // English release): the word is searched beside it, by its rarity in the whole
                // index (with_shared_rarity), at kForeignWordsWeight.
                std::vector<std::string> alike = cognate_terms;
                // (Once across sources: a query read as two languages translates each word
                // from both.)
                bool own_apart = unit.source.find(' ') == std::string::npos && term_frequency(db, own) > 0 &&
                                 std::find(alike.begin(), alike.end(), own) == alike.end() &&
                                 std::find(taken.begin(), taken.end(), own) == taken.end() && !out.own_terms.count(own);
                if (own_apart) out.own_terms.insert(own);
                if (own_apart && !direct.empty()) {
                    alike.push_back(own);
                    own_apart = false;
                }
                if (!alike.empty()) {
                    std::vector<Xapian::Query> members;
                    if (!direct.empty()) members.push_back(direct);
                    for (const auto &term : alike)
                        if (std::find(taken.begin(), taken.end(), term) == taken.end()) { members.emplace_back(term); taken.push_back(term); }
                    direct = Xapian::Query(Xapian::Query::OP_SYNONYM, members.begin(), members.end());
                }
                // Translations through German make up for a thin English <-> French dictionary; a
                // word the catalogs translate is not thin, and the detour only adds wrong senses
                // there (`print` -> Druck -> "pression").
                size_t pivot_room = learnt > 0 ? 0 : kMaxSearched - searched;
                Xapian::Query pivoted = synonyms(db, unit.translations.pivoted, target, stem, prefix, out.terms,
                                                 unit.source, taken, pivot_room, &pivots);
                if (own_apart && std::find(taken.begin(), taken.end(), own) == taken.end()) {
                    if (!pivoted.empty()) pivoted = Xapian::Query(Xapian::Query::OP_SYNONYM, pivoted, Xapian::Query(own));
                    else parts.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                       with_shared_rarity(db, Xapian::Query(own), language_term_prefix(target)),
                                                       kForeignWordsWeight / kTranslatedWeight));
                }
                // Through German, a word weighs less only beside its direct translations: where
                // the direct dictionary has none (English <-> French is thin), it is the best
                // translation there is. (An OR, not OP_MAX: Xapian 1.4.22 crashed in the match
                // on an OP_MAX of synonyms beside other branches.)
                if (direct.empty()) parts.push_back(pivoted);
                else if (pivoted.empty()) parts.push_back(direct);
                else parts.push_back(Xapian::Query(Xapian::Query::OP_OR, direct,
                                                   Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, pivoted, kPivotedWeight)));
            }
        }
        parts.erase(std::remove_if(parts.begin(), parts.end(), [](const Xapian::Query &q) { return q.empty(); }), parts.end());
        if (parts.empty()) continue;
        Xapian::Query branch = beside_own ? common_words_accompany(db, parts, target)
                                          : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
        out.branches.push_back({target, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, branch, kTranslatedWeight)});
    }
    return out;
}

std::vector<TranslatedWord> translated_words(const std::string &text, const std::string &lang,
                                             const std::unordered_map<std::string, std::string> &terms) {
    std::vector<TranslatedWord> out;
    if (terms.empty() || !translatable_language(lang)) return out;
    std::vector<uint32_t> map;
    std::string folded = fold(text.data(), text.size(), &map);
    // A passage's words repeat from hit to hit and query to query: each thread remembers
    // their stems (Xapian::Stem is not thread-safe, hence one per thread too).
    thread_local std::unordered_map<std::string, std::pair<Xapian::Stem, std::unordered_map<std::string, std::string>>> stemmers;
    auto found = stemmers.find(lang);
    if (found == stemmers.end())
        found = stemmers.emplace(lang, std::make_pair(Xapian::Stem(stemmer_name(lang)), std::unordered_map<std::string, std::string>())).first;
    auto &own = found->second;
    if (own.second.size() > 100000) own.second.clear();
    auto stem = [&own](const std::string &word) -> const std::string & {
        auto at = own.second.find(word);
        if (at == own.second.end()) at = own.second.emplace(word, own.first(word)).first;
        return at->second;
    };
    std::string prefix = std::string(schema::kStemPrefix) + language_term_prefix(lang);
    // A stem starts as its word does (the word folded and lowercased): only the words that
    // start as one of the translated stems are stemmed.
    std::vector<std::string> openings;
    for (const auto &[term, source] : terms)
        if (term.compare(0, prefix.size(), prefix) == 0 && term.size() > prefix.size())
            openings.push_back(term.substr(prefix.size(), std::min<size_t>(2, term.size() - prefix.size())));
    // The first bytes those stems start with: a word whose first letter is none of them is
    // passed over without being lowercased (most words of a passage).
    bool opens[256] = {};
    for (const std::string &o : openings) opens[static_cast<unsigned char>(o[0])] = true;
    std::string word;
    size_t start = 0;
    auto flush = [&](size_t end) {
        if (word.empty()) return;
        auto first = static_cast<unsigned char>(word[0]);
        if (first < 0x80 && !opens[first >= 'A' && first <= 'Z' ? first + ('a' - 'A') : first]) {
            word.clear();
            return;
        }
        std::string lower = Xapian::Unicode::tolower(word);
        bool may = std::any_of(openings.begin(), openings.end(), [&](const std::string &o) { return lower.compare(0, o.size(), o) == 0; });
        auto at = may ? terms.find(prefix + stem(lower)) : terms.end();
        if (at != terms.end()) out.push_back({map[start], map[end], at->second});
        word.clear();
    };
    // Words as Xapian splits them (each_word's classes: ASCII letters, digits and "_" read
    // here, the rest through Xapian's Unicode tables).
    const size_t size = folded.size();
    for (size_t offset = 0; offset < size;) {
        auto byte = static_cast<unsigned char>(folded[offset]);
        if (byte < 0x80) {
            bool in_word = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') || byte == '_';
            if (!in_word) flush(offset);
            else if (word.empty()) start = offset;
            if (in_word) word.push_back(char(byte));
            ++offset;
            continue;
        }
        Xapian::Utf8Iterator it(folded.data() + offset, size - offset);
        unsigned character = *it;
        ++it;
        if (Xapian::Unicode::is_wordchar(character)) {
            if (word.empty()) start = offset;
            Xapian::Unicode::append_utf8(word, character);
        } else {
            flush(offset);
        }
        offset = size_t(it.raw() - folded.data());
    }
    flush(folded.size());
    return out;
}

std::string default_lexicon_path() {
    const char *name = "translations-3.lexicon";
    if (const char *dir = std::getenv("PRESSE_CACHE_DIR"); dir && *dir) return std::string(dir) + "/" + name;
    if (const char *dir = std::getenv("XDG_CACHE_HOME"); dir && *dir) return std::string(dir) + "/presse/" + name;
    if (const char *home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/presse/" + name;
    return "";
}

std::string dictionary_dir() {
    if (const char *dir = std::getenv("PRESSE_DICTIONARIES"); dir && *dir) return dir;
    return "/usr/share/dictd";
}

}  // namespace cxapian
