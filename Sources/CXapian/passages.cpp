// The passage that answers: inside a matching release, each passage is scored by the query
// words at its positions (schema.h numbers a release's words passage after passage), a
// phrase's words only where the phrase stands.
#include <algorithm>
#include <climits>
#include <cmath>
#include <map>

#include "internal.h"
#include "search_parts.h"
#include "translate.h"

namespace cxapian {

namespace {

bool is_stem(const std::string &term) { return schema::is_passage_term(term); }

// BM25's term frequency part with Xapian's default k1 = 1, b = 0.5, against the release's
// mean passage length.
double saturated(double frequency, double length, double mean_length) {
    double norm = 0.5 + 0.5 * (mean_length > 0 ? length / mean_length : 1.0);
    return frequency * 2 / (frequency + norm);
}

std::vector<Xapian::termpos> positions(const Xapian::Database &db, Xapian::docid did, const std::string &term) {
    return std::vector<Xapian::termpos>(db.positionlist_begin(did, term), db.positionlist_end(did, term));
}

// The passage of `lang` when the release has exactly one, else passages.size().
size_t sole_passage(const std::vector<schema::StoredPassage> &passages, const std::string &lang) {
    size_t found = passages.size();
    for (size_t i = 0; i < passages.size(); ++i) {
        if (passages[i].lang != lang) continue;
        if (found != passages.size()) return passages.size();
        found = i;
    }
    return found;
}

bool has_language(const std::vector<schema::StoredPassage> &passages, const std::string &lang) {
    return std::any_of(passages.begin(), passages.end(), [&](const schema::StoredPassage &p) { return p.lang == lang; });
}

// Where a phrase (ordered) or NEAR (any order) of `lists` occurs within `window` positions:
// the first word's position of each occurrence.
std::vector<Xapian::termpos> occurrences(const std::vector<std::vector<Xapian::termpos>> &lists,
                                         Xapian::termcount window, bool ordered) {
    std::vector<Xapian::termpos> found;
    if (lists.empty()) return found;
    for (Xapian::termpos start : lists[0]) {
        bool all = true;
        Xapian::termpos previous = start;
        for (size_t i = 1; i < lists.size() && all; ++i) {
            const auto &list = lists[i];
            Xapian::termpos low = ordered ? previous + 1 : (start > window ? start - window : 1);
            Xapian::termpos high = start + window - 1;
            auto at = std::lower_bound(list.begin(), list.end(), low);
            all = at != list.end() && *at <= high;
            if (all) previous = *at;
        }
        if (all) found.push_back(start);
    }
    return found;
}

}  // namespace

// A word's weight: BM25's idf from its stem's frequency in all languages, as the match
// weighs it (with_shared_rarity), and not the index's stored bounds (so a compacted index
// answers as the one it was made from).
double PassageScorer::weight_of(const std::string &term) const {
    return mset_.get_termfreq(term) ? shared_idf(db_, term) : 0.0;
}

void PassageScorer::collect(const Xapian::Query &query) {
    auto type = query.get_type();
    if (type == Xapian::Query::LEAF_TERM) {
        std::string term = *query.get_terms_begin();
        bool known = std::any_of(words_.begin(), words_.end(), [&](const Word &w) { return w.term == term; });
        double weight = weight_of(term);
        // A word found through translation weighs in a passage as its branch does in the match.
        if (translated_.count(term)) weight *= kTranslatedWeight * other_languages_weight_;
        // The query's own word in a language it is not written in (an English word quoted in a
        // French passage): half. In the match it counts within its translations' OP_SYNONYM,
        // whose rarity holds it down (translate.cpp); here each term has its own rarity.
        else if (!translated_from_.empty() &&
                 std::find(translated_from_.begin(), translated_from_.end(), schema::term_language(term)) == translated_from_.end())
            weight *= kForeignWordsWeight * other_languages_weight_;
        std::string source;
        if (auto found = translated_.find(term); found != translated_.end()) source = found->second;
        else if (auto own = words_of_terms_.find(term); own != words_of_terms_.end()) source = own->second;
        if (is_stem(term) && !known && weight > 0) words_.push_back({term, weight, schema::term_language(term), source});
        return;
    }
    if (type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_NEAR) {
        Phrase phrase{{}, Xapian::termcount(query.get_num_subqueries()), type == Xapian::Query::OP_PHRASE};
        for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
            Xapian::Query part = query.get_subquery(i);
            if (part.get_type() != Xapian::Query::LEAF_TERM) return;  // not a phrase of words
            std::string term = *part.get_terms_begin();
            phrase.words.push_back({term, weight_of(term), schema::term_language(term)});
        }
        // The window is not shown by Xapian 1.4: a phrase's is at least its length (more
        // when stopwords were stepped over, see query.cpp), a NEAR's 10 by default.
        phrase.window = phrase.ordered ? phrase.window * 2 : std::max<Xapian::termcount>(10, phrase.window);
        phrases_.push_back(std::move(phrase));
        return;
    }
    // Words after NOT say where the answer is not: they score nothing.
    size_t count = query.get_num_subqueries();
    if (type == Xapian::Query::OP_AND_NOT) count = std::min<size_t>(count, 1);
    for (size_t i = 0; i < count; ++i) collect(query.get_subquery(i));
}

