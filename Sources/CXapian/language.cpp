// Per-language analysis (Lucene's one-place-per-language habit): Snowball stemmer names and
// folded stop lists for English, French and German, and CLD2's language identification.
#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <map>
#include <set>

#include <cld2/public/compact_lang_det.h>

#include "internal.h"
#include "stopwords.h"

namespace cxapian {

const std::vector<std::string> &all_languages() {
    static const std::vector<std::string> languages = {"en", "fr", "de", "und"};
    return languages;
}

std::string snowball_name(const std::string &code) {
    if (code == "en") return "english";
    if (code == "fr") return "french";
    if (code == "de") return "german";
    return "";
}

std::string stemmer_name(const std::string &code) {
    std::string name = snowball_name(code);
    return name.empty() ? "english" : name;
}

std::string language_term_prefix(const std::string &code) {
    if (code == "fr") return "F";
    if (code == "de") return "D";
    if (code == "und") return "U";
    return "";
}

// A language's stop list as queries and text are seen: folded and lowercased.
static std::vector<std::string> folded_stopwords(const std::string &code) {
    size_t count = 0;
    const char *const *words = stopword_list(code.c_str(), &count);
    std::vector<std::string> folded;
    for (size_t i = 0; i < count; ++i)
        folded.push_back(Xapian::Unicode::tolower(fold(words[i], std::strlen(words[i]))));
    return folded;
}

const Xapian::Stopper *stopper_for(const std::string &code) {
    // Each list is built on first use (a one-shot search in one language needs one), then
    // read-only, so shared by every handle and thread.
    // (Never freed: they live as long as the process.)
    auto build = [](std::vector<const char *> codes) {
        auto *stopper = new Xapian::SimpleStopper();
        for (const char *code : codes)
            for (const std::string &word : folded_stopwords(code)) stopper->add(word);
        return stopper;
    };
    if (code == "en") { static const Xapian::SimpleStopper *english = build({"en"}); return english; }
    if (code == "fr") { static const Xapian::SimpleStopper *french = build({"fr"}); return french; }
    if (code == "de") { static const Xapian::SimpleStopper *german = build({"de"}); return german; }
    // Undetermined text is searched for its words as written, and its few passages make every
    // word that occurs in them rare, so highly weighted: "de" or "für" alone would put a
    // Spanish or half-German passage first. All three lists apply.
    if (code == "und") { static const Xapian::SimpleStopper *any = build({"en", "fr", "de"}); return any; }
    return nullptr;
}

namespace {

// A query word's stopper for one language: the language's own stopwords, and another of the
// three languages' stopwords when this language's stemmer turns it into one of its own.
// Queries are parsed in every language (a German "uns" is also stemmed as French, to "un"),
// and stopwords are indexed for phrases, so without the second rule "Über uns" would match
// every French passage with "un", weighted as a rare word in a mostly English index.
class QueryStopper : public Xapian::Stopper {
  public:
    explicit QueryStopper(const std::string &code) : code_(code), own_(stopper_for(code)) {
        for (const auto &other : all_languages())
            if (other != code && !snowball_name(other).empty()) others_.push_back(stopper_for(other));
    }

    bool operator()(const std::string &word) const override {
        if ((*own_)(word)) return true;
        bool foreign = false;
        for (const Xapian::Stopper *other : others_) foreign = foreign || (*other)(word);
        // Rare (only other languages' stopwords get here), so a stemmer of its own per call:
        // the stopper is shared by every thread, a Xapian::Stem may not be.
        return foreign && (*own_)(Xapian::Stem(snowball_name(code_))(word));
    }

  private:
    std::string code_;
    const Xapian::Stopper *own_;
    std::vector<const Xapian::Stopper *> others_;
};

}  // namespace

const Xapian::Stopper *query_stopper_for(const std::string &code) {
    if (code == "en") { static const QueryStopper *english = new QueryStopper("en"); return english; }
    if (code == "fr") { static const QueryStopper *french = new QueryStopper("fr"); return french; }
    if (code == "de") { static const QueryStopper *german = new QueryStopper("de"); return german; }
    return stopper_for(code);  // "und": every language's stopwords already
}

// The languages the stopword counts below are in, in this order.
static const char *const kCountedLanguages[3] = {"en", "fr", "de"};

// How many different English, French and German stopwords (in that order) a text uses.
// Different words, not occurrences: a list of "Noto Sans ..." fonts repeats the French "sans"
// without being French.
void count_stopwords(const char *text, size_t length, int counts[3]) {
    std::set<std::string> seen[3];
    each_word(fold(text, length), [&](const std::string &word) {
        std::string lower = Xapian::Unicode::tolower(word);
        for (int i = 0; i < 3; ++i)
            if ((*stopper_for(kCountedLanguages[i]))(lower)) seen[i].insert(lower);
        return true;
    });
    for (int i = 0; i < 3; ++i) counts[i] = static_cast<int>(seen[i].size());
}

// The language whose stopwords a text uses: the one with the most different stopwords, at
// least `minimum` and `dominance` times as many as any other; "" otherwise.
std::string language_by_stopwords(const int counts[3], int minimum, int dominance) {
    int best = 0;
    for (int i = 1; i < 3; ++i)
        if (counts[i] > counts[best]) best = i;
    if (counts[best] < minimum) return "";
    for (int i = 0; i < 3; ++i)
        if (i != best && (counts[i] >= counts[best] || counts[best] < dominance * counts[i])) return "";
    return kCountedLanguages[best];
}

}  // namespace cxapian

