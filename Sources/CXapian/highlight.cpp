// Highlighting: Xapian's snippet generator over the folded passage, its marks mapped back to
// byte ranges of the original (unfolded) text.
#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>

#include "compounds.h"
#include "internal.h"
#include "search_parts.h"

namespace cxapian {

namespace {

// The marks handed to the snippet generator. Ingest drops control characters from release
// text (TextDecoding), but a mark is checked against the folded text all the same: a text
// holding one gets no highlights rather than wrong ones.
constexpr char kOpenMark = '\x01';
constexpr char kCloseMark = '\x02';

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

// Runs Xapian's snippet generator over the folded passage (`map`: fold's byte map back to the
// original) with the marks, then walks the marked text and the folded text side by side to
// turn the marks into byte ranges of the original text. Any mismatch gives no highlights
// rather than wrong ones.
std::vector<uint32_t> highlight(const Xapian::MSet &mset, const std::string &folded, const std::vector<uint32_t> &map,
                                const Xapian::Stem &stemmer) {
    if (folded.find(kOpenMark) != std::string::npos || folded.find(kCloseMark) != std::string::npos) return {};
    std::string marked = mset.snippet(folded, folded.size() + 64, stemmer, Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                      std::string(1, kOpenMark), std::string(1, kCloseMark), "");
    std::vector<uint32_t> ranges;
    size_t f = 0;
    uint32_t start = 0;
    bool open = false;
    for (size_t j = 0; j < marked.size(); ++j) {
        char c = marked[j];
        if (c == kOpenMark) { start = map[f]; open = true; continue; }
        if (c == kCloseMark) {
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
// thread (see stemmer_for). Forgets everything once it holds kLimit words.
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

// One remembering stemmer per language and thread, kept from query to query.
const Xapian::Stem &stemmer_for(const std::string &lang) {
    thread_local std::map<std::string, Xapian::Stem> stemmers;
    auto found = stemmers.find(lang);
    if (found == stemmers.end())
        found = stemmers.emplace(lang, Xapian::Stem(new RememberingStemmer(stemmer_name(lang)))).first;
    return found->second;
}

// The first bytes of the words a query can match, for a stemmer that skips the rest. A Snowball
// stem (English, French, German) keeps its word's first character: it cuts and rewrites
// endings, and its few rewrites near the start (English "tying" to "tie", y to Y and back,
// German umlauts, which folding has already taken off) leave the first one as it was. So a
// word can stem to a query's stem only if it opens with that stem's first byte.
struct Openings {
    std::string first;  // each term's first byte

    void add(const std::string &term) {
        if (!term.empty() && first.find(term[0]) == std::string::npos) first.push_back(term[0]);
    }
    bool may_match(const std::string &word) const { return word.empty() || first.find(word[0]) != std::string::npos; }
};

// The words of `query` that the snippet generator compares a passage's words with, in every
// form they may have there: as they are, and without a title or language prefix (upper case:
// stems are lower case). More than needed is harmless: it only stems more.
Openings openings_of(const Xapian::Query &query) {
    Openings openings;
    for (auto t = query.get_terms_begin(); t != query.get_terms_end(); ++t) {
        const std::string &term = *t;
        openings.add(term);
        size_t lowercase = 0;
        while (lowercase < term.size() && term[lowercase] >= 'A' && term[lowercase] <= 'Z') ++lowercase;
        if (lowercase > 0) openings.add(term.substr(lowercase));
    }
    return openings;
}

// A stemmer for one query's highlights: a word that cannot stem to one of the query's stems
// (Openings) is returned as it is, unstemmed, which matches no query term either; the others
// go to the language's remembering stemmer. The snippet generator stems every word of every
// passage it marks, and most of them cannot match: this was half of a highlight's time.
class QueryWordsStemmer : public Xapian::StemImplementation {
  public:
    QueryWordsStemmer(const Xapian::Stem &stemmer, Openings openings) : stem_(stemmer), openings_(std::move(openings)) {}
    std::string operator()(const std::string &word) override {
        return openings_.may_match(word) ? stem_(word) : word;
    }
    std::string get_description() const override { return "query words of " + stem_.get_description(); }

  private:
    Xapian::Stem stem_;
    Openings openings_;
};

// The German stems a compound in a passage must hold a part of to be highlighted: the
// query's words' own stems, and those of their parts.
std::vector<std::string> german_query_stems(const std::string &query_text) {
    std::vector<std::string> stems;
    const Xapian::Stem &stem = stemmer_for("de");
    auto add = [&](const std::string &word) {
        std::string s = stem(word);
        if (std::find(stems.begin(), stems.end(), s) == stems.end()) stems.push_back(s);
    };
    each_word(query_text, [&](const std::string &word) {
        add(word);
        for (const auto &part : CompoundSplitter::shared()->parts(word)) add(part);
        return true;
    });
    return stems;
}

// Byte ranges of `text` (whose folded form and byte map are given) of the compounds one of
// whose parts stems to one of `stems`: `Gründung` lights up "Firmengründung", which the
// snippet generator, matching whole words, does not.
std::vector<uint32_t> compound_ranges(const std::string &folded, const std::vector<uint32_t> &map,
                                      const std::vector<std::string> &stems) {
    std::vector<uint32_t> ranges;
    const Xapian::Stem &stem = stemmer_for("de");
    const char *base = folded.data();
    Xapian::Utf8Iterator it(folded), end;
    while (it != end) {
        if (!Xapian::Unicode::is_wordchar(*it)) { ++it; continue; }
        size_t start = it.raw() - base;
        std::string word;
        for (; it != end && Xapian::Unicode::is_wordchar(*it); ++it)
            Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(*it));
        size_t stop = it == end ? folded.size() : size_t(it.raw() - base);
        // A part stands in its compound as written, and its stem keeps its first character
        // (Openings) and, but for a rewritten ending, the next ones: a word that holds no
        // stem's first two characters holds no such part, and is not split.
        bool may_hold = std::any_of(stems.begin(), stems.end(), [&](const std::string &s) {
            return word.find(s.substr(0, 2)) != std::string::npos;
        });
        if (!may_hold) continue;
        for (const auto &part : CompoundSplitter::shared()->parts(word)) {
            if (std::find(stems.begin(), stems.end(), stem(part)) == stems.end()) continue;
            ranges.push_back(map[start]);
            ranges.push_back(map[stop]);
            break;
        }
    }
    return ranges;
}

// Two sorted lists of [start, end) pairs as one, overlaps joined.
std::vector<uint32_t> merged(const std::vector<uint32_t> &a, const std::vector<uint32_t> &b) {
    std::vector<std::pair<uint32_t, uint32_t>> pairs;
    for (size_t i = 0; i + 1 < a.size(); i += 2) pairs.emplace_back(a[i], a[i + 1]);
    for (size_t i = 0; i + 1 < b.size(); i += 2) pairs.emplace_back(b[i], b[i + 1]);
    std::sort(pairs.begin(), pairs.end());
    std::vector<uint32_t> out;
    for (const auto &pair : pairs) {
        if (!out.empty() && pair.first <= out.back()) out.back() = std::max(out.back(), pair.second);
        else { out.push_back(pair.first); out.push_back(pair.second); }
    }
    return out;
}

}  // namespace

// Per language, the never-run MSets whose queries the snippet generator reads: `exact` the
// query as typed, `loose` without its phrases.
struct Highlighter::Cache {
    std::map<std::string, Xapian::MSet> exact, loose;
    std::map<std::string, Xapian::Query> exact_queries;  // each `exact` MSet's query
    std::map<std::string, Xapian::Stem> stemmers;        // per language: stemmer_for's or a QueryWordsStemmer
    bool have_german_stems = false;
    std::vector<std::string> german_stems;
};

// The snippet generator is given the query of the passage's language only (a German stem of
// the query must not light up an English passage: "the" is a word in German queries, a
// stopword in English ones). It knows stems as "Z" and the stem (the index's have no "Z" and
// a language's prefix: schema.h), and matches phrases and wildcards word for word only, so it
// is handed the query in that form (build_query's for_highlights) rather than the match's
// own; a passage that matched a phrase in another inflection
// ("successful partnerships" for "successful partnership") then gets the phrase's words
// highlighted one by one.
Highlighter::Highlighter(const Xapian::Database &db, const Xapian::MSet &mset, const Xapian::Query &query,
                         const std::string &query_text)
    : db_(db), query_text_(query_text), rewritten_(!mset.empty() && has_phrase_or_wildcard(query)),
      cache_(new Cache()) {}

Highlighter::~Highlighter() = default;

std::vector<uint32_t> Highlighter::ranges(const std::string &text, const std::string &lang) {
    const Xapian::MSet &exact = snippet_mset(false, lang);
    const Xapian::Stem &stemmer = stemmer_of(lang, cache_->exact_queries.at(lang));
    std::vector<uint32_t> map;
    std::string folded = fold(text.data(), text.size(), &map);  // once, for every pass below
    std::vector<uint32_t> found = highlight(exact, folded, map, stemmer);
    if (found.empty() && rewritten_) found = highlight(snippet_mset(true, lang), folded, map, stemmer);
    if (lang != "de") return found;
    if (!cache_->have_german_stems) {
        cache_->german_stems = german_query_stems(query_text_);
        cache_->have_german_stems = true;
    }
    if (cache_->german_stems.empty()) return found;
    return merged(found, compound_ranges(folded, map, cache_->german_stems));
}

// An empty MSet of the query parsed in `lang`, built once per language: never matched, only
// read by the snippet generator.
const Xapian::MSet &Highlighter::snippet_mset(bool loose, const std::string &lang) {
    auto &cache = loose ? cache_->loose : cache_->exact;
    auto found = cache.find(lang);
    if (found != cache.end()) return found->second;
    Xapian::Enquire words(db_);
    Xapian::Query query = build_query(db_, loose ? without_phrases(query_text_) : query_text_, {lang}, true).query;
    words.set_query(query);
    if (!loose) cache_->exact_queries.emplace(lang, query);
    return cache.emplace(lang, words.get_mset(0, 0)).first->second;
}

// The stemmer the snippet generator gets for `lang`'s passages: one that stems only the words
// `query` may match, unless phrases or wildcards were rewritten (the loose pass and wildcard
// patterns see more than the query's terms).
const Xapian::Stem &Highlighter::stemmer_of(const std::string &lang, const Xapian::Query &query) {
    auto found = cache_->stemmers.find(lang);
    if (found != cache_->stemmers.end()) return found->second;
    Xapian::Stem stemmer = rewritten_ ? stemmer_for(lang) : Xapian::Stem(new QueryWordsStemmer(stemmer_for(lang), openings_of(query)));
    return cache_->stemmers.emplace(lang, stemmer).first->second;
}

}  // namespace cxapian