PassageScorer::PassageScorer(const Xapian::Database &db, const Xapian::MSet &mset, const BuiltQuery &query)
    : db_(db), translated_(query.translated), words_of_terms_(query.words_of_terms), translated_from_(query.translated_from),
      other_languages_weight_(query.other_languages_weight), wildcard_stems_(query.wildcard_stems), mset_(mset) {
    collect(query.query);
}

std::vector<const PassageScorer::Word *> PassageScorer::every_word() const {
    std::vector<const Word *> words;
    for (const auto &word : words_) words.push_back(&word);
    for (const auto &phrase : phrases_)
        for (const auto &word : phrase.words) words.push_back(&word);
    std::sort(words.begin(), words.end(), [](const Word *a, const Word *b) { return a->term < b->term; });
    words.erase(std::unique(words.begin(), words.end(), [](const Word *a, const Word *b) { return a->term == b->term; }),
                words.end());
    return words;
}

void PassageScorer::find_words(std::vector<Xapian::docid> releases) {
    std::sort(releases.begin(), releases.end());
    releases.erase(std::unique(releases.begin(), releases.end()), releases.end());
    for (const Word *word : every_word()) {
        // Looked up, even where no release holds it: the entry says so by being there.
        auto &counts = held_[word->term];
        Xapian::PostingIterator posting = db_.postlist_begin(word->term), end = db_.postlist_end(word->term);
        for (Xapian::docid did : releases) {
            posting.skip_to(did);
            if (posting == end) break;
            if (*posting == did) counts.emplace(did, posting.get_wdf());
        }
    }
}

void PassageScorer::prefetch_remote_positions(
    std::vector<std::pair<Xapian::docid, const std::vector<schema::StoredPassage> *>> releases, const BulkReader &remote) {
    std::sort(releases.begin(), releases.end());
    std::vector<std::pair<Xapian::docid, std::string>> wanted;
    for (const Word *word : every_word())
        for (const auto &release : releases)
            if (has_language(*release.second, word->lang)) wanted.emplace_back(release.first, word->term);
    if (remote && !wanted.empty()) remote(wanted, read_);
    for (const auto &one : wanted) {
        auto &lists = read_[one.second];
        if (!lists.count(one.first)) lists.emplace(one.first, positions(db_, one.first, one.second));
    }
}

long PassageScorer::times(Xapian::docid did, const std::string &term) const {
    long count = held(did, term);
    if (count >= 0) return count;
    // Over remote shards, find_words did not look: the positions read ahead say how often
    // (none were for a language the release has no passage in).
    const auto *ahead = read_ahead(did, term);
    return ahead ? long(ahead->size()) : 0;
}

