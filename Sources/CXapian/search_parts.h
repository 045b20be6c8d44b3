// The parts a search is made of, each in a file of its own: the query (query.cpp), its
// weights (weighting.cpp), the passage that answers inside each release (passages.cpp) and
// the highlights (highlight.cpp). search.cpp puts them together behind cx_search.
#pragma once

#include <xapian.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "schema.h"

namespace cxapian {

// ---- query.cpp

// A query as run: one branch per language, OR-ed.
struct BuiltQuery {
    Xapian::Query query;
    // The stems a wildcard expands over, as index terms without the rest ("Zpartner" for
    // `partner*`), since Xapian expands wildcards only inside the match.
    std::vector<std::string> wildcard_stems;
    bool fell_back = false;  // the QueryParser rejected the syntax: the words were searched
    std::vector<std::string> languages;  // the languages a branch was built for
    // Query translation (translate.h): the index terms a translation added, with the query
    // words each translates, and the languages the query was taken to be written in.
    std::unordered_map<std::string, std::string> translated;
    std::vector<std::string> translated_from;
    // What the branches of the languages the query is not written in weigh beside its own
    // language's (kOtherLanguagesWeight when that is searched too, else 1).
    double other_languages_weight = 1.0;
    // Each query word's stem in each language searched ("Ffiltr", "filter", "Dfilt"), with
    // that word: with `translated`, which terms of a release are the same word of the query
    // in different languages (PassageScorer::repeated).
    std::unordered_map<std::string, std::string> words_of_terms;
};

class Lexicon;

// The languages of a request's comma-separated list (all of them for NULL or empty); throws
// Xapian::InvalidArgumentError for an unknown code.
std::vector<std::string> requested_languages(const char *csv);

// The query text as the parser gets it: folded as the index's text, words lowercased (German
// nouns are capitalised, and the QueryParser leaves capitalised words unstemmed), operators
// kept as typed.
std::string prepare_query_text(const char *query, size_t length);
// True when `before` (a query up to a word opening with a hyphen) ends in "und", "oder",
// "bzw." or "sowie": the hyphen joins the word to a compound ("Bauabhängigkeiten und
// -konflikte"), it does not exclude it.
bool joins_a_compound(const std::string &before);

// `text` parsed in each of `languages` against their term spaces and OR-ed. `for_highlights`:
// the form MSet::snippet can highlight (no language prefixes, phrases as typed, wildcards over
// plain words); such a query is only handed to the snippet generator, never run.
// `lexicon`: also translated into the languages the query is not written in (`from`, or
// detected when ""), as branches of their own (translate.h); `typed` is the query as typed,
// whose accents tell a word's language and whose capitals an acronym.
BuiltQuery build_query(const Xapian::Database &db, const std::string &text,
                       const std::vector<std::string> &languages, bool for_highlights = false,
                       const Lexicon *lexicon = nullptr, const std::string &from = "", const std::string &typed = "");

// The words of `text` alone, without operators, quotes and brackets: what is searched when the
// syntax cannot be read, or reads as an unclosed phrase that finds nothing.
std::string words_only(const std::string &text);
// True when quotes or brackets do not pair up.
bool unbalanced(const std::string &text);

// How many terms a wildcard expands to at most (the most frequent), and the query the
// QueryParser builds for a wildcard's pattern (an index term's start: "Zpartner").
constexpr Xapian::termcount kWildcardExpansion = 200;
Xapian::Query wildcard_query(const std::string &pattern);

// ---- title_words.cpp

// `query` with each title word's term ("ZStokyo", `title:tokyo`) also matching its passage
// word where that stands in a title opening its release's first passage (schema.h):
// phrases of title words become phrases of passage words there, and each title wildcard
// (`title_wildcards`: their patterns, "ZSosak") also expands over the passage words.
// Registers TitleWordSource, which titles_by_position puts in queries, so a shard's server
// (shards.cpp) can rebuild it from the query it receives.
void register_title_word_source(Xapian::Registry &registry);

Xapian::Query titles_by_position(const Xapian::Database &db, const Xapian::Query &query,
                                 const std::vector<std::string> &title_wildcards);

// True when the query has a phrase (typed in quotes, or words joined by hyphens) or a
// wildcard: the parts MSet::snippet cannot highlight in a stems-only query.
bool has_phrase_or_wildcard(const Xapian::Query &query);
// The text without its phrases: quotes, and hyphens between letters, dropped.
std::string without_phrases(const std::string &text);

// ---- weighting.cpp

// While one lives on a thread, term_frequency() asks `db` for each term's frequency once: a
// search asks for a word's frequency in every language several times over (each branch's
// weights, the passages' weights), and each is a lookup in the index. Made inside the attempt
// it serves; `kept`, when given, holds the frequencies from search to search (a reader's, which
// drops them when it reopens: cx_database::term_frequencies), else they last one search.
class TermFrequencyMemo {
  public:
    TermFrequencyMemo(const Xapian::Database &db, std::unordered_map<std::string, Xapian::doccount> *kept);
    ~TermFrequencyMemo();
    TermFrequencyMemo(const TermFrequencyMemo &) = delete;
    TermFrequencyMemo &operator=(const TermFrequencyMemo &) = delete;