// The share of a text one of our languages needs, behind another language, to be taken.
constexpr int kCloseBehindPercent = 30;

extern "C" cx_language_guess cx_detect_language(const char *text, size_t text_len) {
    cx_language_guess guess{};
    try {
        if (!text || text_len == 0) return guess;
        CLD2::Language top3[3];
        int percent3[3];
        int text_bytes = 0;
        bool reliable = false;
        // The extended call returns UNKNOWN_LANGUAGE for short, indeterminate text where the
        // simple ones answer ENGLISH; callers give such passages their neighbours' language.
        CLD2::Language language = CLD2::ExtDetectLanguageSummary(
            text, static_cast<int>(std::min<size_t>(text_len, 1 << 30)), true, top3, percent3,
            &text_bytes, &reliable);
        auto ours = [](CLD2::Language l) -> const char * {
            return l == CLD2::ENGLISH ? "en" : l == CLD2::FRENCH ? "fr" : l == CLD2::GERMAN ? "de" : "";
        };
        const char *code = ours(language);
        // Another language first, but one of ours close behind ("Bibliothek für GIF-Bilder...":
        // Norwegian 50%, German 49%): ours, which at least gets stemmed.
        for (int i = 0; i < 3 && !*code && language != CLD2::UNKNOWN_LANGUAGE; ++i) {
            if (*ours(top3[i]) && percent3[i] >= kCloseBehindPercent) {
                code = ours(top3[i]);
                percent3[0] = percent3[i];
            }
        }
        // Stopwords are counted only where they decide: not for another language's text.
        int counts[3] = {0, 0, 0};
        if (language == CLD2::UNKNOWN_LANGUAGE || *code) cxapian::count_stopwords(text, text_len, counts);
        std::string by_stopwords;
        if (language == CLD2::UNKNOWN_LANGUAGE) {
            // No verdict (not another language: CLD2 gives up on some short, repetitive
            // descriptions, "Dokumentation für texlive-fonts-recommended" twice): the
            // stopwords decide, as unreliable.
            by_stopwords = cxapian::language_by_stopwords(counts, 2, 1);
            code = by_stopwords.c_str();
            reliable = false;
            percent3[0] = 0;
        } else if (*code) {
            // One of ours, but the function words say another of ours, clearly: CLD2 counts
            // letters, and English names and terms outweigh a French sentence's few function
            // words ("GEOTRANZ est le nom Debian de GEOTRANS, un produit de la National
            // Geospatial-Intelligence Agency..." reads 99% English).
            by_stopwords = cxapian::language_by_stopwords(counts, 3, 3);
            if (!by_stopwords.empty()) code = by_stopwords.c_str();
        }
        std::strncpy(guess.code, code, sizeof guess.code - 1);
        guess.percent = percent3[0];
        guess.reliable = reliable ? 1 : 0;
    } catch (...) {
        // CLD2 does not throw, but nothing may cross into Swift: an unknown guess is safe.
        guess = cx_language_guess{};
    }
    return guess;
}

extern "C" cx_status cx_stem_word(const char *lang, const char *word, size_t word_len,
                                  cx_bytes *out, cx_error *error) {
    if (out) *out = cx_bytes{nullptr, 0};
    try {
        if (!out || !lang || (!word && word_len))
            return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        std::string folded = Xapian::Unicode::tolower(cxapian::fold(word, word_len));
        std::string stem = Xapian::Stem(cxapian::stemmer_name(lang))(folded);
        cxapian::copy_out(stem, out);
        return CX_OK;
    } catch (...) {
        return cxapian::translate_exception(error);
    }
}

extern "C" cx_language_code cx_language_of_stopwords(const char *text, size_t text_len) {
    cx_language_code result{};
    try {
        if (text && text_len) {
            int counts[3];
            cxapian::count_stopwords(text, text_len, counts);
            std::string code = cxapian::language_by_stopwords(counts, 2, 1);
            std::strncpy(result.code, code.c_str(), sizeof result.code - 1);
        }
    } catch (...) {
        // Out of memory at worst: no verdict, the passage takes its neighbours' language.
        result = cx_language_code{};
    }
    return result;
}
