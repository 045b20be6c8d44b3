// What a search asks of an index beside its match: the synonyms of the query's words
// (synonyms.cpp) and what "did you mean" needs of the spelling table (spelling.cpp).
//
// One index, or local shards, answer from their own tables. A remote shard's tables are out of
// reach of Xapian 1.4's remote protocol (it answers spelling and synonym lookups with nothing),
// so the question travels to each `presse shard-serve` as the parameters of a match spy
// (LookupSpy) on a match of nothing, and each shard's answer, from its own tables at its
// latest commit, comes back as the spy's results: one round trip to every shard at once. The
// searching side adds the answers up (a word's releases are the sum of each shard's).
#pragma once

#include <xapian.h>

#include <map>
#include <set>
#include <string>
#include <vector>

struct cx_database;

namespace cxapian {

struct LookupQuestion {
    // Words whose synonyms are wanted, as the synonym table keys them.
    std::vector<std::string> synonyms_of;
    // Folded, lowercased words (a-z) that "did you mean" checks, in `languages`.
    std::vector<std::string> spelling_of;
    std::vector<std::string> languages;
    // Spelling keys (a word in its language's alphabet: spelling.cpp) whose releases are
    // wanted: the second question of "did you mean" over shards, about the words the first
    // answer offered.
    std::vector<std::string> releases_of;
    // The positions of terms in releases: shard (its UUID) → document number in that shard →
    // terms. Each shard answers for its own UUID only.
    std::map<std::string, std::map<Xapian::docid, std::vector<std::string>>> positions_of;
    // Terms whose frequencies are wanted (a remote search reads those it will weigh at once).
    std::vector<std::string> frequencies_of;

    bool empty() const { return synonyms_of.empty() && spelling_of.empty() && releases_of.empty() && positions_of.empty() &&
               frequencies_of.empty(); }
    std::string serialise() const;
    static LookupQuestion unserialise(const std::string &bytes);
};

struct LookupAnswer {
    // word → its synonyms (the union over the shards)
    std::map<std::string, std::set<std::string>> synonyms;
    // The words of spelling_of that an index knows: its stem is in a searched language's term
    // space, or the word is in that language's spelling table.
    std::set<std::string> known;
    // word → language → the closest word of that language's spelling table (each shard's
    // own) → the releases holding it (summed over the shards that offer it).
    std::map<std::string, std::map<std::string, std::map<std::string, Xapian::doccount>>> closest;
    // spelling key → the releases holding it, counted as one index would (in a shard, a word
    // of one release waits outside the spelling table: it counts here).
    std::map<std::string, Xapian::doccount> releases;
    // shard UUID → document number → term → its positions
    std::map<std::string, std::map<Xapian::docid, std::map<std::string, std::vector<Xapian::termpos>>>> positions;
    // term → the releases holding it (summed over the shards)
    std::map<std::string, Xapian::doccount> frequencies;

    void merge(const LookupAnswer &other);
    std::string serialise() const;
    static LookupAnswer unserialise(const std::string &bytes);
};

// The answer of one database (one index, a local shard, a combination of local shards).
LookupAnswer answer_locally(const Xapian::Database &db, const LookupQuestion &question);

// The answer of every live shard of `handle` (its database alone for one index). Throws
// Xapian::NetworkError when a remote shard fails (losing_shards retries without it).
LookupAnswer look_up(cx_database *handle, const LookupQuestion &question);

// The positions of `wanted` (document numbers of the combined database, terms) held by live
// remote shards, read in one message to each (a LookupQuestion's positions_of), into `read`
// (term → document → positions); the others are left for the caller to read. Nothing is read
// when two live remote shards share a UUID (copies of one index), which would be ambiguous.
void read_remote_positions(cx_database *handle, const std::vector<std::pair<Xapian::docid, std::string>> &wanted,
                           std::map<std::string, std::map<Xapian::docid, std::vector<Xapian::termpos>>> &read);

// For a shard's server (shards.cpp): answers LookupSpy's questions from the index at `path`.
void register_lookups(Xapian::Registry &registry, const std::string &path);

// ---- the parts answer_locally puts together

// spelling.cpp: `known` and `closest` for question.spelling_of.
void answer_spelling(const Xapian::Database &db, const LookupQuestion &question, LookupAnswer &answer);
// synonyms.cpp: `synonyms` for question.synonyms_of.
void answer_synonyms(const Xapian::Database &db, const LookupQuestion &question, LookupAnswer &answer);

}  // namespace cxapian