    // A frequency read ahead (for remote shards, many at once: search.cpp).
    void remember(const std::string &term, Xapian::doccount frequency) { frequencies_[term] = frequency; }

  private:
    friend Xapian::doccount term_frequency(const Xapian::Database &db, const std::string &term);
    // Kept frequencies are forgotten past this many terms.
    static constexpr size_t kLimit = 100000;
    const Xapian::Database &db_;
    TermFrequencyMemo *outer_;
    std::unordered_map<std::string, Xapian::doccount> own_;
    std::unordered_map<std::string, Xapian::doccount> &frequencies_;
};

// The number of documents holding `term`, from the thread's TermFrequencyMemo for `db` if there is one.
Xapian::doccount term_frequency(const Xapian::Database &db, const std::string &term);

// The terms whose frequencies building `text`'s query asks first: each language's term, and
// each word's stem by each language's stemmer in every language's term space (what
// shared_frequency adds up).
std::vector<std::string> terms_a_query_weighs(const std::string &text);

// BM25's weight for a term held by `termfreq` of `documents` documents, as Xapian's
// BM25Weight computes it (without relevance feedback).
double bm25_idf(double documents, double termfreq);
// Releases holding `stem` in any language's term space.
Xapian::doccount shared_frequency(const Xapian::Database &db, const std::string &stem);
// A passage word's BM25 idf from its stem's frequency in every language (see shared_rarity).
double shared_idf(const Xapian::Database &db, const std::string &term);

// `query` with each stem weighted by its rarity across all languages (see shared_rarity).
Xapian::Query with_shared_rarity(const Xapian::Database &db, const Xapian::Query &query,
                                 const std::string &language_prefix);

// ---- passages.cpp

// What a release's passages say for a query.
// A release's opening (its title, lead and the paragraph after) states what it is about, as
// a press release's inverted pyramid does and a manual page's synopsis and description's first
// lines: evidence there counts fully in the release's ranking, evidence further on
// kLaterPassageShare of it (the passage shown is still the one that answers best). Measured
// (2026-12-02) on the known-item sets, the answer's language named: the man-page and Debian
// Reference relevance set .628/.553/.510 -> .678/.593/.555 (en/fr/de), cross-language man
// pages English -> French .434 -> .498, -> German .441 -> .499; the package descriptions
// (one to three passages each) within .004. Other shapes: an opening of one passage (share
// 2/3) .647/.562/.519, of two .648/.582/.533; a share of 2/3 over three passages
// .667/.596/.542; a half over five .676/.578/.557.
constexpr size_t kLeadPassages = 3;
constexpr double kLaterPassageShare = 0.5;
// What passage `index`'s evidence counts for in its release's ranking (kLeadPassages). The
// release's opening, whatever the language: counted in each language's passages apart (a
// release in French and then in English opening twice), the English code and options that
// French man pages interleave counted as an English opening, and French monolingual fell by
// .01 (language named) and .02 (none named).
inline double passage_prior(size_t index) { return index < kLeadPassages ? 1.0 : kLaterPassageShare; }

struct PassageEvidence {
    size_t best = 0;                 // the passage that answers best (the first if none matches)
    double best_score = 0;           // what the release's passages give its ranking: the most
                                     // one gives, in the opening or further on (passage_prior)
    double shown_score = 0;          // what `best` gives it (at most best_score)
    std::vector<double> scores;      // every passage's (0: it holds no query word)
    size_t matching = 0;             // passages holding a query word
};

// Scores each passage of a matching release by the query words at its positions (BM25's
// shape, each word weighted as the match weighed it), for the documents of one match.
class PassageScorer {
  public:
    PassageScorer(const Xapian::Database &db, const Xapian::MSet &mset, const BuiltQuery &query);
    // `mean_length`: the mean passage length (in positions) the passages' lengths are judged
    // against (search.cpp: the matching releases'); `title_words`: the passage table's count of
    // the positions a title opening the first passage takes (0: none does).
    PassageEvidence evidence(Xapian::docid did, const std::vector<schema::StoredPassage> &passages,
                             double mean_length, uint32_t title_words) const;
    // Finds which query words each of these releases holds, and how often, by walking each
    // word's posting list forward once (one B-tree cursor a word): Xapian 1.4 opens a new
    // cursor for every position list, two block reads each, and a third of those were for
    // words the release does not hold. For one index or local shards.
    void find_words(std::vector<Xapian::docid> releases);
    // How much of the match's weight for this release comes from the same query word found
    // again in another language (its counts from find_words, or over remote shards from the
    // positions read ahead): a French release quoting English code matched a French query's
    // word in French and its translation in English, twice the evidence for one word. Each
    // word counts in its best language only; this is the rest, estimated as BM25 weighs the
    // release (`k1`, `b`, its length against the mean).
    double repeated(Xapian::docid did, double k1, double b) const;
    // The most evidence() can give this release (found by find_words): each word held counted
    // as if all its occurrences stood in the release's shortest passage. Infinite when unknown.
    double bound(Xapian::docid did, const std::vector<schema::StoredPassage> &passages, double mean_length) const;
    // Over remote shards (which send posting lists whole): reads ahead every position list
    // evidence() needs of these releases at once (lookups.h, read_remote_positions: a message
    // to each shard, not one per word and release); those it cannot are read one by one.
    using Positions = std::map<std::string, std::map<Xapian::docid, std::vector<Xapian::termpos>>>;
    using BulkReader = std::function<void(const std::vector<std::pair<Xapian::docid, std::string>> &wanted, Positions &read)>;
    void prefetch_remote_positions(std::vector<std::pair<Xapian::docid, const std::vector<schema::StoredPassage> *>> releases,
                                   const BulkReader &remote);

