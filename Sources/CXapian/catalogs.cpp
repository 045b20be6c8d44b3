// Word translations learnt from gettext catalogs (catalogs.h): the catalogs' English messages
// and their French and German translations, cleaned of what is not words (printf
// conversions, menu accelerators, identifiers), aligned word by word with IBM Model 1.
#include "catalogs.h"

#include <dirent.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <set>

#include "internal.h"

namespace cxapian {

namespace {

// ---------------------------------------------------------------------------- reading .mo

// A catalog's messages: the English message (its singular form, without the context gettext
// prefixes with \x04) -> its translation (the first plural form). Empty for a file that is
// not a catalog, has no header saying it is UTF-8 (older catalogs are in ISO 8859-1), or whose
// tables point outside it or at one string many times over (msgfmt writes each string once,
// NUL-terminated: a file that does not is not read, lest its copies take all memory).
std::map<std::string, std::string> read_catalog(const std::string &path) {
    std::map<std::string, std::string> out;
    std::string data;
    if (!read_whole_file(path, &data)) return out;
    const uint64_t size = data.size();
    if (size < 28) return out;
    auto word_at = [&data](uint64_t at, bool swapped) {
        uint32_t v;
        std::memcpy(&v, data.data() + at, 4);
        return swapped ? __builtin_bswap32(v) : v;
    };
    bool swapped;
    if (word_at(0, false) == 0x950412deu) swapped = false;
    else if (word_at(0, true) == 0x950412deu) swapped = true;
    else return out;
    uint64_t count = word_at(8, swapped), originals = word_at(12, swapped), translations = word_at(16, swapped);
    uint64_t copied = 0;
    auto string_at = [&](uint64_t table, uint64_t i, std::string *s) {
        uint64_t entry = table + 8 * i;  // 64-bit: no wrap-around, whatever the header says
        if (entry + 8 > size) return false;
        uint64_t length = word_at(entry, swapped), offset = word_at(entry + 4, swapped);
        if (offset >= size || length >= size - offset || data[offset + length] != '\0') return false;
        copied += length;
        if (copied > size) return false;
        s->assign(data, offset, length);
        return true;
    };
    bool utf8 = false;
    for (uint64_t i = 0; i < count; ++i) {
        std::string original, translation;
        if (!string_at(originals, i, &original) || !string_at(translations, i, &translation)) return {};
        if (original.empty()) {
            std::string header = Xapian::Unicode::tolower(translation);
            size_t charset = header.find("charset=");
            utf8 = charset != std::string::npos && header.compare(charset + 8, 5, "utf-8") == 0;
            if (!utf8) return {};
            continue;
        }
        if (size_t context = original.find('\x04'); context != std::string::npos) original.erase(0, context + 1);
        if (size_t plural = original.find('\0'); plural != std::string::npos) original.resize(plural);
        if (size_t plural = translation.find('\0'); plural != std::string::npos) translation.resize(plural);
        if (!translation.empty() && translation != original) out[original] = translation;
    }
    if (!utf8) return {};
    return out;
}

// The .mo files of LANG's catalogs, by name ("coreutils.mo").
std::map<std::string, std::string> catalogs_of(const std::string &locale_dir, const std::string &lang) {
    std::map<std::string, std::string> out;
    std::string dir = locale_dir + "/" + lang + "/LC_MESSAGES";
    DIR *listing = opendir(dir.c_str());
    if (!listing) return out;
    while (dirent *entry = readdir(listing)) {
        std::string name = entry->d_name;
        if (name.size() > 3 && name.compare(name.size() - 3, 3, ".mo") == 0) out[name] = dir + "/" + name;
    }
    closedir(listing);
    return out;
}

// ---------------------------------------------------------------------------- words

// A message's words, folded and lowercased as the lexicon's are: without printf conversions
// ("%s", "%1$d", "%-10lu": "lu" is a French word; "%%" is a percent sign), without the
// accelerator marks of menu labels ("_Open", "&File", "_Édition", and inside a word, "Da_tei",
// where the message has that one mark), and only words of letters (no identifier, number or
// option name: "max_size", "utf8"). Empty when the message is longer than kLongest words: the
// model learns best from short messages, and help screens are many sentences at once.
constexpr size_t kLongest = 40;
std::vector<std::string> message_words(const std::string &message) {
    // A letter: ASCII, or any byte of a UTF-8 sequence (accented letters).
    auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; };
    std::string text;
    for (size_t i = 0; i < message.size(); ++i) {
        char c = message[i];
        if (c == '%') {
            if (i + 1 < message.size() && message[i + 1] == '%') {
                text += ' ';
                ++i;
                continue;
            }
            size_t j = i + 1;
            while (j < message.size() && std::strchr("0123456789$.*-+#'lhjztLqI", message[j])) ++j;
            if (j < message.size() && std::isalpha(static_cast<unsigned char>(message[j]))) {
                text += ' ';
                i = j;
                continue;
            }
        }
        if ((c == '_' || c == '&') && i + 1 < message.size() && letter(message[i + 1])) {
            bool word_start = i == 0 || !std::isalnum(static_cast<unsigned char>(message[i - 1]));
            bool only_mark = std::count(message.begin(), message.end(), c) == 1;
            if (word_start || only_mark) continue;
        }
        text += c;
    }
    std::vector<std::string> words;
    bool too_long = false;
    each_word(fold(text.data(), text.size()), [&](const std::string &word) {
        if (word.size() < 2 || std::any_of(word.begin(), word.end(), [](char ch) { return (ch >= '0' && ch <= '9') || ch == '_'; }))
            return true;
        words.push_back(Xapian::Unicode::tolower(word));
        too_long = words.size() > kLongest;
        return !too_long;
    });
    if (too_long) words.clear();
    return words;
}

// ---------------------------------------------------------------------------- IBM Model 1

struct Vocabulary {
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<std::string> words;
    uint32_t id(const std::string &word) {
        auto [at, added] = ids.emplace(word, uint32_t(words.size()));
        if (added) words.push_back(word);
        return at->second;
    }
};

// The most message pairs aligned a language pair: the model's time and memory grow with them
// (56,212 English-French pairs here: 1.4 s and about 100 MB for both directions), and a
// system with every catalog installed has many times more than it needs.
constexpr size_t kMostPairs = 300000;

struct Bitext {
    Vocabulary a, b;
    std::vector<std::pair<std::vector<uint32_t>, std::vector<uint32_t>>> pairs;
    std::set<std::pair<std::vector<uint32_t>, std::vector<uint32_t>>> seen;
    void add(const std::vector<std::string> &x, const std::vector<std::string> &y) {
        if (x.empty() || y.empty() || pairs.size() >= kMostPairs) return;
        std::pair<std::vector<uint32_t>, std::vector<uint32_t>> pair;
        for (const auto &w : x) pair.first.push_back(a.id(w));
        for (const auto &w : y) pair.second.push_back(b.id(w));
        // A message repeated across programs ("Out of memory") counts once.
        if (seen.insert(pair).second) pairs.push_back(std::move(pair));
    }
};

constexpr int kIterations = 5;
// The least probability a translation is remembered with (in either direction): below it, a
// word's many chance neighbours.
constexpr float kLeastRemembered = 0.02f;

// t(target word | source word) over `pairs` (source = first or second of each pair), by EM
// from uniform; the source side has an empty word too (a target word may translate none).
// Returns, for each source word, its target words above kLeastRemembered, most probable first.
std::vector<std::vector<std::pair<uint32_t, float>>> model1(const Bitext &bitext, bool a_to_b) {
    const size_t sources = (a_to_b ? bitext.a.words.size() : bitext.b.words.size()) + 1;
    const uint32_t empty = uint32_t(sources - 1);
    // Every (source, target) that meets in a pair, as one 64-bit key, sorted: its index is the
    // parameter's.
    auto key = [](uint32_t s, uint32_t t) { return (uint64_t(s) << 32) | t; };
    std::vector<uint64_t> keys;
    for (const auto &[x, y] : bitext.pairs) {
        const auto &src = a_to_b ? x : y;
        const auto &tgt = a_to_b ? y : x;
        for (uint32_t t : tgt) {
            for (uint32_t s : src) keys.push_back(key(s, t));
            keys.push_back(key(empty, t));
        }
    }
    std::vector<uint64_t> unique = keys;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    unique.shrink_to_fit();
    std::vector<uint32_t> slots(keys.size());
    for (size_t i = 0; i < keys.size(); ++i)
        slots[i] = uint32_t(std::lower_bound(unique.begin(), unique.end(), keys[i]) - unique.begin());
    keys.clear();
    keys.shrink_to_fit();
    std::vector<float> t(unique.size(), 1.0f);
    std::vector<double> counts(unique.size()), totals(sources);
    for (int iteration = 0; iteration < kIterations; ++iteration) {
        std::fill(counts.begin(), counts.end(), 0.0);
        std::fill(totals.begin(), totals.end(), 0.0);
        size_t at = 0;
        for (const auto &[x, y] : bitext.pairs) {
            size_t width = (a_to_b ? x : y).size() + 1;
            size_t targets = (a_to_b ? y : x).size();
            for (size_t j = 0; j < targets; ++j, at += width) {
                double z = 0;
                for (size_t k = 0; k < width; ++k) z += t[slots[at + k]];
                for (size_t k = 0; k < width; ++k) counts[slots[at + k]] += t[slots[at + k]] / z;
            }
        }
        for (size_t i = 0; i < unique.size(); ++i) totals[unique[i] >> 32] += counts[i];
        for (size_t i = 0; i < unique.size(); ++i) t[i] = float(counts[i] / totals[unique[i] >> 32]);
    }
    std::vector<std::vector<std::pair<uint32_t, float>>> out(sources - 1);
    for (size_t i = 0; i < unique.size(); ++i) {
        uint32_t s = uint32_t(unique[i] >> 32);
        if (s != empty && t[i] >= kLeastRemembered) out[s].push_back({uint32_t(unique[i] & 0xffffffffu), t[i]});
    }
    for (auto &list : out)
        std::sort(list.begin(), list.end(), [](const auto &p, const auto &q) { return p.second > q.second; });
    return out;
}

// One direction's translations: a source word seen in two message pairs or more (one pair
// aligns its rare words to anything), not a stopword, keeps its kMaxLearnt most probable
// translations that are neither a stopword of the target nor the word itself (a translation
// identical to the word, "socket", says it is used as it is, and the query's own words are
// searched in the other languages' passages anyway, within their translations' group: translate.cpp), and
// that the model, run the other way, gives back the word with some probability (what both
// directions agree on is the translation; one direction alone also pairs a word with its
// usual neighbours).
Learnt direction(const Bitext &bitext, bool a_to_b, const std::string &from, const std::string &to,
                 const std::vector<std::vector<std::pair<uint32_t, float>>> &forward,
                 const std::vector<std::vector<std::pair<uint32_t, float>>> &backward) {
    constexpr size_t kLeastMessages = 2;
    const Vocabulary &source = a_to_b ? bitext.a : bitext.b, &target = a_to_b ? bitext.b : bitext.a;
    std::vector<uint32_t> messages(source.words.size(), 0);
    for (const auto &[x, y] : bitext.pairs) {
        std::vector<uint32_t> words = a_to_b ? x : y;
        std::sort(words.begin(), words.end());
        words.erase(std::unique(words.begin(), words.end()), words.end());
        for (uint32_t w : words) ++messages[w];
    }
    const Xapian::Stopper *source_stopper = stopper_for(from), *target_stopper = stopper_for(to);
    Learnt out;
    for (uint32_t s = 0; s < forward.size(); ++s) {
        const std::string &word = source.words[s];
        if (messages[s] < kLeastMessages || (source_stopper && (*source_stopper)(word))) continue;
        std::vector<std::string> kept;
        for (const auto &[t, p] : forward[s]) {
            if (p < kLeastLearnt) break;
            const std::string &translation = target.words[t];
            if (translation == word || (target_stopper && (*target_stopper)(translation))) continue;
            const auto &back = backward[t];
            if (std::none_of(back.begin(), back.end(), [s = s](const auto &b) { return b.first == s; })) continue;
            kept.push_back(translation);
            if (kept.size() == kMaxLearnt) break;
        }
        if (!kept.empty()) out.emplace(word, std::move(kept));
    }
    return out;
}

}  // namespace

