// `title:` by positions. A title that opens its release's first passage is not indexed a
// second time under title terms (schema.h): its words are the first positions of that
// passage, and the passage table says how many. So a title word's query term ("ZStokyo"),
// which now matches only the titles that do not open their release, is widened to the
// passage word ("Ztokyo") where its first position falls in the title.
#include <algorithm>

#include "internal.h"
#include "schema.h"
#include "search_parts.h"

namespace cxapian {


namespace {

// The releases where `term` (a passage word's) stands in a title opening the first passage:
// its posting list, kept to the documents whose title positions (from the passage table's
// value stream) hold the term's first position there. A filter: it weighs nothing, the
// passage word beside it in the query carries the weight.
class TitleWordSource : public Xapian::PostingSource {
  public:
    explicit TitleWordSource(std::string term) : term_(std::move(term)) {}

    Xapian::PostingSource *clone() const override { return new TitleWordSource(term_); }
    std::string name() const override { return "presse.TitleWord"; }
    // A remote shard runs the source itself (shards.cpp registers it with its server): the
    // term is all it needs.
    std::string serialise() const override { return term_; }
    TitleWordSource *unserialise(const std::string &serialised) const override { return new TitleWordSource(serialised); }

    void init(const Xapian::Database &db) override {
        db_ = db;
        postings_ = db_.postlist_begin(term_);
        tables_ = db_.valuestream_begin(schema::kPassagesSlot);
        frequency_ = db_.get_termfreq(term_);
        started_ = false;
    }

    Xapian::doccount get_termfreq_min() const override { return 0; }
    // Most titles open their release (a headline above its text): half is a fair guess.
    Xapian::doccount get_termfreq_est() const override { return frequency_ / 2; }
    Xapian::doccount get_termfreq_max() const override { return frequency_; }

    void next(double) override {
        if (started_) ++postings_;
        started_ = true;
        settle();
    }

    void skip_to(Xapian::docid did, double) override {
        started_ = true;
        postings_.skip_to(did);
        settle();
    }

    bool at_end() const override { return started_ && postings_ == db_.postlist_end(term_); }
    Xapian::docid get_docid() const override { return *postings_; }

  private:
    // Moves on to the first document from here whose title holds the term.
    void settle() {
        for (Xapian::PostingIterator end = db_.postlist_end(term_); postings_ != end; ++postings_)
            if (in_title(*postings_)) return;
    }

    bool in_title(Xapian::docid did) {
        if (tables_ == db_.valuestream_end(schema::kPassagesSlot)) return false;
        tables_.skip_to(did);
        if (tables_ == db_.valuestream_end(schema::kPassagesSlot) || tables_.get_docid() != did) return false;
        Xapian::termpos first, last;
        if (!schema::title_positions(*tables_, &first, &last)) return false;
        Xapian::PositionIterator position = db_.positionlist_begin(did, term_);
        if (position == db_.positionlist_end(did, term_)) return false;
        position.skip_to(first);
        return position != db_.positionlist_end(did, term_) && *position <= last;
    }

    std::string term_;
    Xapian::Database db_;
    Xapian::PostingIterator postings_;
    Xapian::ValueIterator tables_;
    Xapian::doccount frequency_ = 0;
    bool started_ = false;
};

}  // namespace

void register_title_word_source(Xapian::Registry &registry) { registry.register_posting_source(TitleWordSource(std::string())); }

namespace {

// `passage_term` where it stands in a title that opens its release.
Xapian::Query in_opening_title(const std::string &passage_term) {
    return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(passage_term),
                         Xapian::Query((new TitleWordSource(passage_term))->release()));
}

// The passage words a title wildcard's pattern expands to ("ZSosak" → "Zosaka", …): the
// most frequent, as many as the QueryParser's own expansion takes (kWildcardExpansion).
std::vector<std::string> expansions(const Xapian::Database &db, const std::string &passage_prefix) {
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    for (auto term = db.allterms_begin(passage_prefix); term != db.allterms_end(passage_prefix); ++term)
        found.emplace_back(term.get_termfreq(), *term);
    size_t keep = std::min<size_t>(found.size(), kWildcardExpansion);
    std::partial_sort(found.begin(), found.begin() + keep, found.end(),
                      [](const auto &a, const auto &b) { return a.first > b.first; });
    std::vector<std::string> terms;
    for (size_t i = 0; i < keep; ++i) terms.push_back(found[i].second);
    return terms;
}

}  // namespace

