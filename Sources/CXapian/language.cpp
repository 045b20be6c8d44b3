// Per-language analysis (Lucene's one-place-per-language habit): the language table, which
// every per-language answer of the bridge reads, the stoppers built from it, and CLD2's raw
// evidence for Swift's language rules (Language/LanguageRules.swift decides; nothing here does).
#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <deque>
#include <string_view>
#include <mutex>
#include <set>

#include <cld2/public/compact_lang_det.h>

#include "internal.h"
#include "stopwords.h"

namespace cxapian {
namespace {

// What a query in the language drops (see QueryStopper below).
enum class QueryStopping {
    kOwnAndStemmedForeign,  // its stop list, and other languages' stopwords it stems to its own
    kStopListOnly,          // its stop list as it is
};

// One row per language Presse knows, in the order queries are built.
struct LanguageSpec {
    const char *code;         // BCP 47; for an identified language, also CLD2's code for it
    const char *snowball;     // Xapian's Snowball name for the language; "" for none
    const char *stemmer;      // the stemmer its passages are indexed and searched with
    const char *term_prefix;  // its term space: its stems' prefix (schema.h)
    bool identified;          // CLD2 can name it, and its stopwords are counted for Swift's votes
    const StopList *stop_lists[3];  // its stop list: the union of these
    QueryStopping query_stopping;
};

// Undetermined text ("und": in none of the three, or too short to tell) is stemmed in English so
// that its words share the index's terms and weights (see stemmer_name in internal.h). It is
// searched for its words as written, and its few passages make every word in them rare, so highly
// weighted: "de" or "für" alone would put a Spanish or half-German passage first, hence all three
// stop lists. Its queries drop those words and no more (they are every language's stopwords
// already).
constexpr LanguageSpec kLanguages[] = {
    {"en", "english", "english", "", true, {&kEnglishStopwords}, QueryStopping::kOwnAndStemmedForeign},
    {"fr", "french", "french", "F", true, {&kFrenchStopwords}, QueryStopping::kOwnAndStemmedForeign},
    {"de", "german", "german", "D", true, {&kGermanStopwords}, QueryStopping::kOwnAndStemmedForeign},
    {"und", "", "english", "U", false, {&kEnglishStopwords, &kFrenchStopwords, &kGermanStopwords},
     QueryStopping::kStopListOnly},
};
constexpr size_t kLanguageCount = sizeof kLanguages / sizeof kLanguages[0];

constexpr size_t identified_count() {
    size_t n = 0;
    for (const LanguageSpec &spec : kLanguages) n += spec.identified ? 1 : 0;
    return n;
}
// count_stopwords' int[3] is one count per identified language, in table order.
static_assert(identified_count() == 3, "count_stopwords counts three languages");

// The row for a code; nullptr for a code Presse does not know.
const LanguageSpec *find_language(const std::string &code) {
    for (const LanguageSpec &spec : kLanguages)
        if (code == spec.code) return &spec;
    return nullptr;
}

}  // namespace

const std::vector<std::string> &all_languages() {
    static const std::vector<std::string> languages = [] {
        std::vector<std::string> codes;
        for (const LanguageSpec &spec : kLanguages) codes.push_back(spec.code);
        return codes;
    }();
    return languages;
}

std::string stemmer_name(const std::string &code) {
    const LanguageSpec *spec = find_language(code);
    return spec ? spec->stemmer : "english";
}

std::string language_term_prefix(const std::string &code) {
    const LanguageSpec *spec = find_language(code);
    return spec ? spec->term_prefix : "";
}

namespace {

// A stop list as a sorted array, searched by halves. Xapian's SimpleStopper is a std::set:
// building the three lists' 560 nodes was 5% of a one-shot search's instructions (every query
// counts its stopwords in each language); these words fit in a std::string without an
// allocation.
class SortedStopper : public Xapian::Stopper {
  public:
    // Adds a stop list's words: as they are when they are ASCII (the lists are lowercase and
    // in byte order, stopwords.cpp), folded otherwise; each list's words join the others' as a
    // sorted run, merged in, so no list is sorted here (sorting was half of building one).
    void add(const StopList &list) {
        size_t start = words_.size();
        std::vector<std::string_view> folded;
        for (size_t i = 0; i < list.count; ++i) {
            std::string_view word = list.words[i];
            bool ascii = std::all_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
            if (ascii) words_.push_back(word);
            else folded.push_back(folded_.emplace_back(Xapian::Unicode::tolower(fold(word.data(), word.size()))));
        }
        // A list out of order still gives a right stopper, only more slowly.
        if (!std::is_sorted(words_.begin() + start, words_.end())) std::sort(words_.begin() + start, words_.end());
        std::sort(folded.begin(), folded.end());
        size_t middle = words_.size();
        words_.insert(words_.end(), folded.begin(), folded.end());
        std::inplace_merge(words_.begin() + start, words_.begin() + middle, words_.end());
        std::inplace_merge(words_.begin(), words_.begin() + start, words_.end());
    }
    void seal() { words_.erase(std::unique(words_.begin(), words_.end()), words_.end()); }
    bool operator()(const std::string &word) const override {
        return std::binary_search(words_.begin(), words_.end(), std::string_view(word));
    }

