// Building a query: one branch per language, each parsed by Xapian's QueryParser with that
// language's stemmer and stop list against that language's own term space (as Cyrus IMAP
// does), weighted by each stem's rarity across all languages, and OR-ed into one match.
#include <algorithm>
#include <sstream>

#include "compounds.h"
#include "internal.h"
#include "search_parts.h"
#include "translate.h"

namespace cxapian {

namespace {

const unsigned kParserFlags =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT;

// Hidden fields that a wildcard's word is moved into (see prepare_query_text): the index
// holds stems only, under the language's prefix, so `partner*` must expand over those terms,
// which the field's prefix does (none in English, "F" in French); `title:partner*` expands
// over "S" ("FS") and, in titles opening their release, the passage words (title_words.cpp).
constexpr const char *kWildcardField = "zzwildcard";
constexpr const char *kTitleWildcardField = "zzwildcardtitle";

// True when every word of the query is a stopword of the language (and there is one).
bool only_stopwords(const std::string &query, const Xapian::Stopper &stopper) {
    bool any = false, all = true;
    each_word(query, [&](const std::string &word) {
        if (word == kWildcardField || word == kTitleWildcardField) return true;
        any = true;
        all = stopper(word);
        return all;
    });
    return any && all;
}

Xapian::Query parse_for_language(const Xapian::Database &db, const std::string &lang,
                                 const std::string &query, bool *fell_back, bool for_highlights) {
    Xapian::QueryParser parser;
    parser.set_database(db);
    parser.set_default_op(Xapian::Query::OP_OR);
    // The language's own term space (see language_term_prefix): the prefix of words without
    // a field, and of the title's. The snippet generator knows neither.
    std::string language = for_highlights ? "" : language_term_prefix(lang);
    // Title words are highlighted where the passage holds them, as any word.
    parser.add_prefix("title", for_highlights ? "" : language + schema::kTitlePrefix);
    parser.add_boolean_prefix("lang", schema::kLanguagePrefix);
    parser.set_max_expansion(kWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    // The index holds stems only (see generator_for in indexing.cpp).
    std::string stem_prefix = for_highlights ? "" : schema::kStemPrefix + language;
    parser.add_prefix(kWildcardField, stem_prefix);
    parser.add_prefix(kTitleWildcardField, for_highlights ? "" : stem_prefix + schema::kTitlePrefix);
    parser.set_stemmer(Xapian::Stem(stemmer_name(lang)));
    parser.set_stemming_strategy(for_highlights ? Xapian::QueryParser::STEM_SOME
                                                : Xapian::QueryParser::STEM_ALL);
    // Stopwords are dropped from the query (they are indexed, for phrases)...
    parser.set_stopper(query_stopper_for(lang));
    // ...unless there is nothing else: "über", "die" are searched for themselves.
    const Xapian::Stopper *own = stopper_for(lang);
    if (!own || only_stopwords(query, *own)) parser.set_stopper(nullptr);
    try {
        return parser.parse_query(query, kParserFlags, language);
    } catch (const Xapian::QueryParserError &) {
        *fell_back = true;
        return parser.parse_query(words_only(query), 0, language);
    }
}

bool matches_all(const Xapian::Query &query) {
    if (query.get_type() == Xapian::Query::LEAF_MATCH_ALL) return true;
    for (size_t i = 0; i < query.get_num_subqueries(); ++i)
        if (matches_all(query.get_subquery(i))) return true;
    return false;
}

// The `lang:` filters a query holds ("Lfr").
std::vector<std::string> language_filters(const Xapian::Query &query) {
    std::vector<std::string> filters;
    const std::string prefix = schema::kLanguagePrefix;
    for (auto term = query.get_unique_terms_begin(); term != query.get_unique_terms_end(); ++term)
        if ((*term).compare(0, prefix.size(), prefix) == 0) filters.push_back(*term);
    return filters;
}

// True when the text is words alone: no operator, phrase, field, sign or wildcard.
bool plain_words(const std::string &text) {
    if (text.find_first_of("\"()+-:*") != std::string::npos) return false;
    bool plain = true;
    each_word(text, [&plain](const std::string &word) { return plain = !is_operator(word); });
    return plain;
}

// Words typed with a `*` (not after `title:`; with kTitleWildcardField, those after it),
// folded and lowercased.
std::vector<std::string> wildcard_words(const std::string &text, const char *hidden_field = kWildcardField) {
    std::vector<std::string> words;
    const std::string field = std::string(hidden_field) + ":";
    for (size_t at = text.find(field); at != std::string::npos; at = text.find(field, at + 1)) {
        size_t start = at + field.size(), end = text.find('*', start);
        if (end != std::string::npos) words.push_back(text.substr(start, end - start));
    }
    return words;
}

// Phrases over the words that have positions: stopwords have none (schema.h), so a phrase
// keeps its other words, in order, within its own length ("continue their partnership":
// "continue" and "partnership" in a window of 3). A phrase of stopwords only becomes their
// AND. (A NEAR keeps the QueryParser's default window, 10: Xapian 1.4 does not show a
// query's window.)
Xapian::Query without_stopword_positions(const Xapian::Query &query) {
    using Q = Xapian::Query;
    auto type = query.get_type();
    size_t count = query.get_num_subqueries();
    if (type == Q::OP_PHRASE || type == Q::OP_NEAR) {
        std::vector<Q> kept, all;
        for (size_t i = 0; i < count; ++i) {
            Q part = query.get_subquery(i);
            all.push_back(part);
            bool stopword = part.get_type() == Q::LEAF_TERM && schema::is_stopword_term(*part.get_terms_begin());
            if (!stopword) kept.push_back(part);
        }
        if (kept.size() == all.size()) return query;
        if (kept.empty()) return Q(Q::OP_AND, all.begin(), all.end());
        if (kept.size() == 1) return Q(Q::OP_AND, all.begin(), all.end());
        Xapian::termcount window = type == Q::OP_PHRASE ? Xapian::termcount(count) : std::max<Xapian::termcount>(10, count);
        return Q(type, kept.begin(), kept.end(), window);
    }
    if (count == 0) return query;
    switch (type) {
        case Q::OP_AND: case Q::OP_OR: case Q::OP_AND_NOT: case Q::OP_XOR: case Q::OP_AND_MAYBE:
        case Q::OP_FILTER: case Q::OP_SYNONYM: case Q::OP_MAX: case Q::OP_ELITE_SET: {
            std::vector<Q> parts;
            for (size_t i = 0; i < count; ++i) parts.push_back(without_stopword_positions(query.get_subquery(i)));
            return Q(type, parts.begin(), parts.end());
        }
        default:
            return query;
    }
}

// True when words are joined by hyphens ("JUnit-Rahmen") in a query that is otherwise words
// alone (no quote, field, sign or operator).
bool joined_words(const std::string &text) {
    if (!translatable(text)) return false;
    for (size_t i = 1; i + 1 < text.size(); ++i)
        if (text[i] == '-' && text[i - 1] != ' ' && text[i + 1] != ' ' && text[i + 1] != '-') return true;
    return false;
}

}  // namespace

std::vector<std::string> requested_languages(const char *csv) {
    if (!csv || !*csv) return all_languages();
    std::vector<std::string> languages;
    std::stringstream stream(csv);
    std::string code;
    while (std::getline(stream, code, ',')) {
        const auto &known = all_languages();
        if (std::find(known.begin(), known.end(), code) == known.end())
            throw Xapian::InvalidArgumentError("unknown language code: " + code);
        languages.push_back(code);
    }
    return languages;
}

Xapian::Query wildcard_query(const std::string &pattern) {
    return Xapian::Query(Xapian::Query::OP_WILDCARD, pattern, kWildcardExpansion,
                         Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT, Xapian::Query::OP_SYNONYM);
}

std::vector<std::string> lowercase_words(const std::string &text) {
    std::vector<std::string> words;
    each_word(text, [&words](const std::string &word) {
        if (!is_operator(word)) words.push_back(Xapian::Unicode::tolower(word));
        return true;
    });
    return words;
}

bool is_operator(const std::string &word) {
    static const char *const kOperators[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
    for (const char *op : kOperators)
        if (word == op) return true;
    return false;
}

bool joins_a_compound(const std::string &before) {
    // German writes the part two compounds share once: "Bauabhängigkeiten und -konflikte"
    // (and Baukonflikte), "Ein- und -ausgabe". After "und", "oder", "bzw." or "sowie" a hyphen
    // opening a word joins it to the compound before: the word is searched, not excluded as
    // `-munich` is. (English and French do not write it so: `linux and -windows` excludes.)
    static const char *const kConjunctions[] = {"und", "oder", "bzw", "sowie"};
    size_t end = before.size();
    while (end > 0 && before[end - 1] == ' ') --end;
    if (end > 0 && before[end - 1] == '.') --end;  // "bzw."
    size_t start = before.find_last_of(" ()\"", end == 0 ? 0 : end - 1);
    start = start == std::string::npos ? 0 : start + 1;
    if (start >= end) return false;
    std::string last = Xapian::Unicode::tolower(before.substr(start, end - start));
    return std::any_of(std::begin(kConjunctions), std::end(kConjunctions), [&](const char *c) { return last == c; });
}

std::string prepare_query_text(const char *query, size_t length) {
    return rewrite_words(fold(query, length), [](const std::string &word, const WordPlace &place, std::string &out) {
        // A compound's shared part (joins_a_compound): the hyphen goes, the word stays.
        if (place.before == '-' && !place.quoted && place.after != ':' && out.size() >= 2 && out[out.size() - 2] == ' ' &&
            joins_a_compound(out.substr(0, out.size() - 2)))
            out.pop_back();
        bool an_operator = is_operator(word);
        if (!an_operator && place.after == '*') {
            // The word moves into a hidden wildcard field (kWildcardField).
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
    });
}

BuiltQuery build_query(const Xapian::Database &db, const std::string &text,
                       const std::vector<std::string> &languages, bool for_highlights,
                       const Lexicon *lexicon, const std::string &from, const std::string &typed) {
    BuiltQuery built;
    std::vector<Xapian::Query> branches;
    std::vector<std::string> own_languages;  // each own-language branch's language, in order
    std::vector<std::string> wildcards = for_highlights ? std::vector<std::string>() : wildcard_words(text);
    bool titled = !for_highlights && text.find("title:") != std::string::npos;
    std::vector<std::string> title_wildcards = titled ? wildcard_words(text, kTitleWildcardField) : std::vector<std::string>();
    for (const auto &lang : languages) {
        std::string language_term = schema::language_term(lang);
        if (term_frequency(db, language_term) == 0) continue;  // none indexed
        Xapian::Query parsed = parse_for_language(db, lang, text, &built.fell_back, for_highlights);
        // German joins nouns with hyphens ("JUnit-Rahmen", "Java-Regressionstests") that a
        // release writes as one word, apart or in another order ("Regressionstests für Java"):
        // the QueryParser's phrase of them is searched, and their words one by one beside it.
        if (lang == "de" && !for_highlights && joined_words(text)) {
            Xapian::Query loose = parse_for_language(db, lang, without_phrases(text), &built.fell_back, false);
            if (!loose.empty()) parsed = parsed.empty() ? loose : Xapian::Query(Xapian::Query::OP_OR, parsed, loose);
        }
        if (parsed.empty()) continue;
        // A `lang:` filter names the passages' language: a branch of another language would
        // only find its words in a release that also has passages in the named one.
        std::vector<std::string> filters = language_filters(parsed);
        if (!filters.empty() && std::find(filters.begin(), filters.end(), language_term) == filters.end()) continue;
        built.languages.push_back(lang);
        if (for_highlights) {
            branches.push_back(parsed);
            continue;
        }
        std::string prefix = language_term_prefix(lang);
        if (titled) {
            std::vector<std::string> patterns;
            for (const auto &word : title_wildcards) patterns.push_back(schema::kStemPrefix + prefix + schema::kTitlePrefix + word);
            parsed = titles_by_position(db, parsed, patterns);
        }
        // A German compound typed as the query also finds its parts written apart
        // ("Biotechnologie-Unternehmen"), weighing half as much (compounds.h). For plain
        // words only: a part must not slip past a NOT or out of a phrase.
        if (lang == "de" && plain_words(text)) {
            Xapian::Query parts = compound_parts_query(text, Xapian::Stem(stemmer_name(lang)),
                                                       schema::kStemPrefix + prefix, 0.5);
            if (!parts.empty()) parsed = Xapian::Query(Xapian::Query::OP_OR, parsed, parts);
        }
        parsed = with_shared_rarity(db, without_stopword_positions(parsed), prefix);
        // A query that matches without its language's words (a pure NOT, a `lang:` filter
        // alone) is kept to the releases with passages in the language.
        if (!filters.empty() || matches_all(parsed))
            parsed = Xapian::Query(Xapian::Query::OP_FILTER, parsed, Xapian::Query(language_term));
        branches.push_back(parsed);
        own_languages.push_back(lang);
        for (const auto &word : wildcards) built.wildcard_stems.push_back(schema::kStemPrefix + prefix + word);
    }
    if (lexicon && !for_highlights && translatable(text)) {
        std::vector<std::string> targets;
        for (const auto &lang : languages)
            if (term_frequency(db, schema::language_term(lang)) > 0) targets.push_back(lang);
        QueryTranslation translation = translate_query(db, *lexicon, text, from, targets, typed);
        // The query's words as they are, in the passages of a language it is not written in and
        // not translated into (no translation there: passages of no known language), weigh less
        // than in its own (kForeignWordsWeight, translate.h). Branches so far are own-language
        // ones, in order.
        auto is_source = [&](const std::string &lang) {
            return std::find(translation.sources.begin(), translation.sources.end(), lang) != translation.sources.end();
        };
        // Beside the query's own language, the other languages weigh less
        // (kOtherLanguagesWeight, translate.h).
        if (std::any_of(own_languages.begin(), own_languages.end(), is_source) && !translation.branches.empty())
            built.other_languages_weight = kOtherLanguagesWeight;
        // In a language the query is translated into, its words are searched in the translated
        // branch: each as it is (a name, a word without translation) or in one OP_SYNONYM with
        // its translations (translate.cpp). Searched in a branch of their own too, English words
        // in French passages weighed by their rarity there, and pages quoting them in code or
        // names ranked above the translation's answer. Measured (2026-12-03, cross-language
        // benchmark, answer's language named): man pages en->fr .469 -> .502, fr->en .321 ->
        // .346, package descriptions fr->en .439 -> .457; the query's own language within
        // .003; with no language named, French and German monolingual up by .011-.028; and the
        // match searches fewer terms. Only the terms Xapian's QueryParser keeps whole with a
        // sign in them ("c++", "c#", "3.12"), which the translation reads as words ("c",
        // "3", "12"), stay in the query's own branch there. (Every term the translation does
        // not search as it is, kept there at half weight, cost French -> English .03: the
        // French words the English parse keeps, "le", "d'une", are noise in English pages.)
        for (size_t i = own_languages.size(); i-- > 0;) {
            bool translated_there = std::any_of(translation.branches.begin(), translation.branches.end(),
                                                [&](const auto &branch) { return branch.first == own_languages[i]; });
            if (!translated_there || is_source(own_languages[i])) continue;
            std::vector<Xapian::Query> rest;
            for (auto term = branches[i].get_unique_terms_begin(); term != branches[i].get_unique_terms_end(); ++term)
                if (!translation.own_terms.count(*term) && !translation.terms.count(*term) &&
                    schema::term_language(*term) == own_languages[i] &&
                    schema::stem_of_passage_term(*term).find_first_of("+#.") != std::string::npos)
                    rest.emplace_back(*term);
            if (rest.empty()) {
                branches.erase(branches.begin() + long(i));
                own_languages.erase(own_languages.begin() + long(i));
            } else {
                branches[i] = with_shared_rarity(db, Xapian::Query(Xapian::Query::OP_OR, rest.begin(), rest.end()),
                                                 language_term_prefix(own_languages[i]));
            }
        }
        if (!translation.sources.empty())
            for (size_t i = 0; i < own_languages.size() && i < branches.size(); ++i)
                if (!is_source(own_languages[i]))
                    branches[i] = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, branches[i],
                                                kForeignWordsWeight * built.other_languages_weight);
        for (auto &[lang, branch] : translation.branches) {
            branches.push_back(built.other_languages_weight == 1.0 ? branch
                               : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, branch, built.other_languages_weight));
            if (std::find(built.languages.begin(), built.languages.end(), lang) == built.languages.end())
                built.languages.push_back(lang);
        }
        // Each query word's stem in each language searched: which terms are one word.
        std::vector<std::string> words = lowercase_words(text);
        for (const auto &lang : targets) {
            Xapian::Stem stem(stemmer_name(lang));
            std::string prefix = std::string(schema::kStemPrefix) + language_term_prefix(lang);
            for (const auto &word : words) built.words_of_terms.emplace(prefix + stem(word), word);
        }
        built.translated = std::move(translation.terms);
        built.translated_from = std::move(translation.sources);
    }
    built.query = Xapian::Query(Xapian::Query::OP_OR, branches.begin(), branches.end());
    return built;
}

std::string words_only(const std::string &text) {
    std::string words;
    each_word(text, [&words](const std::string &word) {
        if (!is_operator(word)) words += word + " ";
        return true;
    });
    return words;
}

bool unbalanced(const std::string &text) {
    int quotes = 0, depth = 0;
    for (char c : text) {
        if (c == '"') ++quotes;
        if (c == '(') ++depth;
        if (c == ')' && --depth < 0) return true;
    }
    return depth != 0 || quotes % 2 == 1;
}

bool has_phrase_or_wildcard(const Xapian::Query &query) {
    auto type = query.get_type();
    if (type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_WILDCARD) return true;
    for (size_t i = 0; i < query.get_num_subqueries(); ++i)
        if (has_phrase_or_wildcard(query.get_subquery(i))) return true;
    return false;
}

std::string without_phrases(const std::string &text) {
    std::string out = text;
    for (size_t i = 0; i < out.size(); ++i) {
        bool joins_words = out[i] == '-' && i > 0 && i + 1 < out.size() &&
                           out[i - 1] != ' ' && out[i + 1] != ' ';
        if (out[i] == '"' || joins_words) out[i] = ' ';
    }
    return out;
}

}  // namespace cxapian
