// Searching: one query per language, each with its own stemmer and stop list and filtered to
// that language's passages, OR-ed into one BM25 match (as Cyrus IMAP does), collapsed on the
// release key, with highlights from Xapian's snippet generator mapped back to the original
// (unfolded) passage text.
#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <sstream>

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

// The query's words alone, for when the QueryParser rejects the syntax.
std::string words_only(const std::string &query) {
    std::string words;
    for (Xapian::Utf8Iterator it(query); it != Xapian::Utf8Iterator(); ++it) {
        unsigned ch = *it;
        if (Xapian::Unicode::is_wordchar(ch)) Xapian::Unicode::append_utf8(words, ch);
        else words.push_back(' ');
    }
    return words;
}

// Lowercases the query's words but not its operators. The QueryParser's STEM_SOME leaves
// capitalised words unstemmed (to spare proper names), but German capitalises every noun:
// "Firmengründung" must find "Firmengründungen" as Elasticsearch or Recoll would.
std::string lowercase_words(const std::string &query) {
    static const char *const kOperators[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
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
        bool is_operator = false;
        for (const char *op : kOperators) is_operator = is_operator || word == op;
        out += is_operator ? word : Xapian::Unicode::tolower(word);
    }
    return out;
}

// True when every word of the query is a stopword of the language (and there is one).
bool only_stopwords(const std::string &query, const Xapian::Stopper &stopper) {
    bool any = false;
    std::string word;
    Xapian::Utf8Iterator it(query), end;
    for (;; ++it) {
        if (it != end && Xapian::Unicode::is_wordchar(*it)) {
            Xapian::Unicode::append_utf8(word, *it);
            continue;
        }
        if (!word.empty()) {
            if (!stopper(word)) return false;
            any = true;
            word.clear();
        }
        if (it == end) break;
    }
    return any;
}

Xapian::Query parse_for_language(const Xapian::Database &db, const std::string &lang,
                                 const std::string &query, bool *fell_back) {
    Xapian::QueryParser parser;
    parser.set_database(db);
    parser.set_default_op(Xapian::Query::OP_OR);
    parser.add_prefix("title", cxapian::kTitlePrefix);
    parser.add_boolean_prefix("lang", cxapian::kLanguagePrefix);
    parser.set_max_expansion(200, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    std::string name = cxapian::snowball_name(lang);
    if (!name.empty()) {
        parser.set_stemmer(Xapian::Stem(name));
        parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        parser.set_stopper(cxapian::stopper_for(lang));
    } else {
        parser.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    }
    if (!name.empty() && only_stopwords(query, *cxapian::stopper_for(lang))) {
        // "über", "die": the QueryParser would search their stemmed forms, which the index
        // leaves out for stopwords; their unstemmed, positional terms are there, so use them.
        parser.set_stopper(nullptr);
        parser.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    }
    Xapian::Query parsed;
    try {
        parsed = parser.parse_query(query, kParserFlags);
    } catch (const Xapian::QueryParserError &) {
        *fell_back = true;
        parsed = parser.parse_query(words_only(query), 0);
    }
    return parsed;
}

Xapian::Query build_query(const Xapian::Database &db, const std::string &folded_query,
                          const std::vector<std::string> &languages, bool *fell_back) {
    std::vector<Xapian::Query> branches;
    for (const auto &lang : languages) {
        std::string language_term = cxapian::kLanguagePrefix + lang;
        if (db.get_termfreq(language_term) == 0) continue;  // nothing of that language indexed
        Xapian::Query parsed = parse_for_language(db, lang, folded_query, fell_back);
        if (parsed.empty()) continue;
        branches.emplace_back(Xapian::Query::OP_FILTER, parsed, Xapian::Query(language_term));
    }
    return Xapian::Query(Xapian::Query::OP_OR, branches.begin(), branches.end());
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
                Xapian::MSet mset = enquire.get_mset(request->offset, request->limit,
                                                     request->offset + request->limit + 100);
                results->estimated = mset.get_matches_estimated();
                std::map<std::string, Xapian::Stem> stemmers;
                for (auto it = mset.begin(); it != mset.end(); ++it) {
                    Xapian::Document doc = it.get_document();
                    results->hits.emplace_back();
                    StoredHit &stored = results->hits.back();
                    stored.text = doc.get_data();
                    stored.key = doc.get_value(cxapian::kReleaseSlot);
                    stored.info = doc.get_value(cxapian::kInfoSlot);
                    stored.lang = doc.get_value(cxapian::kLanguageSlot);
                    if (request->highlight) {
                        auto found = stemmers.find(stored.lang);
                        if (found == stemmers.end()) {
                            std::string name = cxapian::snowball_name(stored.lang);
                            found = stemmers.emplace(stored.lang, name.empty() ? Xapian::Stem() : Xapian::Stem(name)).first;
                        }
                        stored.highlights = highlight(mset, stored.text, found->second);
                    }
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
