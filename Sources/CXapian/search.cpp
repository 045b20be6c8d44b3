// Searching: one query per language, each with its own stemmer and stop list and in that
// language's own term space, OR-ed into one BM25 match (as Cyrus IMAP does), collapsed on the
// release key, with highlights from Xapian's snippet generator mapped back to the original
// (unfolded) passage text.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <map>
#include <sstream>
#include <unordered_map>

#include "internal.h"

using cxapian::fail;
using cxapian::translate_exception;

namespace {

constexpr int kModifiedRetries = 5;

const unsigned kParserFlags =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT;

struct StoredHit {
    std::string text, key, info, lang;
    std::vector<uint32_t> highlights;
    cx_hit hit{};
};

std::vector<std::string> requested_languages(const char *csv) {
    std::vector<std::string> languages;
    if (!csv || !*csv) return cxapian::all_languages();
    std::stringstream stream(csv);
    std::string code;
    while (std::getline(stream, code, ',')) {
        const auto &known = cxapian::all_languages();
        if (std::find(known.begin(), known.end(), code) == known.end())
            throw Xapian::InvalidArgumentError("unknown language code: " + code);
        languages.push_back(code);
    }
    return languages;
}

// The QueryParser's boolean operators, as typed (upper case); lowercase_words keeps them so.
bool is_operator(const std::string &word) {
    static const char *const kOperators[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
    for (const char *op : kOperators)
        if (word == op) return true;
    return false;
}

// The query's words alone, for when the QueryParser rejects the syntax: the operators go too,
// so `partnership AND (` searches "partnership", not the word "and" as well.
std::string words_only(const std::string &query) {
    std::string words;
    cxapian::each_word(query, [&words](const std::string &word) {
        if (!is_operator(word)) words += word + " ";
        return true;
    });
    return words;
}

// Hidden fields that a wildcard's word is moved into (see lowercase_words): the index holds
// stems only, under "Z" and the language's prefix, so `partner*` must expand over those
// terms, which a field prefix of "Z" does in English ("ZF" in French); `title:partner*`
// expands over "ZS" ("ZFS").
constexpr const char *kWildcardField = "zzwildcard";
constexpr const char *kTitleWildcardField = "zzwildcardtitle";

// Lowercases the query's words but not its operators, since German capitalises every noun
// and "Firmengründung" must be stemmed like "firmengründung". A word that ends in `*` moves
// into a hidden wildcard field (kWildcardField).
std::string lowercase_words(const std::string &query) {
    std::string out;
    out.reserve(query.size());
    Xapian::Utf8Iterator it(query), end;
    while (it != end) {
        if (!Xapian::Unicode::is_wordchar(*it)) {
            Xapian::Unicode::append_utf8(out, *it);
            ++it;
            continue;
        }
        std::string word;
        while (it != end && Xapian::Unicode::is_wordchar(*it)) {
            Xapian::Unicode::append_utf8(word, *it);
            ++it;
        }
        bool an_operator = is_operator(word);
        if (!an_operator && it != end && *it == '*') {
            const std::string title = "title:";
            bool after_title = out.size() >= title.size() &&
                               out.compare(out.size() - title.size(), title.size(), title) == 0;
            bool after_other_field = !after_title && !out.empty() && out.back() == ':';
            if (after_title) {
                out.resize(out.size() - title.size());
                out += std::string(kTitleWildcardField) + ":";
            } else if (!after_other_field) {
                out += std::string(kWildcardField) + ":";
            }
        }
        out += an_operator ? word : Xapian::Unicode::tolower(word);
    }
    return out;
}

// True when every word of the query is a stopword of the language (and there is one).
bool only_stopwords(const std::string &query, const Xapian::Stopper &stopper) {
    bool any = false, all = true;
    cxapian::each_word(query, [&](const std::string &word) {
        any = true;
        all = stopper(word);
        return all;
    });
    return any && all;
}

// `for_highlights`: the query in the form MSet::snippet can highlight, which compares a
// phrase's terms and a wildcard's pattern with the text's plain words only: STEM_SOME
// (loose words as stems, phrases as typed) and wildcards over plain words. It is never run,
// only handed to the snippet generator.
Xapian::Query parse_for_language(const Xapian::Database &db, const std::string &lang,
                                 const std::string &query, bool *fell_back,
                                 bool for_highlights = false) {
    Xapian::QueryParser parser;
    parser.set_database(db);
    parser.set_default_op(Xapian::Query::OP_OR);
    // The language's own term space (see language_term_prefix): the prefix of words without
    // a field, and of the title's. The snippet generator knows neither.
    std::string language = for_highlights ? "" : cxapian::language_term_prefix(lang);
    parser.add_prefix("title", language + cxapian::kTitlePrefix);
    parser.add_boolean_prefix("lang", cxapian::kLanguagePrefix);
    parser.set_max_expansion(200, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    // The index holds stems only, under "Z" (see generator_for in database.cpp).
    std::string stem_prefix = for_highlights ? "" : "Z" + language;
    parser.add_prefix(kWildcardField, stem_prefix);
    parser.add_prefix(kTitleWildcardField, stem_prefix + cxapian::kTitlePrefix);
    parser.set_stemmer(Xapian::Stem(cxapian::stemmer_name(lang)));
    parser.set_stemming_strategy(for_highlights ? Xapian::QueryParser::STEM_SOME
                                                : Xapian::QueryParser::STEM_ALL_Z);
    // Stopwords are dropped from the query (they are indexed, for phrases)...
    parser.set_stopper(cxapian::query_stopper_for(lang));
    // ...unless there is nothing else: "über", "die" are searched for themselves.
    const Xapian::Stopper *own = cxapian::stopper_for(lang);
    if (!own || only_stopwords(query, *own)) parser.set_stopper(nullptr);
    Xapian::Query parsed;
    try {
        parsed = parser.parse_query(query, kParserFlags, language);
    } catch (const Xapian::QueryParserError &) {
        *fell_back = true;
        parsed = parser.parse_query(words_only(query), 0, language);
    }
    return parsed;
}

bool matches_all(const Xapian::Query &query) {
    if (query.get_type() == Xapian::Query::LEAF_MATCH_ALL) return true;
    for (size_t i = 0; i < query.get_num_subqueries(); ++i)
        if (matches_all(query.get_subquery(i))) return true;
    return false;
}

// True when `query` can match a passage by something other than its language's own terms:
// everything (a pure NOT: `NOT partnership`) or a `lang:` filter alone. Every other query
// matches only passages of the language it was parsed for (see language_term_prefix).
bool reaches_other_languages(const Xapian::Query &query) {
    const std::string language_filter = cxapian::kLanguagePrefix;
    for (auto term = query.get_unique_terms_begin(); term != query.get_unique_terms_end(); ++term)
        if ((*term).compare(0, language_filter.size(), language_filter) == 0) return true;
    return matches_all(query);
}

// BM25's weight for a term held by `termfreq` of `documents` documents, as Xapian's
// BM25Weight computes it (without relevance feedback).
double bm25_idf(double documents, double termfreq) {
    double ratio = (documents - termfreq + 0.5) / (termfreq + 0.5);
    if (ratio < 2) ratio = ratio * 0.5 + 1;
    return std::log(ratio);
}

// What a stemmed term of `prefix`'s language weighs against what the same stem weighs across
// all languages: BM25 takes a word's rarity from its own term, which in a language's term
// space counts that language's passages only, and "Bibliothek", rare in English passages,
// put an English release quoting it before every German one. This factor gives each term
// the weight of the stem's rarity in the whole index, as one shared term space would.
double shared_rarity(const Xapian::Database &db, const std::string &term, const std::string &prefix) {
    std::string own = "Z" + prefix;
    if (term.compare(0, own.size(), own) != 0) return 1.0;  // not a stem of this language
    Xapian::doccount termfreq = db.get_termfreq(term);
    if (termfreq == 0) return 1.0;  // matches nothing
    std::string stem = term.substr(own.size());
    Xapian::doccount everywhere = 0;
    for (const auto &lang : cxapian::all_languages())
        everywhere += db.get_termfreq("Z" + cxapian::language_term_prefix(lang) + stem);
    double documents = db.get_doccount();
    return bm25_idf(documents, everywhere) / bm25_idf(documents, termfreq);
}

// `query` with each term weighted by shared_rarity. Xapian 1.4 does not show the window of a
// phrase or NEAR, so those are scaled whole, by their terms' mean factor; wildcards expand
// during the match and keep their own weights.
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

// `parsed` restricted to the passages of `lang`, for the queries that reach further
// (reaches_other_languages).
Xapian::Query only_language(const Xapian::Query &parsed, const std::string &lang) {
    return Xapian::Query(Xapian::Query::OP_FILTER, parsed, Xapian::Query(cxapian::kLanguagePrefix + lang));
}

Xapian::Query build_query(const Xapian::Database &db, const std::string &folded_query,
                          const std::vector<std::string> &languages, bool *fell_back,
                          bool for_highlights = false) {
    std::vector<Xapian::Query> branches;
    for (const auto &lang : languages) {
        if (db.get_termfreq(cxapian::kLanguagePrefix + lang) == 0) continue;  // none indexed
        Xapian::Query parsed = parse_for_language(db, lang, folded_query, fell_back, for_highlights);
        if (parsed.empty()) continue;
        // Highlighting reads no weights.
        if (!for_highlights) parsed = with_shared_rarity(db, parsed, cxapian::language_term_prefix(lang));
        branches.push_back(reaches_other_languages(parsed) ? only_language(parsed, lang) : parsed);
    }
    return Xapian::Query(Xapian::Query::OP_OR, branches.begin(), branches.end());
}

// The query's words without its phrases: quotes dropped, and hyphens between letters, which
// the QueryParser also reads as phrases ("Coaching-Training"). For highlighting a passage
// that matched a phrase in another inflection ("successful partnerships" for "successful
// partnership"), which MSet::snippet only recognises word for word.
std::string without_phrases(const std::string &query) {
    std::string out = query;
    for (size_t i = 0; i < out.size(); ++i) {
        bool joins_words = out[i] == '-' && i > 0 && i + 1 < out.size() &&
                           out[i - 1] != ' ' && out[i + 1] != ' ';
        if (out[i] == '"' || joins_words) out[i] = ' ';
    }
    return out;
}

// True when the query has a phrase (typed in quotes, or words joined by hyphens) or a
// wildcard: the parts MSet::snippet cannot highlight in a stems-only query.
bool has_phrase_or_wildcard(const Xapian::Query &query) {
    auto type = query.get_type();
    if (type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_WILDCARD) return true;
    for (size_t i = 0; i < query.get_num_subqueries(); ++i)
        if (has_phrase_or_wildcard(query.get_subquery(i))) return true;
    return false;
}

// Length of an XML entity at marked[j] and the character it stands for (snippet() escapes
// &, < and >); 0 when it is not one.
size_t entity_at(const std::string &marked, size_t j, char *ch) {
    static const std::pair<const char *, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    for (const auto &entity : kEntities) {
        size_t n = std::strlen(entity.first);
        if (marked.compare(j, n, entity.first) == 0) { *ch = entity.second; return n; }
    }
    return 0;
}

// Runs Xapian's snippet generator over the folded passage with control-character markers,
// then walks the marked text and the folded text side by side to turn the markers into byte
// ranges of the original text. Any mismatch gives no highlights rather than wrong ones.
std::vector<uint32_t> highlight(const Xapian::MSet &mset, const std::string &text,
                                const Xapian::Stem &stemmer) {
    std::vector<uint32_t> map;
    std::string folded = cxapian::fold(text.data(), text.size(), &map);
    std::string marked = mset.snippet(folded, folded.size() + 64, stemmer,
                                      Xapian::MSet::SNIPPET_EXHAUSTIVE, "\x01", "\x02", "");
    std::vector<uint32_t> ranges;
    size_t f = 0;
    uint32_t start = 0;
    bool open = false;
    for (size_t j = 0; j < marked.size(); ++j) {
        char c = marked[j];
        if (c == '\x01') { start = map[f]; open = true; continue; }
        if (c == '\x02') {
            if (open && map[f] > start) { ranges.push_back(start); ranges.push_back(map[f]); }
            open = false;
            continue;
        }
        if (c == '&') {
            char ch;
            if (size_t n = entity_at(marked, j, &ch)) { c = ch; j += n - 1; }
        }
        if (f >= folded.size() || folded[f] != c) return {};
        ++f;
    }
    return ranges;
}

// A Snowball stemmer that remembers its answers. The snippet generator stems every word of
// every passage it highlights, which was half of its time, and the words of passages repeat
// from hit to hit and query to query. Not thread-safe, like any Xapian object: one per
// thread (see Highlighter::stemmer_for). Forgets everything once it holds kLimit words.
class RememberingStemmer : public Xapian::StemImplementation {
  public:
    explicit RememberingStemmer(const std::string &name) : stem_(name) {}

    std::string operator()(const std::string &word) override {
        auto found = stems_.find(word);
        if (found != stems_.end()) return found->second;
        if (stems_.size() >= kLimit) stems_.clear();
        return stems_.emplace(word, stem_(word)).first->second;
    }

    std::string get_description() const override { return "remembering " + stem_.get_description(); }

  private:
    static constexpr size_t kLimit = 100000;
    Xapian::Stem stem_;
    std::unordered_map<std::string, std::string> stems_;
};

// Highlights for the hits of one match: Xapian's snippet generator over each passage, given
// the query of the passage's language only (a German stem of the query must not light up an
// English passage: "the" is a word in German queries, a stopword in English ones). The
// generator knows stems as "Z" and the stem, without a language's prefix, and matches
// phrases and wildcards word for word only, so it is handed the query in that form
// (parse_for_language's for_highlights) rather than the match's own, except for one English
// query without either; a passage that matched a phrase in another inflection ("successful
// partnerships" for "successful partnership") then gets the phrase's words highlighted one
// by one.
class Highlighter {
  public:
    // `wanted` false: ranges() is not called, and nothing is prepared.
    Highlighter(bool wanted, const Xapian::Database &db, const Xapian::MSet &mset,
                const Xapian::Query &query, const std::string &folded_query,
                const std::vector<std::string> &languages)
        : db_(db), folded_query_(folded_query), match_(mset),
          rewritten_(wanted && !mset.empty() && has_phrase_or_wildcard(query)),
          match_highlights_(languages.size() == 1 && cxapian::language_term_prefix(languages[0]).empty()) {}

    std::vector<uint32_t> ranges(const std::string &text, const std::string &lang) {
        const Xapian::Stem &stemmer = stemmer_for(lang);
        // One language searched, whose terms the snippet generator knows (no language
        // prefix), and no rewriting: the match's own MSet is that language's.
        const Xapian::MSet &exact = match_highlights_ && !rewritten_
                                        ? match_
                                        : snippet_mset(exact_, lang, folded_query_);
        std::vector<uint32_t> found = highlight(exact, text, stemmer);
        if (!found.empty() || !rewritten_) return found;
        return highlight(snippet_mset(loose_, lang, without_phrases(folded_query_)), text, stemmer);
    }

  private:
    // An empty MSet of `text` parsed in `lang`, built once per language into `cache`: never
    // matched, only read by the snippet generator.
    const Xapian::MSet &snippet_mset(std::map<std::string, Xapian::MSet> &cache, const std::string &lang,
                                     const std::string &text) {
        auto found = cache.find(lang);
        if (found != cache.end()) return found->second;
        bool ignored = false;
        Xapian::Enquire words(db_);
        words.set_query(build_query(db_, text, {lang}, &ignored, true));
        return cache.emplace(lang, words.get_mset(0, 0)).first->second;
    }

    // One remembering stemmer per language and thread, kept from query to query.
    static const Xapian::Stem &stemmer_for(const std::string &lang) {
        thread_local std::map<std::string, Xapian::Stem> stemmers;
        auto found = stemmers.find(lang);
        if (found == stemmers.end()) {
            found = stemmers.emplace(lang, Xapian::Stem(new RememberingStemmer(cxapian::stemmer_name(lang)))).first;
        }
        return found->second;
    }

    const Xapian::Database &db_;
    const std::string &folded_query_;
    const Xapian::MSet &match_;
    bool rewritten_;
    bool match_highlights_;
    std::map<std::string, Xapian::MSet> exact_, loose_;
};

// Splits a passage's document data (see kDataSeparator) into the hit's fields.
bool split_data(const std::string &data, StoredHit *stored) {
    size_t lang_end = data.find(cxapian::kDataSeparator);
    if (lang_end == std::string::npos) return false;
    size_t info_end = data.find(cxapian::kDataSeparator, lang_end + 1);
    if (info_end == std::string::npos) return false;
    stored->lang.assign(data, 0, lang_end);
    stored->info.assign(data, lang_end + 1, info_end - lang_end - 1);
    stored->text.assign(data, info_end + 1, std::string::npos);
    return true;
}

}  // namespace

struct cx_results {
    std::deque<StoredHit> hits;  // a deque: pointers into earlier hits stay valid
    uint64_t estimated = 0;
    bool fell_back = false;
};

extern "C" {

cx_status cx_search(cx_database *db, const cx_search_request *request, cx_results **out,
                    cx_error *error) {
    if (out) *out = nullptr;
    cx_results *results = nullptr;
    try {
        if (!db || !request || !out) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        if (!request->query && request->query_len)
            return fail(error, CX_INVALID_ARGUMENT, "no query text");
        std::vector<std::string> languages = requested_languages(request->languages);
        std::string folded_query = lowercase_words(cxapian::fold(request->query, request->query_len));
        for (int attempt = 0;; ++attempt) {
            try {
                results = new cx_results();
                Xapian::Database &database = *db->database;
                Xapian::Query query = build_query(database, folded_query, languages, &results->fell_back);
                Xapian::Enquire enquire(database);
                enquire.set_query(query);
                enquire.set_weighting_scheme(Xapian::BM25Weight());
                if (request->collapse) enquire.set_collapse_key(cxapian::kReleaseSlot, 1);
                // 100 matches checked past the page make small counts exact ("1 of 3 matches",
                // not "about 6" on the sample corpus; with collapsing, a large index's count
                // stays Xapian's estimate). It costs a collapse-key lookup per
                // match checked, about a tenth of a batch's time; one past the page would do
                // for paging alone.
                Xapian::MSet mset = enquire.get_mset(request->offset, request->limit,
                                                     request->offset + request->limit + 100);
                results->estimated = mset.get_matches_estimated();
                Highlighter highlighter(request->highlight, database, mset, query, folded_query, languages);
                for (auto it = mset.begin(); it != mset.end(); ++it) {
                    Xapian::Document doc = it.get_document();
                    results->hits.emplace_back();
                    StoredHit &stored = results->hits.back();
                    if (!split_data(doc.get_data(), &stored))
                        throw Xapian::DatabaseCorruptError("passage data without its fields");
                    // A collapsed hit carries its release key; otherwise read the value.
                    stored.key = request->collapse ? it.get_collapse_key()
                                                   : doc.get_value(cxapian::kReleaseSlot);
                    if (request->highlight) stored.highlights = highlighter.ranges(stored.text, stored.lang);
                    cx_hit &hit = stored.hit;
                    hit.docid = *it;
                    hit.weight = it.get_weight();
                    hit.percent = it.get_percent();
                    hit.collapse_count = it.get_collapse_count();
                    std::strncpy(hit.lang, stored.lang.c_str(), sizeof hit.lang - 1);
                    hit.text = stored.text.data();
                    hit.text_len = stored.text.size();
                    hit.release_key = stored.key.data();
                    hit.release_key_len = stored.key.size();
                    hit.info = stored.info.data();
                    hit.info_len = stored.info.size();
                    hit.highlights = stored.highlights.data();
                    hit.highlight_count = stored.highlights.size() / 2;
                }
                *out = results;
                return CX_OK;
            } catch (const Xapian::DatabaseModifiedError &) {
                // A writer committed twice while we read: start again at its latest commit.
                delete results;
                results = nullptr;
                if (attempt + 1 >= kModifiedRetries) throw;
                db->database->reopen();
            }
        }
    } catch (...) {
        delete results;
        return translate_exception(error);
    }
}

size_t cx_results_count(const cx_results *results) { return results ? results->hits.size() : 0; }
uint64_t cx_results_estimated(const cx_results *results) { return results ? results->estimated : 0; }
int cx_results_fell_back(const cx_results *results) { return results && results->fell_back; }

const cx_hit *cx_results_hit(const cx_results *results, size_t index) {
    if (!results || index >= results->hits.size()) return nullptr;
    return &results->hits[index].hit;
}

void cx_results_free(cx_results *results) { delete results; }

}  // extern "C"
