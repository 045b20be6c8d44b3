// The translation lexicon: parsed once from Debian's FreeDict dictionaries (dictd format: an
// .index of headword, offset and length in base64, and a gzip'd .dict.dz of entries),
// normalised, merged per direction, strengthened for English <-> French through German, and
// written as one sorted text file of "KEY\tDIRECT\tPIVOTED" lines that a search maps and
// binary-searches (as look(1) does): opening costs a mmap, not a parse.
#include "lexicon.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "catalogs.h"
#include "internal.h"
#include "translate.h"

namespace cxapian {

namespace {

// ---------------------------------------------------------------------------- reading dictd

std::string read_file(const std::string &path) {
    std::string out;
    if (!read_whole_file(path, &out)) throw Xapian::DatabaseNotFoundError("no dictionary " + path + " (Debian's dict-freedict-* packages)");
    return out;
}

// A .dict.dz is gzip with an index of chunks in its header (dictzip): zlib reads it whole.
std::string read_gzip(const std::string &path) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file) throw Xapian::DatabaseNotFoundError("no dictionary " + path + " (Debian's dict-freedict-* packages)");
    std::string out;
    char buffer[1 << 16];
    int n;
    while ((n = gzread(file, buffer, sizeof buffer)) > 0) out.append(buffer, n);
    bool failed = n < 0;
    gzclose(file);
    if (failed) throw Xapian::DatabaseOpeningError("cannot decompress " + path);
    return out;
}

// dictd's base64 numbers (offsets and lengths): most significant digit first.
bool base64_number(const std::string &text, size_t *out) {
    static const std::string digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = 0;
    for (char c : text) {
        size_t d = digits.find(c);
        if (d == std::string::npos) return false;
        n = n * 64 + d;
    }
    *out = n;
    return !text.empty();
}

// ---------------------------------------------------------------------------- normalising

constexpr size_t kMaxPhraseWords = 4;

// The dictionaries' placeholders for an object ("etw. vergleichen", "jdn. beurlauben",
// "to tell sb. sth."): not words of the translation.
bool placeholder(const std::string &word) {
    static const char *const kPlaceholders[] = {"etw", "jdn", "jdm", "jds", "jd", "sb", "sth", "sbd", "qn", "qc", "qqn", "qqch", "qch"};
    for (const char *p : kPlaceholders)
        if (word == p) return true;
    return false;
}

// Folded, lowercased words separated by one space, as a query's are (prepare_query_text):
// "Co-operation" -> "co operation"; without placeholders, and without the "to" of an English
// verb ("to compare" is the headword of "compare").
std::string normalised(const std::string &text) {
    std::string out;
    each_word(fold(text.data(), text.size()), [&out](const std::string &word) {
        std::string lower = Xapian::Unicode::tolower(word);
        if (placeholder(lower)) return true;
        if (!out.empty()) out += ' ';
        out += lower;
        return true;
    });
    if (out.compare(0, 3, "to ") == 0) out.erase(0, 3);
    return out;
}

size_t word_count(const std::string &phrase) {
    return phrase.empty() ? 0 : size_t(std::count(phrase.begin(), phrase.end(), ' ')) + 1;
}

// Removes the spans between `open` and `close` (grammar tags <masc>, domains [econ.],
// pronunciations /.../, cross-references {...}, glosses (...)).
std::string without_spans(const std::string &text, char open, char close) {
    std::string out;
    int depth = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == open && (open != close || depth == 0)) { ++depth; continue; }
        if (c == close && depth > 0) { --depth; continue; }
        if (depth == 0) out += c;
    }
    return out;
}

