// What a search can ask beside its words (issue 14): date ranges, facets counted per release,
// spelling suggestions per language and the user's synonyms. Each in a file of its own:
// dates.cpp, facets.cpp, spelling.cpp, synonyms.cpp; search.cpp and indexing.cpp call them.
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <vector>

#include "internal.h"
#include "release_data.h"
#include "schema.h"

namespace cxapian {

// ---- dates.cpp

// An inclusive range of "YYYYMMDD" days; an empty side is open.
struct DateBounds {
    std::string low, high;
    bool any() const { return !low.empty() || !high.empty(); }
    // Narrows this range to its intersection with `other` (both filters apply).
    void narrow(const DateBounds &other);
};

// "2022", "2022-03", "2022-03-15", "A..B", "..B" or "A.." as days: a year or a month stands
// for all its days. Throws Xapian::InvalidArgumentError naming `what` (`date:x`, `--since x`)
// for anything else, a month or day that does not exist, or a range that ends before it
// starts.
DateBounds parse_date_range(const std::string &spec, const std::string &what);

// The query text without its `date:` tokens (a whitespace-separated token that starts with
// "date:"), their ranges narrowed into *bounds. Taken out before the QueryParser sees the
// text, so that a date filter applies to the whole query, survives the fall-back to the
// query's words, and alone (`date:2022`) lists the releases of that range.
std::string take_date_filters(const std::string &text, DateBounds *bounds);

// The releases whose date (schema.h kDateSlot) falls in `bounds`.
Xapian::Query date_filter(const DateBounds &bounds);

// ---- facets.cpp

// Every release's facet value (schema.h kFacetSlot), read once from its value stream and
// kept by a reader (cx_database) until it reopens: a spy that reads each matching release's
// value from the index made a batch with facets twice as slow as without; from here, a
// release costs an array lookup.
struct FacetTable {
    struct Entry {
        uint8_t languages = 0;   // bit i: row i of the language table
        uint16_t year = 0;       // 0: no date
        uint32_t source = 0;     // 1 + its index in `sources`; 0: none
    };
    std::vector<Entry> entries;  // by document ID
    std::vector<std::string> sources;
    explicit FacetTable(const Xapian::Database &db);
};

// Counts the releases of a whole match by language (each language a release has passages
// in), by year (of its date) and by source, from a FacetTable. A document is a release, so
// each is counted once however many of its passages match; Xapian's ValueCountMatchSpy
// counts one value's strings, and a release's languages are several.
class FacetSpy : public Xapian::MatchSpy {
  public:
    // Without a table (a match small enough to be in its MSet), each release's value is read
    // from the index.
    explicit FacetSpy(const FacetTable *table) : table_(table), sources_(table ? table->sources.size() + 1 : 1) {}
    void operator()(const Xapian::Document &doc, double weight) override;
    // Over the remote protocol (shards.cpp): a shard's server counts its own releases without
    // a table, sends its counts back, and the searching side adds them to its own.
    Xapian::MatchSpy *clone() const override { return new FacetSpy(table_); }
    std::string name() const override { return "presse.Facets"; }
    std::string serialise() const override { return std::string(); }
    Xapian::MatchSpy *unserialise(const std::string &, const Xapian::Registry &) const override { return new FacetSpy(nullptr); }
    std::string serialise_results() const override;
    void merge_results(const std::string &serialised) override;
    // field ("lang", "year", "source") → value → releases
    std::map<std::string, std::map<std::string, Xapian::doccount>> counts() const;

  private:
    const FacetTable *table_;
    std::map<std::string, Xapian::doccount> named_sources_;  // without a table
    Xapian::doccount languages_[8] = {};
    std::map<unsigned, Xapian::doccount> years_;
    std::vector<Xapian::doccount> sources_;  // by FacetTable::Entry::source
};

// ---- spelling.cpp

// Keeps the spelling table (schema.h) exact for the release of `identity`: takes off the words
// of the document that holds it now (if any) and adds those of `added` (nullptr: it is being
// removed). Only the difference is written, so an unchanged word costs nothing.
void update_spelling(cx_database *db, const std::string &identity, const schema::StoredRelease *added);

// Writes the spelling counts that changed since the last call into the spelling and synonym
// tables: called before each commit (database.cpp); a cancelled transaction drops them.
void flush_spelling(cx_database *db);

// Before scratch shards are merged (cx_compact): a word that waits as a singleton in one
// shard while another shard holds it too is moved into that shard's spelling table with a
// count of 1, so that the compactor, which adds the shards' counts, gives it the count of its
// releases. (Merging first and fixing after wrote into the compacted tables: 15.6 MB of
// spelling data instead of 5.9.)
void settle_singletons(const std::vector<std::string> &shards);

// The query with each word that nothing in the index holds (in any of `languages`) replaced by
// the closest word of one language's vocabulary seen in 2 releases or more; "" when no word
// is replaced.
std::string suggest(cx_database *db, const std::string &text, const std::vector<std::string> &languages);

// ---- synonyms.cpp

// The prepared query text (query.cpp: prepare_query_text) with each top-level word that has
// synonyms replaced by "(word OR synonym OR \"a phrase\")": each language branch then parses
// and stems them in its own language. Words inside phrases, after a field or a sign, and
// operators are left alone.
std::string with_synonyms(cx_database *db, const std::string &text);

}  // namespace cxapian
