// cx_search: the match, the passage that answers in each release, the ranking that combines
// them, the highlights, and the two things a search never fails for: a writer committing
// meanwhile (retried) and a query's syntax (its words searched instead).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <memory>
#include <sstream>

#include "asking.h"
#include "internal.h"
#include "lookups.h"
#include "search_parts.h"
#include "translate.h"

using cxapian::fail;
using cxapian::translate_exception;
namespace schema = cxapian::schema;

namespace {

// Releases ranked again on their best passage: the page's, and at least this many, so a
// release that BM25 alone puts just below the first page can still reach it (as
// Elasticsearch's rescore window). On the relevance set, English MRR@10 .586 with 10, .595
// with 20, .594 with 30; each 10 more cost about a tenth of a batch.
constexpr size_t kRescoreDepth = 20;
// BM25 over a release with Lucene's and Elasticsearch's defaults (k1 = 1.2, b = 0.75) rather
// than Xapian's (1, 0.5): term frequency saturates a little later and long releases are judged
// more against their length. Measured on both known-item sets (man pages; package
// descriptions, each in its language and across languages): MRR@10 up by .008 to .032 on the
// man pages in every language and by .003 to .018 across languages, level (within .003) on the
// package descriptions in their own language.
constexpr double kBM25K1 = 1.2;
constexpr double kBM25B = 0.75;
// What the best passage's score counts beside the release's: as much. A release is ranked on
// all of its words (a query whose words fall in two paragraphs is still found) and on how
// closely they stand together in one passage (Callan 1994; Kaszkiel & Zobel 2001 find the
// combination better than either alone).
constexpr double kPassageWeight = 1.0;
// What a passage holding the query's words exactly as typed (accents, inflection) gains, as a
// share of its score when all of them are: the exact form ranks first, the folded and
// stemmed ones are still found (the "exact" sub-field of Elasticsearch's setups).
constexpr double kExactShare = 0.1;
// Matches checked past the page: small counts come out exact ("3 matches", not "about 6").
constexpr Xapian::doccount kCheckPastPage = 100;

struct StoredHit {
    std::string text, path, title, lang;
    std::vector<uint32_t> highlights;
    std::vector<cxapian::TranslatedWord> translated;
    std::vector<cx_translated_word> translated_out;
    cx_hit hit{};
};

// A matching release while the page is ranked: its passage table and evidence; its text is
// read only if it is shown.
struct Candidate {
    double score;
    std::string date;  // "YYYYMMDD" or "" (from the passage table): shown, and what a sort by date orders by
    Xapian::Document document;
    // In the combined database: a remote shard's Document knows only its own number.
    Xapian::docid docid = 0;
    std::vector<schema::StoredPassage> table;
    uint32_t title_words = 0;  // the table's: positions the title opening the first passage takes
    cxapian::PassageEvidence evidence;
    schema::StoredRelease release;  // read by read_release
};

// Its passage table is the one already read; its date is read when it is shown (add).
// Data that cannot be read is reported as a release not found: cx_search tells a writer's
// race from damage.
// Each release is decompressed with its own shard's dictionary (release_data.h).
void read_release(Candidate &candidate, const cx_database *handle, cxapian::ReleaseDataCodec &codec) {
    if (!candidate.release.passages.empty()) return;
    std::string data;
    try {
        auto shard = cxapian::shard_of(handle, candidate.docid);
        data = codec.decompress(*shard.first, schema::release_data_of(candidate.document), shard.second);
    } catch (const Xapian::DatabaseCorruptError &e) {
        throw Xapian::DocNotFoundError(e.get_msg());
    }
    if (!schema::decode_release(candidate.table, std::string(), data, &candidate.release))
        throw Xapian::DocNotFoundError("a release's data cannot be read");
}

// The first passage in one of the searched languages: what a release shows when no passage
// holds a query word (a title match, a pure NOT).
size_t opening(const std::vector<schema::StoredPassage> &table, const std::vector<std::string> &languages) {
    for (size_t i = 0; i < table.size(); ++i)
        if (std::find(languages.begin(), languages.end(), table[i].lang) != languages.end()) return i;
    return 0;
}

// The first passage in a searched language that the highlighter marks: for a release matched
// by words without positions (stopwords: `über`), else its opening.
size_t highlighted(const schema::StoredRelease &release, const std::vector<std::string> &languages,
                   cxapian::Highlighter &highlighter) {
    for (size_t i = 0; i < release.passages.size(); ++i) {
        const auto &passage = release.passages[i];
        if (std::find(languages.begin(), languages.end(), passage.lang) == languages.end()) continue;
        if (!highlighter.ranges(passage.text, passage.lang).empty()) return i;
    }
    return opening(release.passages, languages);
}

// The query's words as typed, lowercased: what exact() looks for. Operators, field names
// (`title:`, `lang:fr`) and the words a query excludes (`-munich`, `NOT munich`) are left out.
std::vector<std::string> typed_words(const char *query, size_t length) {
    std::vector<std::string> words;
    std::istringstream pieces(std::string(query ? query : "", query ? length : 0));
    std::string piece, before;
    bool excluded = false;
    while (pieces >> piece) {
        if (piece == "NOT") { excluded = true; continue; }
        // "und -konflikte": a compound's part, not an excluded word (prepare_query_text).
        if (piece.size() > 1 && piece[0] == '-' && piece.find(':') == std::string::npos && cxapian::joins_a_compound(before))
            piece.erase(0, 1);
        before = piece;
        bool skip = excluded || piece[0] == '-' || piece.compare(0, 5, "lang:") == 0;
        excluded = false;
        if (piece.compare(0, 6, "title:") == 0) piece.erase(0, 6);
        if (skip) continue;
        cxapian::each_word(piece, [&words](const std::string &word) {
            static const char *const kOperators[] = {"AND", "OR", "XOR", "NEAR", "ADJ"};
            if (std::none_of(std::begin(kOperators), std::end(kOperators), [&](const char *op) { return word == op; }))
                words.push_back(Xapian::Unicode::tolower(word));
            return true;
        });
    }
    return words;
}

// The share of `words` that `text` holds as words, exactly (case aside).
double exact(const std::string &text, const std::vector<std::string> &words) {
    if (words.empty()) return 0;
    std::vector<std::string> found;
    // Lowercasing every word of a passage was most of this: only words beyond ASCII are.
    auto note = [&](const std::string &typed) {
        if (std::find(found.begin(), found.end(), typed) == found.end()) found.push_back(typed);
    };
    cxapian::each_word(text, [&](const std::string &word) {
        bool ascii = std::all_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        if (ascii) {
            // An ASCII word's lowercase is its bytes' (typed words are lowercased): compared
            // in place, unallocated.
            for (const auto &typed : words) {
                if (typed.size() != word.size()) continue;
                bool same = true;
                for (size_t i = 0; same && i < word.size(); ++i) {
                    char c = word[i];
                    same = (c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c) == typed[i];
                }
                if (same) note(typed);
            }
        } else {
            std::string lower = Xapian::Unicode::tolower(word);
            if (std::find(words.begin(), words.end(), lower) != words.end()) note(lower);
        }
        return found.size() < words.size();
    });
    return double(found.size()) / words.size();
}

}  // namespace

