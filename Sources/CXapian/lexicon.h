// The translation lexicon (issue 13): English, French and German words and phrases with their
// translations, compiled once from Debian's FreeDict dictionaries (lexicon.cpp) into one sorted
// text file that a search maps into memory and binary-searches, without parsing anything.
#pragma once

#include <string>
#include <vector>

namespace cxapian {

// What a word or phrase of one language becomes in another: translations from the direct
// dictionaries first, best first, and, for English <-> French only, those found through German
// (EN->DE->FR), which weigh less (translate.cpp); and, for single words, those learnt from the
// system's message catalogs (catalogs.h), the senses software gives them ("string" ->
// "chaîne"), most probable first.
struct Translations {
    std::vector<std::string> direct;
    std::vector<std::string> pivoted;
    std::vector<std::string> learnt;
    // None at all: the word stays as it is (a name, a product, a number).
    bool empty() const { return direct.empty() && pivoted.empty() && learnt.empty(); }
};

// A compiled lexicon, mapped read-only. Shared by every thread and never freed (one per path
// per process, see open).
class Lexicon {
  public:
    // The lexicon at `path`, mapped once per process; throws Xapian::DatabaseOpeningError when
    // it is missing or not a lexicon of this version.
    static const Lexicon &open(const std::string &path);

    // The translations of `phrase` (folded, lowercased words separated by one space) from
    // `from` into `to` ("en", "fr", "de"). `stemmed`: `phrase` is the source stemmer's stems,
    // for a word the dictionaries hold in another form ("partnerships"). False when absent.
    bool lookup(const std::string &from, const std::string &to, const std::string &phrase, bool stemmed,
                Translations *out) const;

    // True when `phrase` is a headword of `from`'s dictionaries (into any language); what the
    // catalogs taught alone does not count (their vocabulary is every word of every message).
    bool knows(const std::string &from, const std::string &phrase) const;

    // True when some phrase of more words starts with `words` (as typed, or as stems): a query
    // looks up its longer phrases only then.
    bool any_phrase_after(const std::string &from, const std::string &to, const std::string &words, bool stemmed) const;

  private:
    Lexicon(const char *data, size_t size) : data_(data), size_(size) {}
    // The line whose key is `key`, as [start, end) without its key; false when absent.
    bool find(const std::string &key, const char **start, const char **end) const;
    // The first line whose key is not below `key` (the end when none).
    const char *first_line_not_below(const std::string &key) const;
    const char *data_;
    size_t size_;
};

// What building a lexicon did.
struct LexiconSummary {
    size_t entries = 0;   // lines written (headwords and stemmed keys, every direction)
    size_t bytes = 0;     // the file's size
    size_t dictionaries = 0;
    size_t catalogs = 0;  // message catalogs learnt from (catalogs.h)
    size_t pairs = 0;     // their message pairs
};

// Parses the six FreeDict dictionaries under `dictionary_dir`, learns from the message
// catalogs under `catalog_dir` (catalogs.h; none is no error) and writes the compiled lexicon
// to `path` (through a temporary file renamed into place, so a reader never sees half of it).
// Throws Xapian::DatabaseOpeningError naming the first dictionary missing.
LexiconSummary build_lexicon(const std::string &dictionary_dir, const std::string &catalog_dir, const std::string &path);

// The version written into a lexicon's first line; a file of another is rebuilt.
constexpr const char *kLexiconMagic = "presse-lexicon 3";

// The most translations kept per word and direction (direct and pivoted together), and of
// those through German: a word with a dozen senses ("company": Begleitung, Ensemble, Firma…)
// would otherwise drown its one meant here in the others' matches.
constexpr size_t kMaxTranslations = 12;
constexpr size_t kMaxPivoted = 4;

}  // namespace cxapian