Xapian::Query titles_by_position(const Xapian::Database &db, const Xapian::Query &query,
                                 const std::vector<std::string> &title_wildcards) {
    using Q = Xapian::Query;
    auto type = query.get_type();
    size_t count = query.get_num_subqueries();
    if (type == Q::LEAF_TERM) {
        std::string passage_term = schema::passage_term_of_title_term(*query.get_terms_begin());
        if (passage_term.empty()) return query;
        return Q(Q::OP_OR, query, in_opening_title(passage_term));
    }
    if (type == Q::OP_WILDCARD) {
        // Xapian 1.4 does not show a wildcard's pattern: it is recognised by being the query
        // the QueryParser builds for one of the title's wildcard patterns.
        std::string serialised = query.serialise();
        for (const auto &pattern : title_wildcards) {
            if (wildcard_query(pattern).serialise() != serialised) continue;
            std::vector<Q> opening;
            for (const auto &term : expansions(db, schema::passage_term_of_title_term(pattern)))
                opening.push_back(in_opening_title(term));
            if (opening.empty()) return query;
            return Q(Q::OP_OR, query, Q(Q::OP_OR, opening.begin(), opening.end()));
        }
        return query;
    }
    if (type == Q::OP_PHRASE || type == Q::OP_NEAR) {
        // Title terms have no positions: a phrase of them is the phrase of their passage words,
        // each standing in an opening title, or, in a title that does not open its release
        // (short: a subject line, a headline), all of its words.
        std::vector<Q> words, filters, title_words;
        for (size_t i = 0; i < count; ++i) {
            Q part = query.get_subquery(i);
            if (part.get_type() != Q::LEAF_TERM) return query;
            std::string term = *part.get_terms_begin(), passage_term = schema::passage_term_of_title_term(term);
            if (passage_term.empty()) return query;  // a phrase of passage words
            title_words.push_back(part);
            words.emplace_back(passage_term);
            // A stopword has no positions (schema.h): the phrase steps over it (query.cpp).
            if (!schema::is_stopword_term(passage_term)) filters.push_back(in_opening_title(passage_term));
        }
        // Xapian 1.4 does not show the window either: a phrase's is its length, a NEAR's the
        // QueryParser's default.
        Xapian::termcount window = type == Q::OP_PHRASE ? Xapian::termcount(count) : std::max<Xapian::termcount>(10, count);
        Q phrase(type, words.begin(), words.end(), window);
        if (!filters.empty()) phrase = Q(Q::OP_FILTER, phrase, Q(Q::OP_AND, filters.begin(), filters.end()));
        return Q(Q::OP_OR, phrase, Q(Q::OP_AND, title_words.begin(), title_words.end()));
    }
    if (count == 0) return query;
    switch (type) {
        case Q::OP_AND: case Q::OP_OR: case Q::OP_AND_NOT: case Q::OP_XOR: case Q::OP_AND_MAYBE:
        case Q::OP_FILTER: case Q::OP_SYNONYM: case Q::OP_MAX: case Q::OP_ELITE_SET: {
            std::vector<Q> parts;
            for (size_t i = 0; i < count; ++i) parts.push_back(titles_by_position(db, query.get_subquery(i), title_wildcards));
            return Q(type, parts.begin(), parts.end());
        }
        default:
            return query;
    }
}

}  // namespace cxapian
