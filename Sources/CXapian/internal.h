// Shared by the bridge's C++ files only: the handle types, the language tools and the
// exception translator (the index schema: schema.h). Nothing here is visible to Swift.
#pragma once

#include <xapian.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "cxapian.h"
#include "release_data.h"

namespace cxapian {

struct SpellingCounts;  // spelling.cpp
struct FacetTable;      // asking.h

// Every answer below reads the language table in language.cpp (one row per language: code,
// Snowball name, stemmer, term prefix, stop list, query stopper), which Swift reads too
// (cx_language_at). The decisions of language identification are Swift's (LanguageRules).

// The languages the engine knows, in the order queries are built; "und" (undetermined) last.
const std::vector<std::string> &all_languages();

// The Snowball stemmer a passage's text is indexed and searched with: its language's, and
// English's for "und" (text in none of the three, or too short to tell). Undetermined words
// have a term space of their own ("ZU", language_term_prefix) but are stemmed and weighed as
// the index's (shared_rarity): unstemmed, each was rare, and an undetermined passage came
// first for any word it held ("plugin", "html").
std::string stemmer_name(const std::string &code);

// The prefix a language's words are indexed under, inside Xapian's "Z" of stems: "F" for
// French ("ZFpartenariat"), "D" for German, "U" for undetermined text, none for English.
// Each language thus has a term space of its own, so a query's French branch matches French
// passages with no language filter to walk: walking the language terms' long posting lists
// was a third of a search's work. Weights must still come from a word's rarity across the
// whole index, not within its language: see shared_rarity in weighting.cpp.
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

// True for the QueryParser's boolean operators as typed (upper case: AND, OR, NOT, XOR, NEAR,
// ADJ), which every rewriting of a query keeps as they are.
bool is_operator(const std::string &word);
// The words of `text`, lowercased, its operators (AND, OR, NOT... as typed) left out.
std::vector<std::string> lowercase_words(const std::string &text);

// Where a query's word stands, for a rewriting (rewrite_words) to keep what it must: `before`,
// the last byte written before it (' ' at the start: `-word`, `field:word`, `(word`);
// `after`, the character just after it (' ' at the end: `word*`, `field:`); `quoted`, inside
// a phrase's quotes.
struct WordPlace {
    char before;
    unsigned after;
    bool quoted;
};

// `text` with each run of word characters (as the QueryParser reads words) replaced by what
// visit(word, place, out) appends to `out`, the rewritten text so far; what lies between the
// words is copied as it is. The one way a query's words are rewritten (folding and casing,
// spelling suggestions, synonyms).
template <typename Visit>
std::string rewrite_words(const std::string &text, Visit visit) {
    std::string out;
    out.reserve(text.size());
    bool quoted = false;
    Xapian::Utf8Iterator it(text), end;
    while (it != end) {
        if (!Xapian::Unicode::is_wordchar(*it)) {
            if (*it == '"') quoted = !quoted;
            Xapian::Unicode::append_utf8(out, *it);
            ++it;
            continue;
        }
        WordPlace place{out.empty() ? ' ' : out.back(), ' ', quoted};
        std::string word;
        while (it != end && Xapian::Unicode::is_wordchar(*it)) {
            Xapian::Unicode::append_utf8(word, *it);
            ++it;
        }
        if (it != end) place.after = *it;
        visit(word, place, out);
    }
    return out;
}

// Calls visit(word) for each run of word characters in UTF-8 `text`, as Xapian's
// TermGenerator and QueryParser split words; stops early when visit returns false.
// ASCII bytes are classified here (word characters: letters, digits and "_", as Xapian's
// Unicode tables say), the rest through Xapian: most text is ASCII, and decoding every
// character was most of the time of a passage's walk.
template <typename Visit>
void each_word(const std::string &text, Visit visit) {
    std::string word;
    const char *const begin = text.data(), *const stop = begin + text.size();
    const char *at = begin;
    while (true) {
        bool end = at == stop;
        bool in_word = false;
        size_t length = 1;
        if (!end) {
            auto byte = static_cast<unsigned char>(*at);
            if (byte < 0x80) {
                in_word = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') || byte == '_';
                if (in_word) word.push_back(char(byte));
            } else {
                Xapian::Utf8Iterator it(at, size_t(stop - at));
                unsigned ch = *it;
                ++it;
                length = it == Xapian::Utf8Iterator() ? size_t(stop - at) : size_t(it.raw() - at);
                in_word = Xapian::Unicode::is_wordchar(ch);
                if (in_word) Xapian::Unicode::append_utf8(word, ch);
            }
        }
        if (in_word) { at += length; continue; }
        if (!word.empty() && !visit(word)) return;
        word.clear();
        if (end) return;
        at += length;
    }
}

// The one retry of the bridge. A reader meets Xapian's DatabaseModifiedError when a writer
// has committed twice while it read (the blocks it was reading are reused): `read` is run
// again, after `again()` (a reopen at the latest commit), for up to CX_SEARCH_RETRY_SECONDS,
// so no read fails because the index is being written. A writer commits in milliseconds, so
// a retry almost always succeeds at once; the bound is only for a pathological writer.
// The reuse can also meet one of Xapian's own checks of a block first ("Expected block 24 to
// be level 1, not 0"), a DatabaseCorruptError: it is retried the same way when `again()`
// (which returns true when it found a newer commit) shows the index moved; with no newer
// commit it is damage, and thrown.
template <typename Read, typename Again>
auto retrying_modified(Read read, Again again) -> decltype(read()) {
    using clock = std::chrono::steady_clock;
    auto deadline = clock::now() + std::chrono::seconds(CX_SEARCH_RETRY_SECONDS);
    for (;;) {
        try {
            return read();
        } catch (const Xapian::DatabaseModifiedError &) {
            if (clock::now() > deadline) throw;
            try {
                again();
            } catch (const Xapian::DatabaseModifiedError &) {
                // Changed again while reopening: the next try reopens once more.
            }
        } catch (const Xapian::DatabaseCorruptError &) {
            bool moved;
            try {
                moved = again();
            } catch (const Xapian::DatabaseModifiedError &) {
                moved = true;
            }
            if (!moved || clock::now() > deadline) throw;
        }
    }
}

// A file's whole content into `out`; false when it cannot be opened or read.
inline bool read_whole_file(const std::string &path, std::string *out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream content;
    content << in.rdbuf();
    *out = content.str();
    return !in.bad();
}

// Bytes from the bridge's pointer + length (NULL: none) as a string.
inline std::string bytes(const char *data, size_t length) {
    return data ? std::string(data, length) : std::string();
}

// Copies bytes into a malloc'd, NUL-terminated cx_bytes the caller frees; throws bad_alloc.
void copy_out(const std::string &bytes, cx_bytes *out);

// The one exception translator: call it inside a catch block. Fills `error` and returns the
// status for whatever is in flight.
cx_status translate_exception(cx_error *error) noexcept;

// CX_OK for a writer handle; otherwise fills `error` (CX_INVALID_ARGUMENT).
cx_status need_writer(cx_database *db, cx_error *error) noexcept;

// For the argument checks that are not exceptions.
cx_status fail(cx_error *error, cx_status status, const std::string &message) noexcept;

// The folder of the database an index's stub names (the index folder itself for a plain
// Xapian database, or when the stub names several): where its changeset files and the
// release data's dictionary file (release_data.h) are.
std::string live_folder(const std::string &index);

}  // namespace cxapian