struct cx_results {
    std::deque<StoredHit> hits;  // a deque: pointers into earlier hits stay valid
    uint64_t estimated = 0;
    bool fell_back = false;
    bool total_exact = false;
    struct Facet { std::string field, value; uint64_t releases; };
    std::vector<Facet> facets;

    void add_facets(const cxapian::FacetSpy &spy) {
        for (const auto &field : spy.counts())
            for (const auto &value : field.second) facets.push_back({field.first, value.first, value.second});
    }
    std::string translated_from;  // comma-separated
    const std::unordered_map<std::string, std::string> *translated = nullptr;

    void add(const Candidate &candidate, size_t passage, double weight, uint32_t more,
             cxapian::Highlighter *highlighter) {
        const schema::StoredPassage &stored = candidate.release.passages[passage];
        hits.emplace_back();
        StoredHit &out = hits.back();
        out.text = stored.text;
        out.path = candidate.release.path;
        out.title = candidate.release.title;
        out.lang = stored.lang;
        if (highlighter) out.highlights = highlighter->ranges(out.text, out.lang);
        if (highlighter && translated) add_translated(out);
        cx_hit &hit = out.hit;
        hit.weight = weight;
        hit.more_passages = more;
        hit.passage = static_cast<uint32_t>(passage);
        hit.passage_count = static_cast<uint32_t>(candidate.release.passages.size());
        hit.start = stored.start;
        hit.end = stored.end;
        std::strncpy(hit.lang, out.lang.c_str(), sizeof hit.lang - 1);
        hit.text = out.text.data();
        hit.text_len = out.text.size();
        hit.path = out.path.data();
        hit.path_len = out.path.size();
        hit.title = out.title.data();
        hit.title_len = out.title.size();
        std::strncpy(hit.date, candidate.date.c_str(), sizeof hit.date - 1);
        std::strncpy(hit.date_source, candidate.release.date_source.c_str(), sizeof hit.date_source - 1);
        hit.highlights = out.highlights.data();
        hit.highlight_count = out.highlights.size() / 2;
        hit.translated = out.translated_out.data();
        hit.translated_count = out.translated_out.size();
    }

