// Per-language analysis (Lucene's one-place-per-language habit): Snowball stemmer names and
// folded stop lists for English, French and German, and CLD2's language identification.
#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <map>

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

const Xapian::Stopper *stopper_for(const std::string &code) {
    // Each list is built on first use (a one-shot search in one language needs one), then
    // read-only, so shared by every handle and thread.
    // (Never freed: they live as long as the process.)
    auto build = [](const char *code) {
        auto *stopper = new Xapian::SimpleStopper();
        size_t count = 0;
        const char *const *words = stopword_list(code, &count);
        for (size_t i = 0; i < count; ++i) {
            std::string word = fold(words[i], std::strlen(words[i]));
            stopper->add(Xapian::Unicode::tolower(word));
        }
        return stopper;
    };
    if (code == "en") { static const Xapian::SimpleStopper *english = build("en"); return english; }
    if (code == "fr") { static const Xapian::SimpleStopper *french = build("fr"); return french; }
    if (code == "de") { static const Xapian::SimpleStopper *german = build("de"); return german; }
    return nullptr;
}

}  // namespace cxapian

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
        const char *code = "";
        if (language == CLD2::ENGLISH) code = "en";
        else if (language == CLD2::FRENCH) code = "fr";
        else if (language == CLD2::GERMAN) code = "de";
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
        std::string name = cxapian::snowball_name(lang);
        std::string folded = Xapian::Unicode::tolower(cxapian::fold(word, word_len));
        std::string stem = name.empty() ? folded : Xapian::Stem(name)(folded);
        cxapian::copy_out(stem, out);
        return CX_OK;
    } catch (...) {
        return cxapian::translate_exception(error);
    }
}