// Pronunciations (/kˈəʊ/) out; any other slash separates alternatives ("sb./sth.",
// "Größe/Format"), as a comma does.
std::string without_pronunciations(const std::string &text) {
    static const char *const kPhonetic[] = {"ˈ", "ə", "ɪ", "ʊ", "ː", "ʃ", "ɛ", "ɔ", "ʁ", "ɑ", "æ", "ŋ", "ʌ", "θ", "ð", "ʒ", "ɾ", "ɐ", "ɹ"};
    std::string out;
    size_t at = 0;
    while (at < text.size()) {
        size_t open = text.find('/', at);
        if (open == std::string::npos) break;
        size_t close = text.find('/', open + 1);
        std::string inside = close == std::string::npos ? "" : text.substr(open + 1, close - open - 1);
        // WikDict's are syllables between dots (/a.pe.i/).
        bool phonetic = close != std::string::npos &&
                        (std::any_of(std::begin(kPhonetic), std::end(kPhonetic),
                                     [&](const char *p) { return inside.find(p) != std::string::npos; }) ||
                         (inside.find('.') != std::string::npos && inside.find(' ') == std::string::npos));
        out += text.substr(at, open - at);
        if (phonetic) {
            at = close + 1;
        } else {
            out += ',';
            at = open + 1;
        }
    }
    if (at < text.size()) out += text.substr(at);
    return out;
}

bool starts_with(const std::string &text, const char *prefix) {
    return text.compare(0, std::strlen(prefix), prefix) == 0;
}

std::string trimmed(const std::string &text) {
    size_t start = text.find_first_not_of(" \t\r");
    if (start == std::string::npos) return "";
    size_t end = text.find_last_not_of(" \t\r");
    return text.substr(start, end - start + 1);
}

// The translations one line of an entry's body gives: none for notes, examples, cross-
// references and glosses; its comma- or semicolon-separated items otherwise, each without
// its tags, sense numbers and abbreviations ("etw. aufstellen" -> "aufstellen"), and only
// when short enough to be a term (a definition is not a translation).
std::vector<std::string> translations_of_line(const std::string &raw) {
    std::vector<std::string> out;
    std::string line = trimmed(raw);
    static const char *const kSkipped[] = {"\"", "Note:", "see:", "See:", "Synonym", "Antonym", "Example", "{", "»", "„"};
    for (const char *skip : kSkipped)
        if (starts_with(line, skip)) return out;
    line = without_spans(line, '<', '>');
    line = without_spans(line, '[', ']');
    line = without_spans(line, '{', '}');
    line = without_spans(line, '(', ')');
    line = without_pronunciations(line);
    // A label ("Biologie/Medizin: ...") opens a definition, not a translation.
    if (line.find(':') != std::string::npos) return out;
    std::string item;
    auto flush = [&] {
        std::string words;
        std::istringstream pieces(item);
        std::string piece;
        while (pieces >> piece) {
            // Sense numbers ("1.", "2.") and abbreviations ("etw.", "jdm.", "sb.", "sth.").
            if (!piece.empty() && piece.back() == '.') continue;
            if (!words.empty()) words += ' ';
            words += piece;
        }
        std::string phrase = normalised(words);
        size_t count = word_count(phrase);
        bool digits = phrase.find_first_of("0123456789") != std::string::npos;
        if (count >= 1 && count <= kMaxPhraseWords && phrase.size() >= 2 && !digits) out.push_back(phrase);
        item.clear();
    };
    for (char c : line) {
        if (c == ',' || c == ';') flush();
        else item += c;
    }
    flush();
    return out;
}

// Headword -> its translations in the order the dictionary gives them, each once.
using Dictionary = std::unordered_map<std::string, std::vector<std::string>>;
// How many entries (senses) a headword has ("file": 11 in Ding, "Datei": 1), and, keyed
// "HEADWORD\tTRANSLATION", how many of them give a translation, where more than one does
// ("file" -> "Akte": 3).
using Senses = std::unordered_map<std::string, int>;