namespace cxapian {

// One index of several searched as one (shards.cpp): a local index folder or a remote
// shard's server.
struct Shard {
    std::string name;  // as the user wrote it: the path, or "HOST:PORT"
    std::string path;  // local
    std::string host;  // remote
    unsigned port = 0;
    Xapian::Database database;  // open when `live`
    bool live = false;
};

// For several indexes searched as one: the shard a document of the combined database is
// in and its place among the live shards (Xapian interleaves their document IDs); the
// whole database for a single index.
std::pair<const Xapian::Database *, unsigned> shard_of(const cx_database *db, Xapian::docid did);

// True when some live shard is remote: the remote protocol has no value streams, no
// KeyMaker and no spelling or synonyms (search.cpp does without them).
bool has_remote_shard(const cx_database *db);

// After a network error in a search: reconnects each remote shard, leaves out those that do
// not answer (a warning each) and rebuilds the combined database. False when a shard is
// left out and every shard is required, or when no shard is left.
bool reconnect_shards(cx_database *db);

// Before a search in a process that lives on (presse serve, a batch): tries the remote
// shards left out again, at most every kShardRetrySeconds, and takes back those that answer,
// so a shard that comes back is used again without a restart.
void retry_left_out_shards(cx_database *db);

// Runs `read` (a search, a suggestion) and, when a remote shard fails it, once more with the
// shards that still answer (reconnect_shards): a shard that goes down between two messages
// costs a warning, not the answer.
template <typename Read>
auto losing_shards(cx_database *db, Read read) -> decltype(read()) {
    retry_left_out_shards(db);
    try {
        return read();
    } catch (const Xapian::NetworkError &) {
        if (!reconnect_shards(db)) throw;
        return read();
    }
}

}  // namespace cxapian

struct cx_database {
    // Several indexes searched as one (empty for one index): every shard named, live or not;
    // `reader` combines the live ones, in this order.
    std::vector<cxapian::Shard> shards;
    bool require_all_shards = false;
    unsigned shard_timeout_ms = 0;
    // When retry_left_out_shards may next try the shards left out.
    std::chrono::steady_clock::time_point next_shard_retry{};
    // Shards left out since the caller last read them (cx_database_take_warnings).
    std::string warnings;
    // A reader or a writer; `database` always points at the open one.
    std::unique_ptr<Xapian::WritableDatabase> writer;
    std::unique_ptr<Xapian::Database> reader;
    Xapian::Database *database = nullptr;
    // One TermGenerator per language, built once per writer (they hold stemmer and stopper).
    std::vector<std::pair<std::string, Xapian::TermGenerator>> generators;
    // German compounds already split, with their part terms (compounds.h).
    std::unordered_map<std::string, std::vector<std::string>> compound_parts;
    // Compresses (writer) and decompresses (search) releases' data (release_data.h).
    cxapian::ReleaseDataCodec codec;
    // The spelling counts this writer knows (spelling.cpp); dropped when a transaction is
    // cancelled.
    std::shared_ptr<cxapian::SpellingCounts> spelling;
    // Every release's facets, read at the first search that counts them (asking.h); dropped
    // when the reader reopens.
    std::shared_ptr<cxapian::FacetTable> facets;
    // Terms' frequencies at the reader's revision, as searches asked for them (weighting.cpp,
    // TermFrequencyMemo): each is a lookup in the index, and the words of one search come back
    // in the next ones. Dropped when the reader reopens.
    std::unordered_map<std::string, Xapian::doccount> term_frequencies;
};

namespace cxapian {

// Reopens the reader at the latest commit (retrying_modified's `again`), dropping what it
// kept of the revision it leaves. True when it found a newer commit.
inline bool reopen_reader(cx_database *db) {
    db->facets.reset();
    db->term_frequencies.clear();
    return db->database->reopen();
}

}  // namespace cxapian