CatalogTranslations learn_from_catalogs(const std::string &locale_dir) {
    CatalogTranslations out;
    // Each message's words are read once: an English message and its French translation are
    // paired with the German translation of the same message of the same program too.
    using Words = std::vector<std::string>;
    std::map<std::string, std::map<std::string, std::pair<Words, Words>>> french;  // catalog -> English -> (en, fr)
    Bitext en_fr, en_de, fr_de;
    for (const auto &[name, path] : catalogs_of(locale_dir, "fr")) {
        auto messages = read_catalog(path);
        if (messages.empty()) continue;
        ++out.catalogs;
        auto &catalog = french[name];
        for (const auto &[english, translation] : messages) {
            auto &words = catalog[english] = {message_words(english), message_words(translation)};
            en_fr.add(words.first, words.second);
        }
    }
    for (const auto &[name, path] : catalogs_of(locale_dir, "de")) {
        auto messages = read_catalog(path);
        if (messages.empty()) continue;
        ++out.catalogs;
        auto catalog = french.find(name);
        for (const auto &[english, translation] : messages) {
            Words german = message_words(translation);
            const std::pair<Words, Words> *same = nullptr;
            if (catalog != french.end())
                if (auto at = catalog->second.find(english); at != catalog->second.end()) same = &at->second;
            en_de.add(same ? same->first : message_words(english), german);
            if (same) fr_de.add(same->second, german);
        }
    }
    for (auto [bitext, a, b] : {std::tuple<Bitext *, const char *, const char *>{&en_fr, "en", "fr"},
                                {&en_de, "en", "de"}, {&fr_de, "fr", "de"}}) {
        if (bitext->pairs.empty()) continue;
        out.pairs += bitext->pairs.size();
        auto a_b = model1(*bitext, true), b_a = model1(*bitext, false);
        out.directions[std::string(a) + ">" + b] = direction(*bitext, true, a, b, a_b, b_a);
        out.directions[std::string(b) + ">" + a] = direction(*bitext, false, b, a, b_a, a_b);
    }
    return out;
}

std::string catalog_dir() {
    if (const char *dir = std::getenv("PRESSE_CATALOGS"); dir && *dir) return dir;
    return "/usr/share/locale";
}

}  // namespace cxapian