    // The passage's words matched through translation that no highlight covers already.
    void add_translated(StoredHit &out) {
        for (auto &word : cxapian::translated_words(out.text, out.lang, *translated)) {
            bool highlighted = false;
            for (size_t i = 0; i + 1 < out.highlights.size(); i += 2)
                highlighted = highlighted || (word.start < out.highlights[i + 1] && out.highlights[i] < word.end);
            if (!highlighted) out.translated.push_back(std::move(word));
        }
        for (const auto &word : out.translated)
            out.translated_out.push_back(cx_translated_word{word.start, word.end, word.source.data(), word.source.size()});
    }
};

namespace {

// One search of `text` at the reader's current revision.
void search_once(cx_database *handle, const cx_search_request &request, const std::vector<std::string> &languages,
                 const std::string &text, const cxapian::DateBounds &dates, cx_results &results) {
    const Xapian::Database &db = *handle->database;
    cxapian::ReleaseDataCodec &codec = handle->codec;
    // Kept from search to search by a reader only: a writer's frequencies change with each
    // release it adds, and a remote shard's with its own writer's commits.
    bool remote = cxapian::has_remote_shard(handle);
    cxapian::TermFrequencyMemo frequencies(db, handle->writer || remote ? nullptr : &handle->term_frequencies);
    if (remote) {
        // Each frequency is a message to each remote shard: those the query will weigh are
        // asked of all of them at once.
        cxapian::LookupQuestion question;
        question.frequencies_of = cxapian::terms_a_query_weighs(text);
        for (const auto &term : cxapian::look_up(handle, question).frequencies) frequencies.remember(term.first, term.second);
    }
    std::vector<std::string> typed = typed_words(request.query, request.query_len);
    const cxapian::Lexicon *lexicon = nullptr;
    try {
        if (request.lexicon && *request.lexicon) lexicon = &cxapian::Lexicon::open(request.lexicon);
    } catch (const Xapian::DatabaseOpeningError &) {
        // Checked by the caller, then removed or replaced by another file: the search goes on
        // in each language's own words, as without dictionaries.
    }
    cxapian::BuiltQuery built = cxapian::build_query(db, text, languages, false, lexicon, request.from ? request.from : "",
                                                   std::string(request.query ? request.query : "", request.query ? request.query_len : 0));
    for (const auto &lang : built.translated_from)
        results.translated_from += (results.translated_from.empty() ? "" : ",") + lang;
    results.fell_back = results.fell_back || built.fell_back;
    if (dates.any()) {
        // A date range alone (`date:2022`, `--since 2022`) lists the releases of those days.
        Xapian::Query words = built.query.empty() ? Xapian::Query::MatchAll : built.query;
        built.query = Xapian::Query(Xapian::Query::OP_FILTER, words, cxapian::date_filter(dates));
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(built.query);
    enquire.set_weighting_scheme(Xapian::BM25Weight(kBM25K1, 0, 1, kBM25B, 0.5));
    // By date, ties by relevance; a release without a date sorts last either way (the
    // default key stands after every day, or before them when the order is reversed).
    bool by_date = request.sort == CX_SORT_NEWEST || request.sort == CX_SORT_OLDEST;
    Xapian::MultiValueKeyMaker date_key;
    if (by_date && remote) {
        // The remote protocol takes no KeyMaker: the date slot itself, where a release without
        // a date sorts first; the candidates are put in order again below, undated last.
        enquire.set_sort_by_value_then_relevance(schema::kDateSlot, request.sort == CX_SORT_NEWEST);
    } else if (by_date) {
        bool newest = request.sort == CX_SORT_NEWEST;
        date_key.add_value(schema::kDateSlot, newest, newest ? "" : "~");
        enquire.set_sort_by_key_then_relevance(&date_key, false);
    }
    size_t page_end = size_t(request.offset) + request.limit;
    size_t depth = std::max(page_end, kRescoreDepth);
    Xapian::MSet mset = enquire.get_mset(0, depth, page_end + kCheckPastPage);
    results.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    uint64_t matched = mset.get_matches_estimated();
    if (request.facets && !(results.total_exact && mset.size() == matched)) {
        // Not for several indexes: a remote shard has no value streams to build the table
        // from, and a shard's Document knows only its number there. Each counts its own
        // releases from their values (FacetSpy's serialise_results, for a remote one).
        bool sharded = !handle->shards.empty();
        if (!handle->facets && !sharded) handle->facets = std::make_shared<cxapian::FacetTable>(db);
        // Facets count the whole match: a second pass over every matching release, without
        // weights (BoolWeight) and without ranking, so the ranked match above keeps its early
        // termination. Its count is exact.
        cxapian::FacetSpy spy(sharded ? nullptr : handle->facets.get());
        Xapian::Enquire counting(db);
        counting.set_query(built.query);
        counting.set_weighting_scheme(Xapian::BoolWeight());
        counting.set_docid_order(Xapian::Enquire::DONT_CARE);
        counting.add_matchspy(&spy);
        matched = counting.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
        results.total_exact = true;
        results.add_facets(spy);
    } else if (request.facets) {
        // A small match: every release of it is in `mset` already.
        cxapian::FacetSpy spy(nullptr);
        for (auto it = mset.begin(); it != mset.end(); ++it) spy(it.get_document(), 0);
        results.add_facets(spy);
    }

    // The releases ranked below: the match's, except for the oldest first over remote shards.
    // There the match orders by the date slot itself, where a release without a date sorts
    // first: when it holds undated releases and not the whole match, dated releases may have
    // been left out of it, so they are matched on their own (in order of date), and the
    // undated ones it holds (the best by relevance) come after them.
    struct Matched {
        Xapian::docid docid;
        double weight;
        Xapian::Document document;
    };
    std::vector<Matched> matches;
    Xapian::MSet dated;
    bool undated_first = by_date && remote && request.sort == CX_SORT_OLDEST && mset.size() < mset.get_matches_upper_bound() &&
                         !mset.empty() && mset.begin().get_document().get_value(schema::kDateSlot).empty();
    if (undated_first) {
        Xapian::Enquire oldest(db);
        oldest.set_query(Xapian::Query(Xapian::Query::OP_FILTER, built.query,
                                       Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, "0")));
        oldest.set_weighting_scheme(Xapian::BM25Weight(kBM25K1, 0, 1, kBM25B, 0.5));
        oldest.set_sort_by_value_then_relevance(schema::kDateSlot, false);
        dated = oldest.get_mset(0, depth);
        for (auto it = dated.begin(); it != dated.end(); ++it) matches.push_back({*it, it.get_weight(), it.get_document()});
    }
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Xapian::Document document = it.get_document();
        if (undated_first && !document.get_value(schema::kDateSlot).empty()) continue;  // in `dated`
        matches.push_back({*it, it.get_weight(), std::move(document)});
    }

