// German compound splitting (Koehn & Knight 2003, with a word list): "firmengrundung" →
// "firmen" "grundung", so that a German query for a compound's part finds the compound.
// Self-contained: the index and the query builder call parts() on folded words and stem the
// parts themselves. Visible to the bridge's C++ files only.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cxapian {

// How strictly words the lexicon already holds are split (measured in compounds.cpp's
// header comment; kDefault is the one with the fewest junk splits that still splits
// "Kooperationsvertrag" and "Lebensmittelindustrie", which the list holds whole).
enum class KnownWordRule {
    kNeverSplit,        // a word in the lexicon is never split
    kLongParts,         // ... unless every part has 5 letters or more
    kLongNounParts,     // ... unless every part has 5 letters or more and the first is a noun
    kLongPartsOfNouns,  // ... unless the word is a noun and every part has 5 letters or more
    kDefault = kLongPartsOfNouns
};

class CompoundSplitter {
public:
    // Debian's German word list (package wngerman): 356,000 inflected forms, nouns capitalised.
    static constexpr const char *kWordList = "/usr/share/dict/ngerman";

    // The process's splitter, opened on first call from kWordList with the compiled lexicon
    // cached at shared_cache_path(). Never null; with no word list it splits nothing. Safe to
    // call and use from any number of threads (it is immutable once built).
    static const CompoundSplitter *shared() noexcept;

    // Where shared() keeps the compiled lexicon: set_shared_cache_path()'s path if it was
    // called before the first shared(), else $PRESSE_CACHE_DIR/, $XDG_CACHE_HOME/presse/ or
    // $HOME/.cache/presse/ + "ngerman.lexicon"; "" (compile in memory each process) if none.
    static std::string shared_cache_path();
    static void set_shared_cache_path(const std::string &path);

    // A splitter over `word_list` (UTF-8, one word a line). Its compiled form is read from
    // `cache_path` when that was compiled from this very file (size and modification time),
    // else compiled and written there atomically (temporary file + rename); an unwritable or
    // empty cache path only costs the compile (~0.5 s). A missing or unreadable word list
    // gives a splitter that splits nothing. Never throws.
    static std::unique_ptr<CompoundSplitter> open(const std::string &word_list,
                                                  const std::string &cache_path,
                                                  KnownWordRule rule = KnownWordRule::kDefault) noexcept;

    ~CompoundSplitter();
    CompoundSplitter(const CompoundSplitter &) = delete;
    CompoundSplitter &operator=(const CompoundSplitter &) = delete;

    // The parts of a folded, lowercased word ("forschungseinrichtungen" → "forschung"
    // "einrichtungen"), without linking elements, as folded words for the caller to stem;
    // empty when the word is no compound (or not ASCII letters after folding, or shorter
    // than 8 letters). Throws only std::bad_alloc.
    std::vector<std::string> parts(const std::string &folded_word) const;

    // Whether the lexicon holds the folded word (any case), and whether as a noun.
    bool contains(const std::string &folded_word) const;
    bool is_noun(const std::string &folded_word) const;

    size_t word_count() const { return count_; }
    bool loaded_from_cache() const { return from_cache_; }

private:
    CompoundSplitter() = default;
    // The index of a word in the sorted lexicon, or -1.
    long find(const char *word, size_t length) const;
    // Whether some word of the lexicon starts with these letters (3 or more, a-z).
    bool is_prefix(const char *letters, size_t length) const;
    // Entry i of the lexicon, and the first entry of `bucket` not below `key`.
    std::string_view entry(size_t i) const;
    size_t first_not_below(std::string_view key, size_t bucket) const;
    int flags_of(const char *word, size_t length) const;  // -1: absent
    bool usable_first(const std::string &word, size_t start, size_t length) const;
    bool usable_head(const std::string &word, size_t start, size_t length) const;
    bool is_known(const std::string &word) const;
    bool split_rest(const std::string &word, size_t start, int parts_left,
                    std::vector<std::pair<size_t, size_t>> *best, double *best_score,
                    std::vector<std::pair<size_t, size_t>> *current, bool known) const;

    // The compiled lexicon (see compounds.cpp): mapped from the cache file, or owned.
    const unsigned char *image_ = nullptr;
    size_t image_size_ = 0;
    void *mapping_ = nullptr;
    std::string owned_;
    const uint32_t *buckets_ = nullptr;
    const uint32_t *offsets_ = nullptr;
    const unsigned char *entries_ = nullptr;
    size_t count_ = 0;
    bool from_cache_ = false;
    KnownWordRule rule_ = KnownWordRule::kDefault;
};

// The two calls that wire the splitter in (see Benchmarks/compounds/README.md, "Wiring").
// `term_prefix` is the full prefix of the language's stems ("ZD"), `stemmer` German's.

// Words already split, with their part terms: a writer keeps one across passages, since the
// same words recur (29,882 distinct long words in 262,752 long German words of the corpus).
using CompoundMemo = std::unordered_map<std::string, std::vector<std::string>>;

// Index time, for a German passage: adds each part term of each compound in `folded_text`
// (the passage as the index folds it) once, with wdf 1 and no positions, so phrases and
// highlights are unchanged and the compound's own stem stays the stronger evidence.
// `position` non-zero: each part term gets that one position (Presse gives the passage's
// first), so a part names the passage it is in (passages.cpp) without making phrases.
void add_compound_parts(Xapian::Document &document, const std::string &folded_text,
                        const Xapian::Stem &stemmer, const std::string &term_prefix,
                        CompoundMemo *memo = nullptr, Xapian::termpos position = 0);

// Query time: for each compound among the words of `folded_words` (a German query's plain
// words, folded), AND(its part terms) scaled by `part_scale`, all ORed together; an empty
// Query when no word splits. The caller ORs it with the parsed query, so a compound
// query word counts as OR(compound, part_scale * AND(parts)): releases that write the parts
// apart ("Biotechnologie-Unternehmen") are found, below those that hold the compound.
Xapian::Query compound_parts_query(const std::string &folded_words, const Xapian::Stem &stemmer,
                                   const std::string &term_prefix, double part_scale = 0.5);

}  // namespace cxapian
