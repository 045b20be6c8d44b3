// Query translation (issue 13): a query's words and dictionary phrases turned into the other
// languages' stems through the lexicon (lexicon.h), one OP_SYNONYM per word (Pirkola's
// structured queries), for the branches of the languages the query is not written in.
#pragma once

#include <xapian.h>

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lexicon.h"

namespace cxapian {

// What a translated branch weighs beside the query's own-language branch: less, so that a
// passage in the query's language with the same evidence ranks first (a translation is a
// guess among a word's senses), but enough that the answer in another language still reaches
// the page.
constexpr double kTranslatedWeight = 0.8;
// What the query's own words weigh in the passages of a language it is not written in and has
// no translated branch for (passages of no known language, or a language the lexicon does not
// translate into): half, as a translation through German beside a direct one. In a language it
// is translated into, the query's words are searched in the translated branch: a word without
// translation (a name, a product) as it is, at the branch's weight; a translated one in one
// OP_SYNONYM with its translations, or, where the index holds none of them, beside them at
// this weight (translate_query); a term with a sign ("c++") in the query's own branch there,
// at this weight (build_query, query.cpp).
constexpr double kForeignWordsWeight = 0.5;
// What every branch of a language the query is not written in (its translated branch, or the
// query's own words where it has none) weighs when the query's own language is searched too, as
// when no language is named: a passage in the query's language must rank first on the same
// evidence, and a translated word is an OP_SYNONYM of several translations and cognates, which
// matches more loosely than the word itself. Measured (2026-12-02) with no language named, on
// the cross-language benchmark's queries asked in their answer's language: at 1 (before),
// translation cost French .484 -> .341 on the man pages (German .514 -> .455, packages .569 ->
// .532 and .576 -> .553: each set holds the other language's version of the answer); at 0.8,
// .410, .499, .580, .566, and the cross-language queries with no language named lose .01-.03;
// at 0.5 every language is at or above --no-translate, but the English release that answers
// `renouvellement du partenariat` with both words (issue 13's example) falls behind the French
// one holding one of them (at 0.75 they are 2.88 against 2.87).
constexpr double kOtherLanguagesWeight = 0.8;
// Beside the query's own language (as when no language is named), a translated word whose
// terms more than this share of the target language's releases hold only adds to a release
// that another of the query's translated words found: the branch is an OP_AND_MAYBE of its
// rarer words' groups and its common ones' (translate_query). A release of another language
// holding only the translations of the query's commonest words ("use", "file", "system") is
// weak evidence beside the releases of the query's own language, and finding them was most of
// what translation cost the match: each is a candidate the match weighs. Measured (2026-12-03,
// no language named, answer's language asked in, main benchmark's 150 sampled queries):
// instructions 1.88 G -> 1.50 G (1.06 G without translation); cross-language benchmark, man
// pages en->fr .279 -> .287, en->de .196 -> .201, fr->en .325 -> .312, de->en .304 -> .310,
// monolingual fr .536 -> .557, de .534 -> .535, en .522 -> .539; packages within .006, five
// columns up. At 2 % and 10 % the same within .01. With the answer's language named (no own
// language beside) every word still finds releases: there, on the man pages, en->de fell .466
// -> .440 (a translation that misses the word's sense leaves the common words as the only
// evidence).
constexpr double kCommonTranslationShare = 0.05;
// What a translation found only through German (English <-> French) weighs beside a word's
// direct ones: two dictionary steps, two chances of a wrong sense.
constexpr double kPivotedWeight = 0.5;

// The most translations of one word searched (in the lexicon's order, best first), among
// those the index holds: a translation no passage has costs a lookup and finds nothing, and
// each one searched costs a posting list in the match and a position list in each candidate
// release (a batch of translated queries took 2.5 times one without them at 12).
constexpr size_t kMaxSearched = 6;
// How many of the dictionary's translations are searched beside those the message catalogs
// taught (lexicon.h): the catalogs say which sense a technical text means ("string":
// "chaîne", where the dictionary's six most held were "corde", "ficelle"...); the
// dictionary's most held one stays, for a text that means another. (Measured, 2026-12-02:
// none, one, two or six beside them moved the cross-language benchmark's columns by up to
// .02 either way; one was the only choice no column lost by.)
constexpr size_t kDictionaryBesideLearnt = 1;

struct QueryTranslation {
    // One branch per target language, already weighted (kTranslatedWeight), in the order of
    // the languages asked for; empty when nothing was translated.
    std::vector<std::pair<std::string, Xapian::Query>> branches;
    // Each index term a translation added ("ZFcooper"), with the query words it translates
    // ("cooperation"): what a hit's passage matched through translation.
    std::unordered_map<std::string, std::string> terms;
    // The languages the query was taken to be written in (one, or several when it cannot be
    // told: then each is translated from).
    std::vector<std::string> sources;
    // The query's own words (their stems in a target language, "Fkernel") that a translated
    // branch searches as they are: in a word's group, or alone for a word without translation.
    // Whatever else the query's words are in that language (a phrase's words, "c++", "3.12" as
    // Xapian's QueryParser keeps them) is left to the query's own parse there (build_query).
    std::unordered_set<std::string> own_terms;
};

// True when `text` (prepared) is words alone, brackets, slashes, hyphens and separating dashes
// (" - ", " -- ") aside: a query with an operator, a quote, a field, a wildcard, a required
// (`+word`) or an excluded word (`-munich`) keeps its meaning in its own language only.
bool translatable(const std::string &text);

// Translates `text` (prepared: folded, lowercased, as prepare_query_text gives it) from `from`
// ("" to detect it from its stopwords and which language's dictionaries know its words) into
// each of `targets` that is not a source language. Only plain words are translated (no
// operators, phrases or fields: those keep their own meaning in their own language).
// `db`: only translations the index holds are searched (see kMaxSearched). `typed`: the query
// as typed, whose accents tell a word's language where the folded `text` cannot
// (written_in), and whose capitals tell an acronym ("IT") from a stopword (acronyms_of).
// Beside the query's own language, a common word's translation only adds
// (kCommonTranslationShare).
QueryTranslation translate_query(const Xapian::Database &db, const Lexicon &lexicon, const std::string &text,
                                 const std::string &from, const std::vector<std::string> &targets,
                                 const std::string &typed = "");

// The words of `text` (a passage in `lang`) whose stems are among `terms`, as byte ranges
// [start, end) with the query words they translate: the words a hit matched through
// translation.
struct TranslatedWord {
    uint32_t start, end;
    std::string source;
};
std::vector<TranslatedWord> translated_words(const std::string &text, const std::string &lang,
                                             const std::unordered_map<std::string, std::string> &terms);

// The compiled lexicon's path: $PRESSE_CACHE_DIR/, else $XDG_CACHE_HOME/presse/, else
// $HOME/.cache/presse/, + "translations-3.lexicon" (the version of its format); "" when
// there is no home.
std::string default_lexicon_path();
// Where Debian's FreeDict dictionaries are: $PRESSE_DICTIONARIES, else /usr/share/dictd.
std::string dictionary_dir();

}  // namespace cxapian