    std::vector<Candidate> candidates;
    candidates.reserve(matches.size());
    cxapian::PassageScorer scorer(db, mset, built);
    double words = 0, passages = 0;
    for (const Matched &match : matches) {
        Candidate candidate;
        candidate.document = match.document;
        candidate.docid = match.docid;
        if (!schema::decode_passage_table(candidate.document.get_value(schema::kPassagesSlot), &candidate.table,
                                          &candidate.title_words, &candidate.date) ||
            candidate.table.empty())
            throw Xapian::DocNotFoundError("a release's passage table cannot be read");
        for (const auto &p : candidate.table)
            if (p.last_position >= p.first_position) words += p.last_position - p.first_position + 1;
        passages += candidate.table.size();
        candidates.push_back(std::move(candidate));
    }
    // Passages are judged against the mean passage of the matching releases, as BM25 judges
    // a document against the collection's mean: a long passage that lists everything (an
    // index page quoting every description) does not outweigh the one that answers.
    double mean_length = passages > 0 ? words / passages : 0;
    // The passages that answer are found in the releases that could make the page, best
    // first: a release whose score with the most its passages could give (PassageScorer::bound,
    // the exact form's share included) stays below the page's last score is left unread, its
    // positions unread (two block reads a word). Listing every passage, or a page by date,
    // needs every release's passages. Over remote shards, which send posting lists whole, every
    // position list is read at once instead (a message to each shard, not one per word and
    // release), and every release is scored.
    bool every = request.all_passages || by_date || remote;
    if (remote) {
        std::vector<std::pair<Xapian::docid, const std::vector<schema::StoredPassage> *>> releases;
        for (size_t i = 0; i < matches.size(); ++i) releases.emplace_back(matches[i].docid, &candidates[i].table);
        scorer.prefetch_remote_positions(std::move(releases), [handle](const std::vector<std::pair<Xapian::docid, std::string>> &wanted,
                                                                       cxapian::PassageScorer::Positions &read) {
            cxapian::read_remote_positions(handle, wanted, read);
        });
    } else {
        std::vector<Xapian::docid> releases;
        for (const Matched &match : matches) releases.push_back(match.docid);
        scorer.find_words(std::move(releases));
    }
    std::vector<double> upper(candidates.size());
    std::vector<size_t> by_upper(candidates.size());
    size_t index = 0;
    for (const Matched &match : matches) {
        Candidate &candidate = candidates[index];
        // A query word counts in one language of a release, its best (PassageScorer::repeated).
        candidate.score = std::max(0.0, match.weight - scorer.repeated(candidate.docid, kBM25K1, kBM25B));
        double most = every ? HUGE_VAL : scorer.bound(candidate.docid, candidate.table, mean_length);
        upper[index] = candidate.score + kPassageWeight * (1 + kExactShare) * most;
        by_upper[index] = index;
        ++index;
    }
    std::stable_sort(by_upper.begin(), by_upper.end(), [&](size_t a, size_t b) { return upper[a] > upper[b]; });
    // The page's scores so far, lowest first once there are page_end of them.
    std::vector<double> page;
    for (size_t i : by_upper) {
        Candidate &candidate = candidates[i];
        if (page_end > 0 && page.size() >= page_end && upper[i] < page.front()) break;
        candidate.evidence = scorer.evidence(candidate.docid, candidate.table, mean_length, candidate.title_words);
        if (candidate.evidence.matching == 0) candidate.evidence.best = opening(candidate.table, built.languages);
        candidate.score += kPassageWeight * candidate.evidence.best_score;
        page.push_back(candidate.score);
        std::push_heap(page.begin(), page.end(), std::greater<double>());
        if (page.size() > page_end) {
            std::pop_heap(page.begin(), page.end(), std::greater<double>());
            page.pop_back();
        }
    }
    // A release left unread keeps its match's weight, below the page; it shows its opening if
    // a later page reaches it (a new search, which reads it).
    for (Candidate &candidate : candidates)
        if (candidate.evidence.scores.empty()) candidate.evidence.best = opening(candidate.table, built.languages);
    // Exact forms are looked for in the best passages of the releases that could make the
    // page: reading a release's text costs more than its positions.
    if (kExactShare > 0 && !typed.empty() && page_end > 0 && !candidates.empty() && !by_date) {
        std::vector<size_t> order(candidates.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return candidates[a].score > candidates[b].score; });
        // A candidate gains at most kExactShare of its passage score: those that cannot reach
        // the page's last score with it are not read.
        for (size_t rank = 0; rank < order.size(); ++rank) {
            Candidate &c = candidates[order[rank]];
            if (c.evidence.best_score <= 0) continue;
            size_t last = std::min(page_end, order.size()) - 1;
            double bar = candidates[order[last]].score;
            if (rank > last && c.score + kPassageWeight * kExactShare * c.evidence.best_score < bar) continue;
            read_release(c, handle, codec);
            c.score += kPassageWeight * kExactShare * c.evidence.shown_score *
                       exact(c.release.passages[c.evidence.best].text, typed);
        }
    }
    if (by_date) {
        bool newest = request.sort == CX_SORT_NEWEST;
        std::stable_sort(candidates.begin(), candidates.end(), [newest](const Candidate &a, const Candidate &b) {
            if (a.date != b.date) {
                if (a.date.empty() || b.date.empty()) return b.date.empty();
                return newest ? a.date > b.date : a.date < b.date;
            }
            return a.score > b.score;
        });
    } else {
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const Candidate &a, const Candidate &b) { return a.score > b.score; });
    }

    std::unique_ptr<cxapian::Highlighter> highlighter;
    if (request.highlight && !candidates.empty() && !built.query.empty() && !text.empty())
        highlighter.reset(new cxapian::Highlighter(db, mset, built.query, text));
    // Read by results.add while this search fills the page, not after.
    results.translated = built.translated.empty() ? nullptr : &built.translated;
    if (!request.all_passages) {
        results.estimated = matched;
        for (size_t i = request.offset; i < std::min(page_end, candidates.size()); ++i) {
            Candidate &c = candidates[i];
            read_release(c, handle, codec);
            if (c.evidence.matching == 0 && highlighter) c.evidence.best = highlighted(c.release, built.languages, *highlighter);
            uint32_t more = c.evidence.matching > 0 ? uint32_t(c.evidence.matching - 1) : 0;
            results.add(c, c.evidence.best, c.score, more, highlighter.get());
        }
        return;
    }
    // Every matching passage, release by release in their order, the best first in each (the
    // one the release shows, at the release's score; the others below it by what they answer
    // less).
    struct Listed { size_t candidate, passage; double weight; };
    std::vector<Listed> listed;
    for (size_t i = 0; i < candidates.size() && listed.size() < page_end; ++i) {
        const Candidate &c = candidates[i];
        std::vector<Listed> own;
        double shown = c.evidence.scores.empty() ? 0 : c.evidence.scores[c.evidence.best];
        for (size_t p = 0; p < c.evidence.scores.size(); ++p) {
            double passage = c.evidence.scores[p];
            if (passage > 0 || (c.evidence.matching == 0 && p == c.evidence.best))
                own.push_back({i, p, c.score - kPassageWeight * (shown - passage)});
        }
        std::stable_sort(own.begin(), own.end(), [](const Listed &a, const Listed &b) { return a.weight > b.weight; });
        listed.insert(listed.end(), own.begin(), own.end());
    }
    // Every release read: the count is exact. Otherwise each unread release has one at least.
    size_t counted = 0;
    for (const Candidate &c : candidates) counted += std::max<size_t>(c.evidence.matching, 1);
    results.estimated = counted + (matched - candidates.size());
    results.total_exact = results.total_exact && candidates.size() == matched;
    for (size_t i = request.offset; i < std::min(page_end, listed.size()); ++i) {
        Candidate &c = candidates[listed[i].candidate];
        read_release(c, handle, codec);
        // The same passage as without --all-passages, for a release no word position places.
        if (c.evidence.matching == 0 && highlighter) listed[i].passage = highlighted(c.release, built.languages, *highlighter);
        results.add(c, listed[i].passage, listed[i].weight, 0, highlighter.get());
    }
}


}  // namespace