long PassageScorer::held(Xapian::docid did, const std::string &term) const {
    auto counts = held_.find(term);
    if (counts == held_.end()) return -1;
    auto found = counts->second.find(did);
    return found == counts->second.end() ? 0 : long(found->second);
}

double PassageScorer::repeated(Xapian::docid did, double k1, double b) const {
    if (translated_.empty()) return 0;
    // Each query word's terms the release holds, by language: word -> language -> (weight,
    // occurrences). Each term weighs as the passages weigh it, one by one, not as the match's
    // OP_SYNONYM weighs a word's translations together: the estimate errs high where a
    // release holds several translations of a word (the score is kept at 0 at least).
    // Measured (2026-12-02), it did better than one term a language (their occurrences
    // together, the least weight): with no language named, man pages English -> German .302
    // against .287, French .539 against .522.
    std::map<std::string, std::map<std::string, std::vector<std::pair<double, long>>>> found;
    bool twice = false;
    for (const auto &word : words_) {
        if (word.source.empty()) continue;
        long count = times(did, word.term);
        if (count <= 0) continue;
        auto &languages = found[word.source];
        languages[word.lang].emplace_back(word.weight, count);
        twice = twice || languages.size() > 1;
    }
    if (!twice) return 0;
    // BM25's term frequency part over the release, as the match (search.cpp) weighs it. (Over
    // remote shards the length is one message to the release's shard.)
    double normalised = std::max(0.5, db_.get_avlength() > 0 ? db_.get_doclength(did) / db_.get_avlength() : 1.0);
    double norm = k1 * ((1 - b) + b * normalised);
    double rest = 0;
    for (const auto &[source, languages] : found) {
        if (languages.size() < 2) continue;
        double sum = 0, best = 0;
        for (const auto &[lang, terms] : languages) {
            double weight = 0;
            for (const auto &[idf, count] : terms) weight += idf * (k1 + 1) * count / (norm + count);
            sum += weight;
            best = std::max(best, weight);
        }
        rest += sum - best;
    }
    return rest;
}

double PassageScorer::bound(Xapian::docid did, const std::vector<schema::StoredPassage> &passages,
                            double mean_length) const {
    // A wildcard's expansions are not among the words looked up.
    if (!wildcard_stems_.empty() || passages.empty()) return HUGE_VAL;
    // The shortest passage saturates fastest (saturated() grows as the length shrinks).
    double shortest = HUGE_VAL;
    for (const auto &p : passages)
        shortest = std::min<double>(shortest, p.last_position >= p.first_position ? p.last_position - p.first_position + 1 : 0);
    double most = 0;
    for (const auto &word : words_) {
        long count = held(did, word.term);
        if (count < 0) return HUGE_VAL;
        if (count > 0 && has_language(passages, word.lang)) most += word.weight * saturated(count, shortest, mean_length);
    }
    for (const auto &phrase : phrases_) {
        // A phrase occurs at most as often as its rarest word.
        long count = LONG_MAX;
        double weight = 0;
        for (const auto &word : phrase.words) {
            long own = held(did, word.term);
            if (own < 0) return HUGE_VAL;
            count = std::min(count, own);
            weight += word.weight;
        }
        if (!phrase.words.empty() && count > 0) most += weight * saturated(count, shortest, mean_length);
    }
    return most;
}

// The word's positions in the release: read ahead (remote shards), none without a read when
// find_words found it absent, else read now.
std::vector<Xapian::termpos> PassageScorer::positions_of(Xapian::docid did, const std::string &term) const {
    if (const auto *ahead = read_ahead(did, term)) return *ahead;
    if (held(did, term) == 0) return {};
    return positions(db_, did, term);
}

const std::vector<Xapian::termpos> *PassageScorer::read_ahead(Xapian::docid did, const std::string &term) const {
    auto lists = read_.find(term);
    if (lists == read_.end()) return nullptr;
    auto found = lists->second.find(did);
    return found == lists->second.end() ? nullptr : &found->second;
}

