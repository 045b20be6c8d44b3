// Shared by the bridge's C++ files only: the handle types, the exception translator and the
// index schema. Nothing here is visible to Swift.
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

#include "cxapian.h"

namespace cxapian {

// The index schema: one Xapian document per passage.
constexpr const char *kReleasePrefix = "XR";  // boolean: the release a passage belongs to
constexpr const char *kLanguagePrefix = "L";  // boolean: the passage's language
constexpr const char *kTitlePrefix = "S";     // the release title (Xapian's usual prefix)
constexpr const char *kFirstPassageTerm = "XF";  // on each release's first passage
constexpr Xapian::valueno kReleaseSlot = 0;   // collapse key: best passage per release
// Document data: lang US info US passage-text (US = \x1f). What a hit shows is read in one
// docdata lookup: a value slot each would cost a value-stream lookup each, which made up a
// quarter of a batch of queries' time. (The release key comes with a collapsed hit.)
constexpr char kDataSeparator = '\x1f';

// The schema a database was written in, as metadata: queries are parsed to match how text
// was indexed, so a database of another schema would silently find nothing. 3: undetermined
// passages stemmed in English (stemmer_name), each language's terms under a prefix of its
// own (language_term_prefix); 2: stemmed terms only (STEM_ALL_Z),
// stopwords indexed, hit fields in the document data; 1 (no key): STEM_SOME, stopwords
// unstemmed, hit fields in value slots.
constexpr const char *kSchemaKey = "presse_schema";
constexpr const char *kSchemaVersion = "3";

// Throws Xapian::DatabaseVersionError for a non-empty database of another schema.
void check_schema(const Xapian::Database &db);

// Every answer below reads the language table in language.cpp (one row per language: code,
// Snowball name, stemmer, term prefix, stop list, query stopper), which Swift reads too
// (cx_language_at). The decisions of language identification are Swift's (LanguageRules).

// The languages the engine knows, in the order queries are built; "und" (undetermined) last.
const std::vector<std::string> &all_languages();

// Xapian's Snowball name for a code ("en" → "english"); "" for "und" and anything else.
std::string snowball_name(const std::string &code);

// The Snowball stemmer a passage's text is indexed and searched with: its language's, and
// English's for "und" (text in none of the three, or too short to tell). Undetermined
// passages thus share the index's terms and their weights; unstemmed, their words made a
// term space of their own in which every word was rare, so weighed most, and an
// undetermined passage came first for any word it held ("plugin", "html").
std::string stemmer_name(const std::string &code);

// The prefix a language's words are indexed under, inside Xapian's "Z" of stems: "F" for
// French ("ZFpartenariat"), "D" for German, "U" for undetermined text, none for English.
// Each language thus has a term space of its own, so a query's French branch matches French
// passages with no language filter to walk: walking the language terms' long posting lists
// was a third of a search's work. Weights must still come from a word's rarity across the
// whole index, not within its language: see shared_rarity in search.cpp.
std::string language_term_prefix(const std::string &code);

// The stop list for a code, folded as the text is ("und": all three lists); nullptr for an
// unknown code.
const Xapian::Stopper *stopper_for(const std::string &code);

// How many different English, French and German stopwords (the identified languages, in table
// order) a text uses.
void count_stopwords(const char *text, size_t length, int counts[3]);

// What a query drops in a language: its stop list, plus other languages' stopwords that
// stem to one of its stopwords (see QueryStopper in language.cpp); stopper_for's for "und".
const Xapian::Stopper *query_stopper_for(const std::string &code);

// Folds accents and splits French elisions; map[i] is the byte offset in `text` of byte i of
// the result (map has one more entry, for the end).
std::string fold(const char *text, size_t length, std::vector<uint32_t> *map = nullptr);

// Calls visit(word) for each run of word characters in UTF-8 `text`, as Xapian's
// TermGenerator and QueryParser split words; stops early when visit returns false.
template <typename Visit>
void each_word(const std::string &text, Visit visit) {
    std::string word;
    for (Xapian::Utf8Iterator it(text);; ++it) {
        bool end = it == Xapian::Utf8Iterator();
        if (!end && Xapian::Unicode::is_wordchar(*it)) {
            Xapian::Unicode::append_utf8(word, *it);
            continue;
        }
        if (!word.empty() && !visit(word)) return;
        word.clear();
        if (end) return;
    }
}

// Copies bytes into a malloc'd, NUL-terminated cx_bytes the caller frees; throws bad_alloc.
void copy_out(const std::string &bytes, cx_bytes *out);

// The one exception translator: call it inside a catch block. Fills `error` and returns the
// status for whatever is in flight.
cx_status translate_exception(cx_error *error) noexcept;

// For the argument checks that are not exceptions.
cx_status fail(cx_error *error, cx_status status, const std::string &message) noexcept;

}  // namespace cxapian

struct cx_database {
    // A reader or a writer; `database` always points at the open one.
    std::unique_ptr<Xapian::WritableDatabase> writer;
    std::unique_ptr<Xapian::Database> reader;
    Xapian::Database *database = nullptr;
    // One TermGenerator per language, built once per writer (they hold stemmer and stopper).
    std::vector<std::pair<std::string, Xapian::TermGenerator>> generators;
};