extern "C" {

cx_status cx_search(cx_database *db, const cx_search_request *request, cx_results **out, cx_error *error) {
    if (out) *out = nullptr;
    std::unique_ptr<cx_results> results;
    try {
        if (!db || !request || !out) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        if (!request->query && request->query_len) return fail(error, CX_INVALID_ARGUMENT, "no query text");
        std::vector<std::string> languages = cxapian::requested_languages(request->languages);
        // `date:` ranges leave the text for a filter (asking.h), as --since and --until.
        cxapian::DateBounds dates;
        std::string words = cxapian::take_date_filters(cxapian::bytes(request->query, request->query_len), &dates);
        // --since and --until come as days already (cx_date_bounds read them).
        cxapian::DateBounds asked;
        if (request->since) asked.low = request->since;
        if (request->until) asked.high = request->until;
        for (const std::string *day : {&asked.low, &asked.high})
            if (!day->empty() && (day->size() != 8 || day->find_first_not_of("0123456789") != std::string::npos))
                return fail(error, CX_INVALID_ARGUMENT, "--since and --until take days as YYYYMMDD: " + *day);
        dates.narrow(asked);
        cx_search_request own = *request;
        own.query = words.data();
        own.query_len = words.size();
        request = &own;
        const std::string prepared = cxapian::prepare_query_text(words.data(), words.size());
        // A writer committing while we read: search again at its latest commit (the one
        // retry, internal.h). A search never fails because the index is being written.
        auto search = [&] { return cxapian::retrying_modified([&] {
            std::unique_ptr<cx_results> found(new cx_results());
            const std::string text = cxapian::with_synonyms(db, prepared);
            try {
                search_once(db, *request, languages, text, dates, *found);
                // Xapian reads an unclosed quote as a phrase to the end of the query, which
                // rarely matches: a user who typed `"unclosed osaka` wants the words.
                if (found->hits.empty() && request->offset == 0 && cxapian::unbalanced(text)) {
                    found.reset(new cx_results());
                    search_once(db, *request, languages, cxapian::words_only(text), dates, *found);
                    found->fell_back = true;
                }
            } catch (const Xapian::DocNotFoundError &e) {
                // A release the match found was replaced by a writer before it was read, or
                // its passage table or data read empty (the stress test met both, about once
                // in 2,000 searches while a writer commits): damage unless a newer commit
                // shows the index moved under the search (retrying_modified decides).
                throw Xapian::DatabaseCorruptError(e.get_msg());
            }
            return found.release();
        }, [db] { return cxapian::reopen_reader(db); }); };
        results.reset(cxapian::losing_shards(db, search));
        *out = results.release();
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

size_t cx_results_count(const cx_results *results) { return results ? results->hits.size() : 0; }
uint64_t cx_results_estimated(const cx_results *results) { return results ? results->estimated : 0; }
int cx_results_fell_back(const cx_results *results) { return results && results->fell_back; }
int cx_results_total_exact(const cx_results *results) { return results && results->total_exact; }
size_t cx_results_facet_count(const cx_results *results) { return results ? results->facets.size() : 0; }

void cx_results_facet(const cx_results *results, size_t index, const char **field, const char **value,
                      size_t *value_len, uint64_t *releases) {
    bool ok = results && index < results->facets.size();
    if (field) *field = ok ? results->facets[index].field.c_str() : "";
    if (value) *value = ok ? results->facets[index].value.data() : "";
    if (value_len) *value_len = ok ? results->facets[index].value.size() : 0;
    if (releases) *releases = ok ? results->facets[index].releases : 0;
}

const char *cx_results_translated_from(const cx_results *results) {
    return results ? results->translated_from.c_str() : "";
}

const cx_hit *cx_results_hit(const cx_results *results, size_t index) {
    if (!results || index >= results->hits.size()) return nullptr;
    return &results->hits[index].hit;
}

void cx_results_free(cx_results *results) { delete results; }

}  // extern "C"
