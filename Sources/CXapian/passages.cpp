// The passage that answers: inside a matching release, each passage is scored by the query
// words at its positions (schema.h numbers a release's words passage after passage).
#include <algorithm>

#include "internal.h"
#include "search_parts.h"

namespace cxapian {

namespace {

void collect_terms(const Xapian::Query &query, std::vector<std::string> &terms) {
    if (query.get_type() == Xapian::Query::LEAF_TERM) {
        std::string term = *query.get_terms_begin();
        // Stems only: the release and language terms are filters.
        if (term.compare(0, 1, schema::kStemPrefix) == 0 &&
            std::find(terms.begin(), terms.end(), term) == terms.end())
            terms.push_back(term);
        return;
    }
    for (size_t i = 0; i < query.get_num_subqueries(); ++i) collect_terms(query.get_subquery(i), terms);
}

// BM25's term frequency part with Xapian's default k1 = 1, b = 0.5, against the release's
// mean passage length.
double saturated(double frequency, double length, double mean_length) {
    double norm = 0.5 + 0.5 * (mean_length > 0 ? length / mean_length : 1.0);
    return frequency * 2 / (frequency + norm);
}

}  // namespace

PassageScorer::PassageScorer(const Xapian::Database &db, const Xapian::MSet &mset, const BuiltQuery &query)
    : db_(db), wildcard_stems_(query.wildcard_stems), mset_(mset) {
    std::vector<std::string> terms;
    collect_terms(query.query, terms);
    for (const auto &term : terms) {
        double weight = mset.get_termweight(term);
        if (weight > 0) words_.push_back({term, weight});
    }
}

PassageEvidence PassageScorer::evidence(Xapian::docid did, const schema::StoredRelease &release) const {
    PassageEvidence evidence;
    const auto &passages = release.passages;
    evidence.scores.assign(passages.size(), 0.0);
    if (passages.empty()) return evidence;
    std::vector<double> lengths(passages.size());
    double total = 0;
    for (size_t i = 0; i < passages.size(); ++i) {
        const auto &p = passages[i];
        lengths[i] = p.last_position >= p.first_position ? p.last_position - p.first_position + 1 : 0;
        total += lengths[i];
    }
    double mean_length = total / passages.size();
    std::vector<uint32_t> frequency(passages.size());

    // One word's positions into frequency per passage, then into the scores.
    auto add_word = [&](Xapian::PositionIterator position, Xapian::PositionIterator end, double weight) {
        std::fill(frequency.begin(), frequency.end(), 0);
        size_t passage = 0;
        for (; position != end; ++position) {
            Xapian::termpos at = *position;
            while (passage + 1 < passages.size() && passages[passage + 1].first_position <= at) ++passage;
            if (at >= passages[passage].first_position && at <= passages[passage].last_position) ++frequency[passage];
        }
        for (size_t i = 0; i < passages.size(); ++i)
            if (frequency[i]) evidence.scores[i] += weight * saturated(frequency[i], lengths[i], mean_length);
    };
    for (const auto &word : words_)
        add_word(db_.positionlist_begin(did, word.term), db_.positionlist_end(did, word.term), word.weight);
    if (!wildcard_stems_.empty()) {
        // The terms a wildcard expanded to in this release, from its own term list.
        for (const auto &stem : wildcard_stems_) {
            Xapian::TermIterator term = db_.termlist_begin(did), end = db_.termlist_end(did);
            for (term.skip_to(stem); term != end && (*term).compare(0, stem.size(), stem) == 0; ++term) {
                double weight = mset_.get_termweight(*term);
                add_word(term.positionlist_begin(), term.positionlist_end(), weight > 0 ? weight : 1.0);
            }
        }
    }
    for (size_t i = 0; i < passages.size(); ++i) {
        if (evidence.scores[i] > 0) ++evidence.matching;
        if (evidence.scores[i] > evidence.best_score) {
            evidence.best_score = evidence.scores[i];
            evidence.best = i;
        }
    }
    return evidence;
}

}  // namespace cxapian