PassageEvidence PassageScorer::evidence(Xapian::docid did, const std::vector<schema::StoredPassage> &passages,
                                        double mean_length, uint32_t title_words) const {
    PassageEvidence evidence;
    evidence.scores.assign(passages.size(), 0.0);
    if (passages.empty()) return evidence;
    std::vector<double> lengths(passages.size());
    for (size_t i = 0; i < passages.size(); ++i) {
        const auto &p = passages[i];
        lengths[i] = p.last_position >= p.first_position ? p.last_position - p.first_position + 1 : 0;
    }
    std::vector<uint32_t> frequency(passages.size());

    // Occurrences (ascending positions) into frequency per passage, then into the scores.
    auto add = [&](const std::vector<Xapian::termpos> &at, double weight) {
        std::fill(frequency.begin(), frequency.end(), 0);
        size_t passage = 0;
        for (Xapian::termpos position : at) {
            // A position belongs to the last passage starting at or before it (the gap after
            // a passage holds its compound parts).
            while (passage + 1 < passages.size() && passages[passage + 1].first_position <= position) ++passage;
            if (position >= passages[passage].first_position) ++frequency[passage];
        }
        for (size_t i = 0; i < passages.size(); ++i)
            if (frequency[i]) evidence.scores[i] += weight * saturated(frequency[i], lengths[i], mean_length);
    };
    // Only the words of the release's languages: looking up another's costs a read for nothing.
    auto present = [&](const std::string &lang) { return has_language(passages, lang); };
    for (const auto &word : words_) {
        if (!present(word.lang)) continue;
        // In a release's only passage of its language, a word stands as often as the release
        // holds it (find_words), unless some of that is a title's extra weight (kTitleWdf more
        // for each of the title's words, indexing.cpp), which positions do not count. There is
        // none where the title is in another language (it is the first passage's), nor where a
        // title opening the first passage (each of its words also a position there) leaves the
        // word held at most kTitleWdf times (a title word would make it 1 + kTitleWdf). Then its
        // positions go unread: the same score, two block reads fewer.
        long times = held(did, word.term);
        size_t only = sole_passage(passages, word.lang);
        bool no_title_weight = passages.front().lang != word.lang ||
                               (title_words > 0 && times <= long(schema::kTitleWdf));
        if (times > 0 && only < passages.size() && no_title_weight && !schema::is_stopword_term(word.term)) {
            evidence.scores[only] += word.weight * saturated(double(times), lengths[only], mean_length);
            continue;
        }
        add(positions_of(did, word.term), word.weight);
    }
    for (const auto &phrase : phrases_) {
        if (phrase.words.empty() || !present(phrase.words.front().lang)) continue;
        std::vector<std::vector<Xapian::termpos>> lists;
        double weight = 0;
        for (const auto &word : phrase.words) {
            lists.push_back(positions_of(did, word.term));
            weight += word.weight;
        }
        add(occurrences(lists, phrase.window, phrase.ordered), weight);
    }
    // The terms a wildcard expanded to in this release, from its own term list.
    for (const auto &stem : wildcard_stems_) {
        if (!present(schema::term_language(stem))) continue;
        Xapian::TermIterator term = db_.termlist_begin(did), end = db_.termlist_end(did);
        for (term.skip_to(stem); term != end && (*term).compare(0, stem.size(), stem) == 0; ++term) {
            double weight = weight_of(*term);
            add(std::vector<Xapian::termpos>(term.positionlist_begin(), term.positionlist_end()), weight > 0 ? weight : 1.0);
        }
    }
    double best = 0;
    for (size_t i = 0; i < passages.size(); ++i) {
        if (evidence.scores[i] > 0) ++evidence.matching;
        if (evidence.scores[i] > best) {
            best = evidence.scores[i];
            evidence.best = i;
        }
        evidence.best_score = std::max(evidence.best_score, passage_prior(i) * evidence.scores[i]);
    }
    evidence.shown_score = passage_prior(evidence.best) * evidence.scores[evidence.best];
    return evidence;
}

}  // namespace cxapian
