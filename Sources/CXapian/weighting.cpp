// Weights: each language's stems live in a term space of their own (schema.h), but a word
// must weigh what its rarity in the whole index says, as in one shared term space.
#include <algorithm>
#include <cmath>

#include "internal.h"
#include "search_parts.h"

namespace cxapian {

namespace {

// The memo of the search running on this thread (TermFrequencyMemo), if any.
thread_local TermFrequencyMemo *current_memo = nullptr;

}  // namespace

TermFrequencyMemo::TermFrequencyMemo(const Xapian::Database &db, std::unordered_map<std::string, Xapian::doccount> *kept)
    : db_(db), outer_(current_memo), frequencies_(kept ? *kept : own_) {
    if (frequencies_.size() > kLimit) frequencies_.clear();
    current_memo = this;
}

TermFrequencyMemo::~TermFrequencyMemo() { current_memo = outer_; }

Xapian::doccount term_frequency(const Xapian::Database &db, const std::string &term) {
    TermFrequencyMemo *memo = current_memo;
    if (!memo || &memo->db_ != &db) return db.get_termfreq(term);
    auto found = memo->frequencies_.find(term);
    if (found != memo->frequencies_.end()) return found->second;
    Xapian::doccount frequency = db.get_termfreq(term);
    memo->frequencies_.emplace(term, frequency);
    return frequency;
}

std::vector<std::string> terms_a_query_weighs(const std::string &text) {
    std::vector<std::string> terms;
    std::vector<std::string> words = lowercase_words(text);
    for (const auto &lang : all_languages()) {
        terms.push_back(schema::language_term(lang));
        Xapian::Stem stem(stemmer_name(lang));
        for (const auto &word : words) {
            std::string stemmed = stem(word);
            for (const auto &space : all_languages()) terms.push_back(schema::kStemPrefix + language_term_prefix(space) + stemmed);
        }
    }
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    return terms;
}

double bm25_idf(double documents, double termfreq) {
    double ratio = (documents - termfreq + 0.5) / (termfreq + 0.5);
    if (ratio < 2) ratio = ratio * 0.5 + 1;
    return std::log(ratio);
}

Xapian::doccount shared_frequency(const Xapian::Database &db, const std::string &stem) {
    Xapian::doccount everywhere = 0;
    for (const auto &lang : all_languages())
        everywhere += term_frequency(db, schema::kStemPrefix + language_term_prefix(lang) + stem);
    // A release with passages in two languages counts twice.
    return std::min(everywhere, db.get_doccount());
}

double shared_idf(const Xapian::Database &db, const std::string &term) {
    return bm25_idf(db.get_doccount(), shared_frequency(db, schema::stem_of_passage_term(term)));
}

namespace {

// What a stemmed term of `prefix`'s language weighs against what the same stem weighs across
// all languages: BM25 takes a word's rarity from its own term, which in a language's term
// space counts that language's releases only, and "Bibliothek", rare in English text, put an
// English release quoting it before every German one. This factor gives each term the weight
// of the stem's rarity in the whole index, as one shared term space would.
double shared_rarity(const Xapian::Database &db, const std::string &term, const std::string &prefix) {
    std::string stem = schema::stem_of_passage_term(term);
    if (stem.empty() || term.size() != prefix.size() + stem.size() || term.compare(0, prefix.size(), prefix) != 0)
        return 1.0;  // not a passage word of this language
    Xapian::doccount termfreq = term_frequency(db, term);
    if (termfreq == 0) return 1.0;  // matches nothing
    double documents = db.get_doccount();
    return bm25_idf(documents, shared_frequency(db, stem)) / bm25_idf(documents, termfreq);
}

}  // namespace

// Xapian 1.4 does not show the window of a phrase or NEAR, so those are scaled whole, by
// their terms' mean factor; wildcards expand during the match and keep their own weights.
Xapian::Query with_shared_rarity(const Xapian::Database &db, const Xapian::Query &query,
                                 const std::string &prefix) {
    using Q = Xapian::Query;
    switch (query.get_type()) {
        case Q::LEAF_TERM: {
            double factor = shared_rarity(db, *query.get_terms_begin(), prefix);
            return factor == 1.0 ? query : Q(Q::OP_SCALE_WEIGHT, query, factor);
        }
        case Q::OP_AND: case Q::OP_OR: case Q::OP_AND_NOT: case Q::OP_XOR:
        case Q::OP_AND_MAYBE: case Q::OP_FILTER: case Q::OP_SYNONYM: case Q::OP_MAX: {
            std::vector<Q> parts;
            for (size_t i = 0; i < query.get_num_subqueries(); ++i)
                parts.push_back(with_shared_rarity(db, query.get_subquery(i), prefix));
            return Q(query.get_type(), parts.begin(), parts.end());
        }
        case Q::OP_PHRASE: case Q::OP_NEAR: {
            double sum = 0;
            size_t count = 0;
            for (auto term = query.get_unique_terms_begin(); term != query.get_unique_terms_end(); ++term, ++count)
                sum += shared_rarity(db, *term, prefix);
            return count == 0 ? query : Q(Q::OP_SCALE_WEIGHT, query, sum / count);
        }
        default:
            return query;
    }
}

}  // namespace cxapian