void add_unique(std::vector<std::string> &list, const std::string &item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// The pronunciation that follows a headword (" /eta/", " /miʀwaʀ/"), whatever its letters:
// the last " /…/" of the entry's first line, after which only grammar tags and domains come.
// (Told by its letters alone, "état /eta/" became the headword "etat eta", and every French
// headword whose pronunciation has no letter of without_pronunciations' list was lost.)
std::string without_headword_pronunciation(const std::string &line) {
    for (size_t open = line.rfind(" /"); open != std::string::npos; open = open == 0 ? std::string::npos : line.rfind(" /", open - 1)) {
        size_t close = line.find('/', open + 2);
        if (close == std::string::npos) continue;
        std::string rest = without_spans(without_spans(line.substr(close + 1), '<', '>'), '[', ']');
        if (trimmed(rest).empty()) return line.substr(0, open) + line.substr(close + 1);
    }
    return line;
}

// An entry's headword from its first line, without pronunciation, grammar tags and
// placeholders; a slash joins alternatives of one phrase, which are kept as words.
std::string headword_of(const std::string &dict, size_t offset, size_t length) {
    size_t eol = dict.find('\n', offset);
    std::string line = dict.substr(offset, (eol == std::string::npos || eol > offset + length ? offset + length : eol) - offset);
    line = without_headword_pronunciation(line);
    for (auto [open, close] : {std::pair<char, char>{'<', '>'}, {'[', ']'}, {'{', '}'}, {'(', ')'}}) line = without_spans(line, open, close);
    line = without_pronunciations(line);
    std::string words;
    std::istringstream pieces(line);
    std::string piece;
    while (pieces >> piece) {
        if (piece == ",") continue;
        if (!piece.empty() && piece.back() == '.') continue;  // abbreviations, placeholders
        words += piece + " ";
    }
    std::string out = normalised(words);
    return out;
}

// One dictd dictionary. `first_line_only`: WikDict's (French <-> German) entries give their
// translations on the first line and definitions in the source language after it.
Dictionary read_dictionary(const std::string &dir, const std::string &name, bool first_line_only, Senses *senses) {
    std::string base = dir + "/freedict-" + name;
    std::string index = read_file(base + ".index");
    std::string dict = read_gzip(base + ".dict.dz");
    Dictionary out;
    std::istringstream lines(index);
    std::string line;
    while (std::getline(lines, line)) {
        size_t tab1 = line.find('\t'), tab2 = tab1 == std::string::npos ? tab1 : line.find('\t', tab1 + 1);
        if (tab2 == std::string::npos) continue;
        size_t offset, length;
        if (!base64_number(line.substr(tab1 + 1, tab2 - tab1 - 1), &offset) ||
            !base64_number(line.substr(tab2 + 1), &length) || offset + length > dict.size())
            continue;
        // The headword as the entry writes it: the index's copy has lost its punctuation
        // ("liken sb./sth. to sb./sth." is "liken sbsth to sbsth" there).
        std::string headword = headword_of(dict, offset, length);
        if (headword.empty()) headword = normalised(line.substr(0, tab1));
        // dictd's own entries (00databaseinfo, 00databaseutf8...) are not words.
        if (headword.empty() || starts_with(line, "00") || word_count(headword) > kMaxPhraseWords) continue;
        std::istringstream entry(dict.substr(offset, length));
        std::string body;
        std::getline(entry, body);  // the headword, its pronunciation and grammar
        std::vector<std::string> *translations = nullptr;
        std::vector<std::string> given;  // by this entry
        while (std::getline(entry, body)) {
            for (const std::string &t : translations_of_line(body)) {
                if (!translations) {
                    translations = &out[headword];
                    ++(*senses)[headword];
                }
                if (std::find(given.begin(), given.end(), t) != given.end()) continue;
                given.push_back(t);
                if (std::find(translations->begin(), translations->end(), t) != translations->end()) {
                    int &count = (*senses)[headword + '\t' + t];
                    count = std::max(count, 1) + 1;
                }
                add_unique(*translations, t);
            }
            if (first_line_only && !trimmed(body).empty()) break;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------- merging

struct Ranked {
    std::vector<std::string> direct, pivoted, learnt;
};
using Direction = std::unordered_map<std::string, Ranked>;

// One direction from its own dictionary and the reverse one: a translation both give (a round
// trip: "cooperation" -> "Zusammenarbeit" -> "cooperation") ranks first; then the one more of
// the headword's senses give (a word's main meaning recurs across its senses: "file" -> "Akte"
// in three of Ding's eleven, "Feile" in one); then a word before a
// phrase (a phrase is often a paraphrase); then the more general word, the one more headwords
// translate to ("Größe" before "Kleidergröße" and "Schichtleim" for "size": Ding lists its
// senses alphabetically, not by use); then the dictionary's order. Kept: kMaxTranslations.
Direction merge(const Dictionary &own, const Dictionary &reverse, const Senses &senses) {
    auto senses_giving = [&senses](const std::string &headword, const std::string &translation) {
        auto at = senses.find(headword + '\t' + translation);
        return at == senses.end() ? 1 : at->second;
    };
    std::unordered_map<std::string, size_t> general;
    for (const auto &[headword, translations] : own)
        for (const std::string &t : translations) ++general[t];
    for (const auto &[headword, translations] : reverse) general[headword] += translations.size();
    struct Score { double score; size_t order; };
    std::unordered_map<std::string, std::vector<std::pair<std::string, Score>>> scores;
    auto add = [&](const std::string &headword, const std::string &translation, double score, size_t order) {
        auto &list = scores[headword];
        for (auto &entry : list)
            if (entry.first == translation) { entry.second.score += score; return; }
        list.push_back({translation, Score{score, order}});
    };
    for (const auto &[headword, translations] : own)
        for (size_t i = 0; i < translations.size(); ++i) add(headword, translations[i], 1, i);
    for (const auto &[headword, translations] : reverse)
        for (const std::string &source : translations)
            // A reverse entry makes a headword only of a single word: the reverse dictionary's
            // translations are often glosses ("hard ginger bread from aachen").
            if (own.count(source) || word_count(source) == 1) add(source, headword, 1, 1000);
    Direction out;
    for (auto &[headword, list] : scores) {
        std::stable_sort(list.begin(), list.end(), [&, &headword = headword](const auto &a, const auto &b) {
            if (a.second.score != b.second.score) return a.second.score > b.second.score;
            int sa = senses_giving(headword, a.first), sb = senses_giving(headword, b.first);
            if (sa != sb) return sa > sb;
            size_t wa = word_count(a.first), wb = word_count(b.first);
            if ((wa == 1) != (wb == 1)) return wa == 1;
            size_t ga = general[a.first], gb = general[b.first];
            if (ga != gb) return ga > gb;
            return a.second.order < b.second.order;
        });
        Ranked &ranked = out[headword];
        for (size_t i = 0; i < list.size() && i < kMaxTranslations; ++i) ranked.direct.push_back(list[i].first);
    }
    return out;
}

// A -> C through B for the words A -> C lacks or has few translations for: each of a word's
// first three B translations, then each of their first three C translations, counted by the
// paths that reach it. Those the direct dictionary already gives are left out.
void pivot(Direction &a_to_c, const Direction &a_to_b, const Direction &b_to_c) {
    // A word the direct dictionary gives this many translations is not thin there.
    constexpr size_t kDirectEnough = 2;
    constexpr size_t kPaths = 3;
    for (const auto &[headword, via] : a_to_b) {
        auto own = a_to_c.find(headword);
        bool thin = own == a_to_c.end() || own->second.direct.size() < kDirectEnough;
        std::vector<std::pair<std::string, int>> found;
        for (size_t i = 0; i < via.direct.size() && i < kPaths; ++i) {
            auto at = b_to_c.find(via.direct[i]);
            if (at == b_to_c.end()) continue;
            for (size_t j = 0; j < at->second.direct.size() && j < kPaths; ++j) {
                const std::string &target = at->second.direct[j];
                auto same = std::find_if(found.begin(), found.end(), [&](const auto &f) { return f.first == target; });
                if (same == found.end()) found.push_back({target, 1});
                else ++same->second;
            }
        }
        if (found.empty()) continue;
        std::stable_sort(found.begin(), found.end(), [](const auto &x, const auto &y) { return x.second > y.second; });
        // Where the direct dictionary is not thin, the path through German is a second opinion
        // (triangulation): the direct translations it confirms go first ("state": "état"
        // before "règne"), and it adds only what two paths or more reach.
        if (!thin) {
            Ranked &ranked = own->second;
            auto confirmed = [&found](const std::string &t) {
                return std::any_of(found.begin(), found.end(), [&t](const auto &f) { return f.first == t; });
            };
            std::stable_partition(ranked.direct.begin(), ranked.direct.end(), confirmed);
            found.erase(std::remove_if(found.begin(), found.end(), [](const auto &f) { return f.second < 2; }), found.end());
            if (found.empty()) continue;
        }
        Ranked &ranked = a_to_c[headword];
        size_t room = kMaxTranslations > ranked.direct.size() ? kMaxTranslations - ranked.direct.size() : 0;
        room = std::min(room, kMaxPivoted);
        for (const auto &[target, paths] : found) {
            if (ranked.pivoted.size() >= room) break;
            if (std::find(ranked.direct.begin(), ranked.direct.end(), target) == ranked.direct.end())
                ranked.pivoted.push_back(target);
        }
    }
}

std::string stemmed_phrase(const std::string &phrase, const Xapian::Stem &stem) {
    std::string out;
    std::istringstream words(phrase);
    std::string word;
    while (words >> word) {
        if (!out.empty()) out += ' ';
        out += stem(word);
    }
    return out;
}

std::string joined(const std::vector<std::string> &list) {
    std::string out;
    for (const auto &item : list) {
        if (!out.empty()) out += '|';
        out += item;
    }
    return out;
}

std::string key_of(const std::string &from, const std::string &to, bool stemmed, const std::string &phrase) {
    return from + ">" + to + (stemmed ? "~" : ":") + phrase;
}

// The lines of one direction: each headword, and each headword's stems (the words'
// translations merged, those of more headwords first), for query words in another form.
void write_direction(const std::string &from, const std::string &to, const Direction &direction,
                     std::vector<std::string> &lines) {
    Xapian::Stem stem(stemmer_name(from));
    std::unordered_map<std::string, std::vector<std::pair<std::string, double>>> by_stem, pivoted_by_stem, learnt_by_stem;
    auto add = [](std::vector<std::pair<std::string, double>> &list, const std::string &item, double score) {
        for (auto &entry : list)
            if (entry.first == item) { entry.second += score; return; }
        list.push_back({item, score});
    };
    for (const auto &[headword, ranked] : direction) {
        if (ranked.direct.empty() && ranked.pivoted.empty() && ranked.learnt.empty()) continue;
        lines.push_back(key_of(from, to, false, headword) + "\t" + joined(ranked.direct) + "\t" + joined(ranked.pivoted) +
                        "\t" + joined(ranked.learnt));
        std::string stems = stemmed_phrase(headword, stem);
        for (size_t i = 0; i < ranked.direct.size(); ++i) add(by_stem[stems], ranked.direct[i], kMaxTranslations - i);
        for (size_t i = 0; i < ranked.pivoted.size(); ++i) add(pivoted_by_stem[stems], ranked.pivoted[i], kMaxTranslations - i);
        for (size_t i = 0; i < ranked.learnt.size(); ++i) add(learnt_by_stem[stems], ranked.learnt[i], kMaxLearnt - i);
    }
    auto best = [](std::vector<std::pair<std::string, double>> list, size_t cap) {
        std::stable_sort(list.begin(), list.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
        std::vector<std::string> out;
        for (size_t i = 0; i < list.size() && i < cap; ++i) out.push_back(list[i].first);
        return out;
    };
    std::unordered_set<std::string> stems;
    for (const auto &[key, list] : by_stem) stems.insert(key);
    for (const auto &[key, list] : pivoted_by_stem) stems.insert(key);
    for (const auto &[key, list] : learnt_by_stem) stems.insert(key);
    for (const std::string &key : stems) {
        std::vector<std::string> direct = by_stem.count(key) ? best(by_stem[key], kMaxTranslations) : std::vector<std::string>();
        std::vector<std::string> pivoted;
        if (pivoted_by_stem.count(key))
            for (const std::string &p : best(pivoted_by_stem[key], kMaxPivoted))
                if (std::find(direct.begin(), direct.end(), p) == direct.end() &&
                    direct.size() + pivoted.size() < kMaxTranslations)
                    pivoted.push_back(p);
        // A stem's forms share their learnt translations ("display", "displays", "displayed"
        // -> "afficher", "affiche"...), the most probable and most shared first.
        std::vector<std::string> learnt;
        if (learnt_by_stem.count(key)) {
            // Ties (each form's first translation, in another order) broken by the word, so
            // that the same catalogs give the same lexicon.
            auto &list = learnt_by_stem[key];
            std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
            learnt = best(list, kMaxLearnt);
        }
        lines.push_back(key_of(from, to, true, key) + "\t" + joined(direct) + "\t" + joined(pivoted) + "\t" + joined(learnt));
    }
}

std::vector<std::string> split(const char *start, const char *end, char separator) {
    std::vector<std::string> out;
    const char *item = start;
    for (const char *at = start; at <= end; ++at) {
        if (at == end || *at == separator) {
            if (at > item) out.emplace_back(item, at);
            item = at + 1;
        }
    }
    return out;
}

}  // namespace

LexiconSummary build_lexicon(const std::string &dir, const std::string &catalog_dir, const std::string &path) {
    // Ding (English <-> German, large), FreeDict's English <-> French (small), WikDict
    // (French <-> German).
    Senses s_en_de, s_de_en, s_en_fr, s_fr_en, s_fr_de, s_de_fr;
    Dictionary en_de = read_dictionary(dir, "eng-deu", false, &s_en_de), de_en = read_dictionary(dir, "deu-eng", false, &s_de_en);
    Dictionary en_fr = read_dictionary(dir, "eng-fra", false, &s_en_fr), fr_en = read_dictionary(dir, "fra-eng", false, &s_fr_en);
    Dictionary fr_de = read_dictionary(dir, "fra-deu", true, &s_fr_de), de_fr = read_dictionary(dir, "deu-fra", true, &s_de_fr);
    Direction ed = merge(en_de, de_en, s_en_de), de = merge(de_en, en_de, s_de_en);
    en_de.clear(); de_en.clear();
    Direction ef = merge(en_fr, fr_en, s_en_fr), fe = merge(fr_en, en_fr, s_fr_en);
    Direction fd = merge(fr_de, de_fr, s_fr_de), df = merge(de_fr, fr_de, s_de_fr);
    // English <-> French is the thin pair (~8,800 headwords each way; "merger", "revenue"
    // missing): German is the bridge.
    pivot(ef, ed, df);
    pivot(fe, fd, de);
    // What merging needed is freed before the catalogs' models are trained.
    en_fr.clear(); fr_en.clear(); fr_de.clear(); de_fr.clear();
    for (Senses *senses : {&s_en_de, &s_de_en, &s_en_fr, &s_fr_en, &s_fr_de, &s_de_fr}) senses->clear();
    // The senses software gives words, from the system's message catalogs (catalogs.h).
    CatalogTranslations catalogs = learn_from_catalogs(catalog_dir);
    for (auto [direction, name] : {std::pair<Direction *, const char *>{&ed, "en>de"}, {&de, "de>en"}, {&ef, "en>fr"},
                                   {&fe, "fr>en"}, {&fd, "fr>de"}, {&df, "de>fr"}})
        for (auto &[word, translations] : catalogs.directions[name]) (*direction)[word].learnt = std::move(translations);

    std::vector<std::string> lines;
    write_direction("en", "de", ed, lines);
    write_direction("de", "en", de, lines);
    write_direction("en", "fr", ef, lines);
    write_direction("fr", "en", fe, lines);
    write_direction("fr", "de", fd, lines);
    write_direction("de", "fr", df, lines);
    std::sort(lines.begin(), lines.end());

    // mkdir -p of the lexicon's folder (a cache folder may not exist yet).
    for (size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1))
        ::mkdir(path.substr(0, slash).c_str(), 0755);
    std::string temporary = path + ".tmp." + std::to_string(getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) throw Xapian::DatabaseCreateError("cannot write " + temporary);
        out << kLexiconMagic << '\n';
        for (const std::string &line : lines) out << line << '\n';
        out.flush();
        if (!out) {
            std::remove(temporary.c_str());
            throw Xapian::DatabaseCreateError("cannot write " + temporary);
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        throw Xapian::DatabaseCreateError("cannot write " + path);
    }
    struct stat info;
    LexiconSummary summary;
    summary.entries = lines.size();
    summary.bytes = stat(path.c_str(), &info) == 0 ? size_t(info.st_size) : 0;
    summary.dictionaries = 6;
    summary.catalogs = catalogs.catalogs;
    summary.pairs = catalogs.pairs;
    return summary;
}

const Lexicon &Lexicon::open(const std::string &path) {
    static std::mutex mutex;
    static std::map<std::string, const Lexicon *> opened;
    std::lock_guard<std::mutex> lock(mutex);
    auto at = opened.find(path);
    if (at != opened.end()) return *at->second;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Xapian::DatabaseOpeningError("no lexicon at " + path);
    struct stat info;
    if (fstat(fd, &info) != 0 || info.st_size <= 0) {
        ::close(fd);
        throw Xapian::DatabaseOpeningError("no lexicon at " + path);
    }
    size_t size = size_t(info.st_size);
    void *mapped = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (mapped == MAP_FAILED) throw Xapian::DatabaseOpeningError("cannot map the lexicon " + path);
    const char *data = static_cast<const char *>(mapped);
    size_t magic = std::strlen(kLexiconMagic);
    if (size <= magic || std::memcmp(data, kLexiconMagic, magic) != 0 || data[magic] != '\n') {
        munmap(mapped, size);
        throw Xapian::DatabaseOpeningError(path + " is not a lexicon of this Presse (rebuild it)");
    }
    // Mapped for the life of the process: every search of every thread may read it.
    const Lexicon *lexicon = new Lexicon(data + magic + 1, size - magic - 1);
    opened[path] = lexicon;
    return *lexicon;
}

const char *Lexicon::first_line_not_below(const std::string &key) const {
    // Binary search over sorted lines: a probe at any byte reads the line it falls in.
    const char *low = data_, *high = data_ + size_;  // the answer is a line start in [low, high]
    auto line_at = [this](const char *p) {
        while (p > data_ && p[-1] != '\n') --p;
        return p;
    };
    while (low < high) {
        const char *mid = line_at(low + (high - low) / 2);
        const char *eol = static_cast<const char *>(std::memchr(mid, '\n', data_ + size_ - mid));
        if (!eol) eol = data_ + size_;
        const char *tab = static_cast<const char *>(std::memchr(mid, '\t', eol - mid));
        if (!tab) tab = eol;
        size_t length = size_t(tab - mid);
        int c = std::memcmp(mid, key.data(), std::min(length, key.size()));
        if (c == 0) c = length < key.size() ? -1 : length > key.size() ? 1 : 0;
        if (c < 0) low = eol + 1 < data_ + size_ ? eol + 1 : data_ + size_;
        else high = mid;
    }
    return low;
}

bool Lexicon::find(const std::string &key, const char **start, const char **end) const {
    const char *line = first_line_not_below(key);
    const char *stop = data_ + size_;
    if (size_t(stop - line) <= key.size() || std::memcmp(line, key.data(), key.size()) != 0 || line[key.size()] != '\t')
        return false;
    const char *eol = static_cast<const char *>(std::memchr(line, '\n', stop - line));
    *start = line + key.size() + 1;
    *end = eol ? eol : stop;
    return true;
}

bool Lexicon::any_phrase_after(const std::string &from, const std::string &to, const std::string &words, bool stemmed) const {
    std::string prefix = key_of(from, to, stemmed, words + " ");
    const char *line = first_line_not_below(prefix);
    return size_t(data_ + size_ - line) > prefix.size() && std::memcmp(line, prefix.data(), prefix.size()) == 0;
}

bool Lexicon::lookup(const std::string &from, const std::string &to, const std::string &phrase, bool stemmed,
                     Translations *out) const {
    const char *start, *end;
    if (!find(key_of(from, to, stemmed, phrase), &start, &end)) return false;
    const char *tab = static_cast<const char *>(std::memchr(start, '\t', end - start));
    if (!tab) tab = end;
    const char *tab2 = tab < end ? static_cast<const char *>(std::memchr(tab + 1, '\t', end - tab - 1)) : nullptr;
    if (!tab2) tab2 = end;
    out->direct = split(start, tab, '|');
    out->pivoted = tab < end ? split(tab + 1, tab2, '|') : std::vector<std::string>();
    out->learnt = tab2 < end ? split(tab2 + 1, end, '|') : std::vector<std::string>();
    return !out->empty();
}

bool Lexicon::knows(const std::string &from, const std::string &phrase) const {
    Translations ignored;
    for (const std::string &to : {"en", "fr", "de"})
        if (to != from && lookup(from, to, phrase, false, &ignored) && (!ignored.direct.empty() || !ignored.pivoted.empty()))
            return true;
    return false;
}

}  // namespace cxapian

extern "C" cx_status cx_lexicon_paths(cx_bytes *lexicon, cx_bytes *dictionaries, cx_error *error) {
    if (lexicon) *lexicon = cx_bytes{nullptr, 0};
    if (dictionaries) *dictionaries = cx_bytes{nullptr, 0};
    try {
        if (!lexicon || !dictionaries) return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        cxapian::copy_out(cxapian::default_lexicon_path(), lexicon);
        cxapian::copy_out(cxapian::dictionary_dir(), dictionaries);
        return CX_OK;
    } catch (...) {
        cx_bytes_free(lexicon);
        cx_bytes_free(dictionaries);
        return cxapian::translate_exception(error);
    }
}

extern "C" cx_status cx_lexicon_check(const char *path, cx_error *error) {
    try {
        if (!path) return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        struct stat info;
        if (stat(path, &info) != 0) return cxapian::fail(error, CX_NOT_FOUND, std::string("no lexicon at ") + path);
        cxapian::Lexicon::open(path);
        return CX_OK;
    } catch (...) {
        return cxapian::translate_exception(error);
    }
}

extern "C" cx_status cx_lexicon_build(const char *dictionary_dir, const char *path, cx_lexicon_summary *out,
                                      cx_error *error) {
    if (out) *out = cx_lexicon_summary{};
    try {
        if (!dictionary_dir || !path) return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        cxapian::LexiconSummary summary = cxapian::build_lexicon(dictionary_dir, cxapian::catalog_dir(), path);
        if (out) *out = cx_lexicon_summary{summary.entries, summary.bytes, summary.dictionaries, summary.catalogs, summary.pairs};
        return CX_OK;
    } catch (...) {
        return cxapian::translate_exception(error);
    }
}