  private:
    struct Word {
        std::string term;
        double weight;
        std::string lang;  // a word of this language is only looked for in its passages
        std::string source;  // the query word it stands for ("" unknown)
    };
    // A phrase or NEAR: its words count only where they stand together.
    struct Phrase {
        std::vector<Word> words;
        Xapian::termcount window;
        bool ordered;
    };
    double weight_of(const std::string &term) const;
    void collect(const Xapian::Query &query);
    // Every word looked for, a phrase's included, once each, in term order.
    std::vector<const Word *> every_word() const;
    // How often the release holds the word (0: not at all), or -1 when find_words did not look.
    long held(Xapian::docid did, const std::string &term) const;
    // As held(), else (over remote shards) as many as its positions read ahead (0: none).
    long times(Xapian::docid did, const std::string &term) const;
    std::vector<Xapian::termpos> positions_of(Xapian::docid did, const std::string &term) const;
    // The word's positions in the release as prefetch_remote_positions read them, or null.
    const std::vector<Xapian::termpos> *read_ahead(Xapian::docid did, const std::string &term) const;
    const Xapian::Database &db_;
    const std::unordered_map<std::string, std::string> &translated_;
    const std::unordered_map<std::string, std::string> &words_of_terms_;
    const std::vector<std::string> &translated_from_;
    const double other_languages_weight_;
    std::vector<Word> words_;
    std::vector<Phrase> phrases_;
    std::vector<std::string> wildcard_stems_;
    const Xapian::MSet &mset_;
    std::unordered_map<std::string, std::unordered_map<Xapian::docid, Xapian::termcount>> held_;  // by find_words
    Positions read_;  // by prefetch_remote_positions
};

// ---- highlight.cpp

// Highlights for the hits of one match, as byte ranges of the original passage text.
class Highlighter {
  public:
    Highlighter(const Xapian::Database &db, const Xapian::MSet &mset, const Xapian::Query &query,
                const std::string &query_text);
    ~Highlighter();
    std::vector<uint32_t> ranges(const std::string &text, const std::string &lang);

  private:
    struct Cache;
    const Xapian::MSet &snippet_mset(bool loose, const std::string &lang);
    const Xapian::Stem &stemmer_of(const std::string &lang, const Xapian::Query &query);
    const Xapian::Database &db_;
    const std::string &query_text_;
    bool rewritten_;
    std::unique_ptr<Cache> cache_;
};

}  // namespace cxapian
