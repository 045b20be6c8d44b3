// Query translation: the query's words, longest dictionary phrase first, each replaced in a
// target language by an OP_SYNONYM of its translations' stems (one word's translations count
// as one word, so a word with six translations does not weigh six times: Pirkola 1998), with
// the translations found through German in a weaker group beside it. A word no dictionary knows (a name, a product, a number) stays as it is.
#include "translate.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "internal.h"
#include "schema.h"

namespace cxapian {

namespace {

constexpr size_t kMaxPhraseWords = 4;
const char *const kTranslatable[] = {"en", "fr", "de"};

bool translatable(const std::string &lang) {
    return std::any_of(std::begin(kTranslatable), std::end(kTranslatable), [&](const char *l) { return lang == l; });
}

std::vector<std::string> words_of(const std::string &text) {
    std::vector<std::string> words;
    each_word(text, [&words](const std::string &word) {
        words.push_back(Xapian::Unicode::tolower(word));
        return true;
    });
    return words;
}

std::string joined(const std::vector<std::string> &words, size_t start, size_t count) {
    std::string out;
    for (size_t i = start; i < start + count; ++i) {
        if (i > start) out += ' ';
        out += words[i];
    }
    return out;
}

// The language(s) a query is written in, when not told: each of the three scores its
// stopwords among the query's words and the other words its dictionaries hold as headwords;
// the best wins, and a tie keeps every tied language (each is translated from).
std::vector<std::string> detect_sources(const Lexicon &lexicon, const std::vector<std::string> &words) {
    std::vector<std::pair<std::string, int>> scores;
    for (const char *lang : kTranslatable) {
        const Xapian::Stopper *stopper = stopper_for(lang);
        int score = 0;
        for (const std::string &word : words)
            if ((stopper && (*stopper)(word)) || lexicon.knows(lang, word)) ++score;
        scores.push_back({lang, score});
    }
    int best = 0;
    for (const auto &s : scores) best = std::max(best, s.second);
    std::vector<std::string> sources;
    for (const auto &s : scores)
        if (s.second == best) sources.push_back(s.first);
    return sources;
}

// One translation (a word or a phrase of the target language) as a query on its stems:
// a word's stem, or a phrase of its words that are not stopwords (stopwords have no
// positions, schema.h) within the phrase's length.
Xapian::Query translation_query(const std::string &translation, const std::string &target,
                                const Xapian::Stem &stem, const std::string &prefix,
                                std::unordered_map<std::string, std::string> &terms, const std::string &source) {
    const Xapian::Stopper *stopper = stopper_for(target);
    std::vector<std::string> words = words_of(translation);
    std::vector<Xapian::Query> parts;
    for (const std::string &word : words) {
        if (stopper && (*stopper)(word)) continue;
        std::string term = prefix + stem(word);
        terms.emplace(term, source);
        parts.emplace_back(term);
    }
    if (parts.empty()) return Xapian::Query();
    if (parts.size() == 1) return parts[0];
    return Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end(), Xapian::termcount(words.size()));
}

// The translations as one OP_SYNONYM; those whose terms are all in `taken` already are left
// out, and the rest are added to it.
Xapian::Query synonyms(const std::vector<std::string> &translations, const std::string &target,
                       const Xapian::Stem &stem, const std::string &prefix,
                       std::unordered_map<std::string, std::string> &terms, const std::string &source,
                       std::vector<std::string> &taken) {
    std::vector<Xapian::Query> parts;
    for (const std::string &t : translations) {
        Xapian::Query q = translation_query(t, target, stem, prefix, terms, source);
        if (q.empty()) continue;
        bool fresh = false;
        for (auto term = q.get_unique_terms_begin(); term != q.get_unique_terms_end(); ++term)
            if (std::find(taken.begin(), taken.end(), *term) == taken.end()) {
                fresh = true;
                taken.push_back(*term);
            }
        if (fresh) parts.push_back(q);
    }
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
// else the word alone; stopwords of `from` that no phrase takes are dropped.
std::vector<Unit> units_of(const Lexicon &lexicon, const std::vector<std::string> &words, const std::string &from,
                           const std::string &to) {
    std::vector<Unit> units;
    Xapian::Stem stem(stemmer_name(from));
    const Xapian::Stopper *stopper = stopper_for(from);
    for (size_t i = 0; i < words.size();) {
        size_t taken = 0;
        Unit unit;
        for (size_t n = std::min(kMaxPhraseWords, words.size() - i); n >= 1 && !taken; --n) {
            std::string phrase = joined(words, i, n);
            // A stopword alone ("mit", "du") is not translated: it is dropped below.
            if (n == 1 && stopper && (*stopper)(phrase)) break;
            bool found = lexicon.lookup(from, to, phrase, false, &unit.translations);
            if (!found) {
                std::string stems;
                for (size_t k = i; k < i + n; ++k) stems += (k > i ? " " : "") + stem(words[k]);
                found = lexicon.lookup(from, to, stems, true, &unit.translations);
            }
            if (found) {
                unit.source = phrase;
                taken = n;
            }
        }
        if (!taken) {
            taken = 1;
            if (stopper && (*stopper)(words[i])) { ++i; continue; }
            unit.source = words[i];
            unit.translations = Translations();
        }
        units.push_back(std::move(unit));
        i += taken;
    }
    return units;
}

}  // namespace

QueryTranslation translate_query(const Lexicon &lexicon, const std::string &text, const std::string &from,
                                 const std::vector<std::string> &targets) {
    QueryTranslation out;
    std::vector<std::string> words = words_of(text);
    if (words.empty()) return out;
    out.sources = translatable(from) ? std::vector<std::string>{from} : detect_sources(lexicon, words);
    for (const std::string &target : targets) {
        if (!translatable(target)) continue;
        if (std::find(out.sources.begin(), out.sources.end(), target) != out.sources.end()) continue;
        Xapian::Stem stem(stemmer_name(target));
        std::string prefix = std::string(schema::kStemPrefix) + language_term_prefix(target);
        std::vector<Xapian::Query> parts;
        std::vector<std::string> kept;  // untranslated words, once across sources
        for (const std::string &source : out.sources) {
            for (const Unit &unit : units_of(lexicon, words, source, target)) {
                if (unit.translations.direct.empty() && unit.translations.pivoted.empty()) {
                    // No translation: a name, a number, a word of the target language already.
                    if (std::find(kept.begin(), kept.end(), unit.source) != kept.end()) continue;
                    kept.push_back(unit.source);
                    parts.emplace_back(prefix + stem(unit.source));
                    continue;
                }
                std::vector<std::string> taken;
                Xapian::Query direct = synonyms(unit.translations.direct, target, stem, prefix, out.terms, unit.source, taken);
                Xapian::Query pivoted = synonyms(unit.translations.pivoted, target, stem, prefix, out.terms, unit.source, taken);
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
        Xapian::Query branch(Xapian::Query::OP_OR, parts.begin(), parts.end());
        out.branches.push_back({target, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, branch, kTranslatedWeight)});
    }
    return out;
}

std::vector<TranslatedWord> translated_words(const std::string &text, const std::string &lang,
                                             const std::unordered_map<std::string, std::string> &terms) {
    std::vector<TranslatedWord> out;
    if (terms.empty() || !translatable(lang)) return out;
    std::vector<uint32_t> map;
    std::string folded = fold(text.data(), text.size(), &map);
    Xapian::Stem stem(stemmer_name(lang));
    std::string prefix = std::string(schema::kStemPrefix) + language_term_prefix(lang);
    std::string word;
    size_t start = 0;
    auto flush = [&](size_t end) {
        if (word.empty()) return;
        auto at = terms.find(prefix + stem(Xapian::Unicode::tolower(word)));
        if (at != terms.end()) out.push_back({map[start], map[end], at->second});
        word.clear();
    };
    for (Xapian::Utf8Iterator it(folded), end; it != end; ++it) {
        size_t offset = it.raw() - folded.data();
        if (Xapian::Unicode::is_wordchar(*it)) {
            if (word.empty()) start = offset;
            Xapian::Unicode::append_utf8(word, *it);
        } else {
            flush(offset);
        }
    }
    flush(folded.size());
    return out;
}

std::string default_lexicon_path() {
    const char *name = "translations-1.lexicon";
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