  private:
    std::vector<std::string_view> words_;  // into the stop lists' static text and folded_
    std::deque<std::string> folded_;       // a deque: the views into it stay valid
};

// A row's stop list as queries and text are seen: folded and lowercased. Built on first use (a
// one-shot search in one language needs one), then read-only, so shared by every handle and
// thread. (Never freed: it lives as long as the process.)
const Xapian::Stopper *stopper_at(size_t index) {
    static std::once_flag built[kLanguageCount];
    static const Xapian::Stopper *stoppers[kLanguageCount];
    std::call_once(built[index], [index] {
        auto *stopper = new SortedStopper();
        for (const StopList *list : kLanguages[index].stop_lists)
            if (list) stopper->add(*list);
        stopper->seal();
        stoppers[index] = stopper;
    });
    return stoppers[index];
}

}  // namespace

const Xapian::Stopper *stopper_for(const std::string &code) {
    const LanguageSpec *spec = find_language(code);
    return spec ? stopper_at(spec - kLanguages) : nullptr;
}

namespace {

// A query word's stopper for one language: the language's own stopwords, and another of the
// three languages' stopwords when this language's stemmer turns it into one of its own.
// Queries are parsed in every language (a German "uns" is also stemmed as French, to "un"),
// and stopwords are indexed for phrases, so without the second rule "Über uns" would match
// every French passage with "un", weighted as a rare word in a mostly English index.
class QueryStopper : public Xapian::Stopper {
  public:
    explicit QueryStopper(const LanguageSpec &spec) : spec_(spec), own_(stopper_for(spec.code)) {
        for (const LanguageSpec &other : kLanguages)
            if (&other != &spec && *other.snowball) others_.push_back(stopper_for(other.code));
    }

    bool operator()(const std::string &word) const override {
        if ((*own_)(word)) return true;
        bool foreign = false;
        for (const Xapian::Stopper *other : others_) foreign = foreign || (*other)(word);
        // Rare (only other languages' stopwords get here), so a stemmer of its own per call:
        // the stopper is shared by every thread, a Xapian::Stem may not be.
        return foreign && (*own_)(Xapian::Stem(spec_.snowball)(word));
    }

  private:
    const LanguageSpec &spec_;
    const Xapian::Stopper *own_;
    std::vector<const Xapian::Stopper *> others_;
};

}  // namespace

const Xapian::Stopper *query_stopper_for(const std::string &code) {
    const LanguageSpec *spec = find_language(code);
    if (!spec || spec->query_stopping == QueryStopping::kStopListOnly) return stopper_for(code);
    size_t index = spec - kLanguages;
    static std::once_flag built[kLanguageCount];
    static const QueryStopper *stoppers[kLanguageCount];
    std::call_once(built[index], [spec, index] { stoppers[index] = new QueryStopper(*spec); });
    return stoppers[index];
}

// How many different stopwords of each language a text uses, in table order (0 for a language
// that is not identified). Different words, not occurrences: a list of "Noto Sans ..." fonts
// repeats the French "sans" without being French.
static void count_stopwords_by_row(const char *text, size_t length, int counts[kLanguageCount]) {
    std::set<std::string> seen[kLanguageCount];
    each_word(fold(text, length), [&](const std::string &word) {
        std::string lower = Xapian::Unicode::tolower(word);
        for (size_t i = 0; i < kLanguageCount; ++i)
            if (kLanguages[i].identified && (*stopper_at(i))(lower)) seen[i].insert(lower);
        return true;
    });
    for (size_t i = 0; i < kLanguageCount; ++i) counts[i] = static_cast<int>(seen[i].size());
}

void count_stopwords(const char *text, size_t length, int counts[3]) {
    int by_row[kLanguageCount];
    count_stopwords_by_row(text, length, by_row);
    int n = 0;
    for (size_t i = 0; i < kLanguageCount; ++i)
        if (kLanguages[i].identified) counts[n++] = by_row[i];
}

}  // namespace cxapian

using cxapian::kLanguages;
using cxapian::kLanguageCount;

extern "C" size_t cx_language_count(void) { return kLanguageCount; }

extern "C" cx_language_info cx_language_at(size_t index) {
    if (index >= kLanguageCount) return cx_language_info{};
    const cxapian::LanguageSpec &spec = kLanguages[index];
    return cx_language_info{spec.code, spec.snowball, spec.identified ? 1 : 0};
}

extern "C" cx_cld2_verdict cx_cld2_identify(const char *text, size_t text_len) {
    cx_cld2_verdict verdict{"", {{"", 0}, {"", 0}, {"", 0}}, 0};
    try {
        if (!text || text_len == 0) return verdict;
        CLD2::Language top3[3];
        int percent3[3];
        int text_bytes = 0;
        bool reliable = false;
        // The extended call returns UNKNOWN_LANGUAGE for short, indeterminate text where the
        // simple ones answer ENGLISH.
        CLD2::Language language = CLD2::ExtDetectLanguageSummary(
            text, static_cast<int>(std::min<size_t>(text_len, 1 << 30)), true, top3, percent3,
            &text_bytes, &reliable);
        auto code = [](CLD2::Language l) { return l == CLD2::UNKNOWN_LANGUAGE ? "" : CLD2::LanguageCode(l); };
        verdict.language = code(language);
        for (int i = 0; i < 3; ++i) verdict.top[i] = cx_cld2_share{code(top3[i]), percent3[i]};
        verdict.reliable = reliable ? 1 : 0;
    } catch (...) {
        // CLD2 does not throw, but nothing may cross into Swift: no verdict is safe.
        verdict = cx_cld2_verdict{"", {{"", 0}, {"", 0}, {"", 0}}, 0};
    }
    return verdict;
}

extern "C" void cx_count_stopwords(const char *text, size_t text_len, uint32_t *counts, size_t counts_len) {
    int by_row[kLanguageCount] = {};
    try {
        if (text && text_len) cxapian::count_stopwords_by_row(text, text_len, by_row);
    } catch (...) {
        // Out of memory at worst: no stopwords, so no vote.
        std::fill(by_row, by_row + kLanguageCount, 0);
    }
    for (size_t i = 0; counts && i < counts_len; ++i)
        counts[i] = i < kLanguageCount ? static_cast<uint32_t>(by_row[i]) : 0;
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
