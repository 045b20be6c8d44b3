// German compound splitting with a word list, after Koehn & Knight (2003): a word of 8
// letters or more is cut into 2 (else 3) parts of 4 letters or more, each a word of the
// lexicon, with the usual linking elements allowed between them (-s-, -es-, -n-, -en-, -e-,
// -er-); the last part must be a noun; fewest parts win, then the most balanced (largest
// product of the part lengths). A word the lexicon already holds ("Zusammenarbeit") is split
// only under KnownWordRule, which is what keeps "Unternehmen", "Gesellschaft" and
// "Zusammenarbeit" whole while "Kooperationsvertrag" and "Lebensmittelindustrie" (also in
// the list) still split. Function words never make a part ("unter"+"nehmen"), nor do
// suffix-like nouns make a head ("wissen"+"schaft").
//
// The lexicon is Debian's wngerman list compiled once into a sorted, folded, deduplicated
// image (below) that a process maps and binary-searches: opening costs a few system calls,
// not a parse of 356,000 words (figures in Benchmarks/compounds/README.md).
//
// Image layout (native byte order; the cache is per machine):
//   Header | uint32 buckets[kBuckets + 1] | uint32 offsets[count + 1] | entries
// Entry i is entries[offsets[i], offsets[i + 1]): the folded word, then one flag byte. Words
// are a-z only, so the first three letters (bucket_of) order them as their bytes do:
// buckets[b] is the first word of bucket b or later, and a lookup binary-searches one bucket
// (~20 words) instead of the whole list: half the time, mostly cache misses on a 6 MB image.
#include "compounds.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <string_view>
#include <unordered_set>

#include "internal.h"

namespace cxapian {
namespace {

constexpr size_t kMinWord = 8;  // shorter words are never split
constexpr size_t kMinPart = 4;
constexpr size_t kMinKnownPart = 5;  // parts of a word the lexicon holds whole
constexpr unsigned char kNoun = 1;

struct Header {
    char magic[8];
    uint32_t version;
    uint32_t count;
    uint64_t source_size;
    int64_t source_mtime_sec;
    int64_t source_mtime_nsec;
};
constexpr char kMagic[8] = {'P', 'R', 'E', 'S', 'S', 'E', 'D', 'C'};
constexpr uint32_t kVersion = 2;  // bump when compile() changes what it writes
constexpr size_t kBuckets = 27 * 27 * 27;

// 0 past the end of the word, 1-26 for a-z: "ab" sorts before "aba", as bytes do.
size_t bucket_of(const char *word, size_t length) {
    size_t bucket = 0;
    for (size_t i = 0; i < 3; ++i)
        bucket = bucket * 27 + (i < length ? size_t(word[i] - 'a' + 1) : 0);
    return bucket;
}

// Between two parts, longest first so "es" is tried before "e" (both are tried anyway).
constexpr std::string_view kLinks[] = {"", "s", "es", "n", "en", "e", "er"};

// Function words that are in the lexicon but never the first part of a compound: prepositions
// and verb particles ("unter"+"nehmen", "uber"+"nahme"), pronouns, articles, adverbs.
const std::unordered_set<std::string_view> &never_first() {
    static const std::unordered_set<std::string_view> words = {
        "aber", "allem", "allen", "aller", "alles", "also", "ander", "andere", "anderen",
        "anders", "auch", "ausser", "aussen", "beim", "bevor", "dabei", "dafur", "dagegen",
        "daher", "dahin", "damit", "danach", "daneben", "dann", "daran", "darauf", "daraus",
        "darin", "daruber", "darum", "darunter", "davon", "davor", "dazu", "dein", "deine",
        "denn", "dessen", "deren", "diese", "diesem", "diesen", "dieser", "dieses", "doch",
        "dort", "durch", "eine", "einem", "einen", "einer", "eines", "empor", "entgegen",
        "etwa", "euer", "eure", "gegen", "gegenuber", "heran", "herab", "heraus", "herein",
        "herum", "herunter", "hervor", "hier", "hinab", "hinauf", "hinaus", "hinein", "hinten",
        "hinter", "hinunter", "ihre", "ihrem", "ihren", "ihrer", "ihres", "immer", "innen",
        "jede", "jedem", "jeden", "jeder", "jedes", "mehr", "mein", "meine", "nach", "neben",
        "nicht", "nichts", "noch", "oben", "oder", "ohne", "schon", "sehr", "sein", "seine",
        "seinem", "seinen", "seiner", "seines", "seit", "selbst", "sich", "sind", "sowie", "trans",
        "uber", "uberein", "ubers", "unser", "unsere", "unten", "unter", "viel", "viele", "voran", "voraus",
        "vorbei", "vorne", "weil", "weiter", "wenn", "wider", "wieder", "wohl", "zuruck",
        "zusammen", "zwischen"};
    return words;
}

// Nouns that are suffixes far more often than heads: "wissen"+"schaft", "glaub"+"haft",
// "moglicher"+"weise", "genera"+"toren".
const std::unordered_set<std::string_view> &never_head() {
    static const std::unordered_set<std::string_view> words = {
        "schaft", "schaften", "haft", "haften", "weise", "weisen", "ling", "linge", "lingen",
        "lings", "nisse", "nissen", "heit", "keit", "tums", "ions", "ionen", "lose", "losen",
        "loser", "loses", "losem", "enden", "endes", "endem", "ender", "voller", "vollen",
        "volles", "vollem", "freier", "freien", "freies", "freiem", "massig", "massige",
        "massigen", "massiger", "massiges", "bare", "baren", "barer", "bares", "barem", "nische",
        "nischen", "leichen", "toren"};
    return words;
}

// Inflected -isch adjectives and the uninflected ones whose ending reads as a noun head:
// "thematische" is no "thema"+"tische", "amerikanischen" no "amerika"+"nischen" ("Spieltisch"
// and "Thunfisch" still split).
bool looks_like_adjective(const std::string &word) {
    auto ends_with = [&](std::string_view ending) {
        return word.size() > ending.size() &&
               word.compare(word.size() - ending.size(), ending.size(), ending) == 0;
    };
    for (std::string_view ending : {"ische", "ischen", "ischer", "isches", "ischem", "atisch",
                                    "etisch", "itisch", "otisch", "anisch", "ifisch", "arisch",
                                    "orisch", "istisch"})
        if (ends_with(ending)) return true;
    return false;
}

bool all_lowercase_letters(const std::string &word) {
    for (char c : word)
        if (c < 'a' || c > 'z') return false;
    return !word.empty();
}

// Folds and lowercases a list word ("Gründung" → "grundung"); "" for anything that is not
// letters only after folding (abbreviations with dots, hyphenated forms).
std::string fold_word(const std::string &line) {
    std::string folded = fold(line.data(), line.size());
    for (char &c : folded)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return all_lowercase_letters(folded) ? folded : std::string();
}

bool capitalised(const std::string &line) {
    if (line.empty()) return false;
    auto c = static_cast<unsigned char>(line[0]);
    if (c >= 'A' && c <= 'Z') return true;
    // Ä Ö Ü in UTF-8
    return c == 0xC3 && line.size() > 1 &&
           (line[1] == '\x84' || line[1] == '\x96' || line[1] == '\x9C');
}

// Compiles the word list into an image. The list folds case together ("unternehmen",
// "vertrag" stand for the verb and the noun), so a lowercase word also counts as a noun when
// its genitive or plural is listed capitalised ("Unternehmens", "Vertrages").
std::string compile(const std::string &word_list, const struct stat &source) {
    std::ifstream in(word_list, std::ios::binary);
    if (!in) return std::string();
    std::vector<std::pair<std::string, unsigned char>> words;
    words.reserve(400000);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::string folded = fold_word(line);
        if (folded.empty()) continue;
        words.emplace_back(std::move(folded), capitalised(line) ? kNoun : 0);
    }
    std::sort(words.begin(), words.end());
    // Deduplicate, merging flags ("Bar" and "bär" fold together).
    size_t kept = 0;
    for (size_t i = 0; i < words.size(); ++i) {
        if (kept && words[kept - 1].first == words[i].first) {
            words[kept - 1].second |= words[i].second;
        } else {
            if (kept != i) words[kept] = std::move(words[i]);
            ++kept;
        }
    }
    words.resize(kept);
    auto noun_listed = [&](const std::string &w) {
        auto it = std::lower_bound(words.begin(), words.end(), std::make_pair(w, (unsigned char)0));
        return it != words.end() && it->first == w && (it->second & kNoun);
    };
    std::vector<unsigned char> inferred(words.size(), 0);
    for (size_t i = 0; i < words.size(); ++i) {
        if (words[i].second & kNoun) continue;
        for (const char *ending : {"s", "es", "n", "en"})
            if (noun_listed(words[i].first + ending)) { inferred[i] = kNoun; break; }
    }
    for (size_t i = 0; i < words.size(); ++i) words[i].second |= inferred[i];

    size_t entries = 0;
    for (const auto &w : words) entries += w.first.size() + 1;
    std::string image;
    image.resize(sizeof(Header) + 4 * (kBuckets + 1) + 4 * (words.size() + 1) + entries);
    Header header{};
    std::memcpy(header.magic, kMagic, sizeof kMagic);
    header.version = kVersion;
    header.count = static_cast<uint32_t>(words.size());
    header.source_size = static_cast<uint64_t>(source.st_size);
    header.source_mtime_sec = source.st_mtim.tv_sec;
    header.source_mtime_nsec = source.st_mtim.tv_nsec;
    std::memcpy(&image[0], &header, sizeof header);
    auto *buckets = reinterpret_cast<uint32_t *>(&image[sizeof(Header)]);
    size_t next = 0;  // the first bucket not yet given a start
    for (size_t i = 0; i < words.size(); ++i) {
        size_t bucket = bucket_of(words[i].first.data(), words[i].first.size());
        while (next <= bucket) buckets[next++] = static_cast<uint32_t>(i);
    }
    while (next <= kBuckets) buckets[next++] = static_cast<uint32_t>(words.size());
    auto *offsets = reinterpret_cast<uint32_t *>(&image[sizeof(Header) + 4 * (kBuckets + 1)]);
    char *entry = &image[sizeof(Header) + 4 * (kBuckets + 1) + 4 * (words.size() + 1)];
    uint32_t offset = 0;
    for (size_t i = 0; i < words.size(); ++i) {
        offsets[i] = offset;
        std::memcpy(entry + offset, words[i].first.data(), words[i].first.size());
        offset += static_cast<uint32_t>(words[i].first.size());
        entry[offset++] = static_cast<char>(words[i].second);
    }
    offsets[words.size()] = offset;
    return image;
}

// Whether `image` is a well-formed image compiled from `source`.
bool valid_image(const unsigned char *image, size_t size, const struct stat &source) {
    if (size < sizeof(Header)) return false;
    Header header;
    std::memcpy(&header, image, sizeof header);
    if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0 || header.version != kVersion)
        return false;
    if (header.source_size != static_cast<uint64_t>(source.st_size) ||
        header.source_mtime_sec != source.st_mtim.tv_sec ||
        header.source_mtime_nsec != source.st_mtim.tv_nsec)
        return false;
    size_t table = sizeof(Header) + 4 * (kBuckets + 1) + 4 * (size_t(header.count) + 1);
    if (size < table) return false;
    uint32_t last;
    std::memcpy(&last, image + table - 4, 4);
    return table + last == size;
}

// Writes the image next to `path` and renames it into place, so a reader sees the old file
// or the whole new one. Failures are silent: the cache only saves time.
void write_atomically(const std::string &path, const std::string &image) {
    size_t slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0) {
        // mkdir -p of the cache folder
        std::string folder = path.substr(0, slash);
        for (size_t i = 1; i <= folder.size(); ++i)
            if (i == folder.size() || folder[i] == '/') ::mkdir(folder.substr(0, i).c_str(), 0755);
    }
    std::string temporary = path + ".tmp." + std::to_string(::getpid());
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return;
    size_t written = 0;
    while (written < image.size()) {
        ssize_t n = ::write(fd, image.data() + written, image.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        written += static_cast<size_t>(n);
    }
    bool ok = written == image.size() && ::fsync(fd) == 0;
    ok = (::close(fd) == 0) && ok;
    if (!ok || ::rename(temporary.c_str(), path.c_str()) != 0) ::unlink(temporary.c_str());
}

std::mutex shared_path_mutex;
std::string *shared_path_override = nullptr;

}  // namespace

std::string CompoundSplitter::shared_cache_path() {
    {
        std::lock_guard<std::mutex> lock(shared_path_mutex);
        if (shared_path_override) return *shared_path_override;
    }
    const char *name = "ngerman.lexicon";
    if (const char *dir = std::getenv("PRESSE_CACHE_DIR"); dir && *dir)
        return std::string(dir) + "/" + name;
    if (const char *dir = std::getenv("XDG_CACHE_HOME"); dir && *dir)
        return std::string(dir) + "/presse/" + name;
    if (const char *home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.cache/presse/" + name;
    return std::string();
}

void CompoundSplitter::set_shared_cache_path(const std::string &path) {
    std::lock_guard<std::mutex> lock(shared_path_mutex);
    delete shared_path_override;
    shared_path_override = new std::string(path);
}

const CompoundSplitter *CompoundSplitter::shared() noexcept {
    // A function-local static: built once, thread-safely; never freed (the mapping lives as
    // long as the process).
    static const CompoundSplitter *splitter = [] {
        std::unique_ptr<CompoundSplitter> opened;
        try {
            opened = open(kWordList, shared_cache_path());
        } catch (...) {
        }
        if (!opened) opened.reset(new (std::nothrow) CompoundSplitter());
        return opened.release();
    }();
    static const CompoundSplitter empty;
    return splitter ? splitter : &empty;
}

std::unique_ptr<CompoundSplitter> CompoundSplitter::open(const std::string &word_list,
                                                         const std::string &cache_path,
                                                         KnownWordRule rule) noexcept {
    try {
        std::unique_ptr<CompoundSplitter> splitter(new CompoundSplitter());
        splitter->rule_ = rule;
        struct stat source;
        if (::stat(word_list.c_str(), &source) != 0) return splitter;  // no list: no splits

        if (!cache_path.empty()) {
            int fd = ::open(cache_path.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd >= 0) {
                struct stat cached;
                if (::fstat(fd, &cached) == 0 && cached.st_size > 0) {
                    size_t size = static_cast<size_t>(cached.st_size);
                    void *map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
                    if (map != MAP_FAILED) {
                        if (valid_image(static_cast<const unsigned char *>(map), size, source)) {
                            splitter->mapping_ = map;
                            splitter->image_ = static_cast<const unsigned char *>(map);
                            splitter->image_size_ = size;
                            splitter->from_cache_ = true;
                        } else {
                            ::munmap(map, size);
                        }
                    }
                }
                ::close(fd);
            }
        }
        if (!splitter->image_) {
            splitter->owned_ = compile(word_list, source);
            if (splitter->owned_.empty()) return splitter;
            if (!cache_path.empty()) write_atomically(cache_path, splitter->owned_);
            splitter->image_ = reinterpret_cast<const unsigned char *>(splitter->owned_.data());
            splitter->image_size_ = splitter->owned_.size();
        }
        Header header;
        std::memcpy(&header, splitter->image_, sizeof header);
        splitter->count_ = header.count;
        splitter->buckets_ = reinterpret_cast<const uint32_t *>(splitter->image_ + sizeof(Header));
        splitter->offsets_ = splitter->buckets_ + kBuckets + 1;
        splitter->entries_ = reinterpret_cast<const unsigned char *>(splitter->offsets_ + header.count + 1);
        return splitter;
    } catch (...) {
        return nullptr;
    }
}

CompoundSplitter::~CompoundSplitter() {
    if (mapping_) ::munmap(mapping_, image_size_);
}

std::string_view CompoundSplitter::entry(size_t i) const {
    return std::string_view(reinterpret_cast<const char *>(entries_ + offsets_[i]), offsets_[i + 1] - offsets_[i] - 1);
}

size_t CompoundSplitter::first_not_below(std::string_view key, size_t bucket) const {
    size_t low = buckets_[bucket], high = buckets_[bucket + 1];
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (entry(middle).compare(key) < 0) low = middle + 1;
        else high = middle;
    }
    return low;
}

long CompoundSplitter::find(const char *word, size_t length) const {
    if (count_ == 0) return -1;
    for (size_t i = 0; i < length && i < 3; ++i)
        if (word[i] < 'a' || word[i] > 'z') return -1;  // entries are a-z only
    std::string_view key(word, length);
    size_t bucket = bucket_of(word, length);
    size_t at = first_not_below(key, bucket);
    return at < buckets_[bucket + 1] && entry(at) == key ? static_cast<long>(at) : -1;
}

bool CompoundSplitter::is_prefix(const char *letters, size_t length) const {
    // Every word starting with `letters` (3 or more) is in their bucket.
    if (count_ == 0 || length < 3) return count_ != 0;
    std::string_view key(letters, length);
    size_t bucket = bucket_of(letters, length);
    size_t at = first_not_below(key, bucket);
    return at < buckets_[bucket + 1] && entry(at).substr(0, length) == key;
}

int CompoundSplitter::flags_of(const char *word, size_t length) const {
    long i = find(word, length);
    if (i < 0) return -1;
    return entries_[offsets_[i + 1] - 1];
}

bool CompoundSplitter::contains(const std::string &folded_word) const {
    return find(folded_word.data(), folded_word.size()) >= 0;
}

bool CompoundSplitter::is_noun(const std::string &folded_word) const {
    int flags = flags_of(folded_word.data(), folded_word.size());
    return flags >= 0 && (flags & kNoun);
}

bool CompoundSplitter::usable_first(const std::string &word, size_t start, size_t length) const {
    if (length < kMinPart) return false;
    if (never_first().count(std::string_view(word.data() + start, length))) return false;
    return find(word.data() + start, length) >= 0;
}

bool CompoundSplitter::usable_head(const std::string &word, size_t start, size_t length) const {
    if (length < kMinPart) return false;
    if (never_head().count(std::string_view(word.data() + start, length))) return false;
    int flags = flags_of(word.data() + start, length);
    return flags >= 0 && (flags & kNoun);
}

// In the lexicon, or a verbal noun of a listed verb ("beinhaltung" from "beinhalten"), which
// the list leaves out but is no more a compound than its verb.
bool CompoundSplitter::is_known(const std::string &word) const {
    if (contains(word)) return true;
    for (std::string_view suffix : {std::string_view("ungen"), std::string_view("ung")}) {
        if (word.size() <= suffix.size() + kMinPart) continue;
        if (word.compare(word.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
        std::string verb = word.substr(0, word.size() - suffix.size());
        for (const char *ending : {"en", "n"}) {
            int flags = flags_of((verb + ending).data(), verb.size() + std::strlen(ending));
            if (flags >= 0 && !(flags & kNoun)) return true;
        }
    }
    return false;
}

// Tries every first part at `start` followed by either a head (the rest) or, with
// parts_left > 2, a split of the rest; keeps the best complete split in *best.
bool CompoundSplitter::split_rest(const std::string &word, size_t start, int parts_left,
                                  std::vector<std::pair<size_t, size_t>> *best,
                                  double *best_score,
                                  std::vector<std::pair<size_t, size_t>> *current,
                                  bool known) const {
    size_t n = word.size();
    size_t min_part = known ? kMinKnownPart : kMinPart;
    bool found = false;
    for (size_t end = start + min_part; end + min_part <= n; ++end) {
        size_t first_length = end - start;
        // Longer first parts cannot be words once no word starts with these letters.
        if (!is_prefix(word.data() + start, first_length)) break;
        if (!usable_first(word, start, first_length)) continue;
        if (known && rule_ == KnownWordRule::kLongNounParts &&
            !is_noun(word.substr(start, first_length)))
            continue;
        current->emplace_back(start, first_length);
        for (std::string_view link : kLinks) {
            if (word.compare(end, link.size(), link) != 0) continue;
            size_t rest = end + link.size();
            size_t rest_length = n - rest;
            if (rest_length < min_part) continue;
            if (parts_left == 2) {
                if (!usable_head(word, rest, rest_length)) continue;
                current->emplace_back(rest, rest_length);
                double score = 1;
                for (const auto &part : *current) score *= double(part.second);
                if (score > *best_score) {
                    *best_score = score;
                    *best = *current;
                }
                current->pop_back();
                found = true;
            } else if (rest_length >= 2 * min_part) {
                found |= split_rest(word, rest, parts_left - 1, best, best_score, current, known);
            }
        }
        current->pop_back();
    }
    return found;
}

std::vector<std::string> CompoundSplitter::parts(const std::string &folded_word) const {
    std::vector<std::string> result;
    if (count_ == 0 || folded_word.size() < kMinWord) return result;
    std::string word = folded_word;
    for (char &c : word)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!all_lowercase_letters(word)) return result;
    if (looks_like_adjective(word)) return result;
    bool known = is_known(word);
    if (known && rule_ == KnownWordRule::kNeverSplit) return result;
    // A compound whose head is a noun is a noun: a listed word that is not ("thematisch",
    // "vortragenden") has no noun head to find.
    if (known && rule_ == KnownWordRule::kLongPartsOfNouns && !is_noun(word)) return result;

    std::vector<std::pair<size_t, size_t>> best, current;
    for (int parts = 2; parts <= 3 && best.empty(); ++parts) {
        double best_score = 0;
        split_rest(word, 0, parts, &best, &best_score, &current, known);
    }
    for (const auto &part : best) result.push_back(word.substr(part.first, part.second));
    return result;
}

namespace {

std::string lowercase_ascii(std::string word) {
    for (char &c : word)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return word;
}

// The part terms of one folded word ("" prefix + stems), through the memo when there is one.
const std::vector<std::string> &part_terms(const std::string &word, const Xapian::Stem &stemmer,
                                           const std::string &term_prefix, CompoundMemo *memo,
                                           std::vector<std::string> *scratch) {
    if (memo) {
        auto found = memo->find(word);
        if (found != memo->end()) return found->second;
    }
    std::vector<std::string> terms;
    for (const std::string &part : CompoundSplitter::shared()->parts(lowercase_ascii(word)))
        terms.push_back(term_prefix + stemmer(part));
    if (!memo) {
        *scratch = std::move(terms);
        return *scratch;
    }
    if (memo->size() > 200000) memo->clear();  // a bound, for huge batches of odd words
    return memo->emplace(word, std::move(terms)).first->second;
}

}  // namespace

void add_compound_parts(Xapian::Document &document, const std::string &folded_text,
                        const Xapian::Stem &stemmer, const std::string &term_prefix,
                        CompoundMemo *memo, Xapian::termpos position) {
    // A byte scan rather than each_word's code points: only runs of ASCII letters can split,
    // and this walk is half the cost of the whole step (each_word's made it 0.8x the
    // TermGenerator's own time on German text).
    std::vector<std::string> added, scratch;
    std::string word;
    const size_t n = folded_text.size();
    size_t i = 0;
    while (i < n) {
        auto c = static_cast<unsigned char>(folded_text[i]);
        bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        if (!letter && c < 0x80 && !(c >= '0' && c <= '9') && c != '_') { ++i; continue; }
        // A run of word bytes; it is a candidate only when all of them are ASCII letters.
        size_t start = i;
        bool letters_only = true;
        for (; i < n; ++i) {
            auto b = static_cast<unsigned char>(folded_text[i]);
            if (((b | 0x20) >= 'a' && (b | 0x20) <= 'z')) continue;
            if (b >= 0x80 || (b >= '0' && b <= '9') || b == '_') { letters_only = false; continue; }
            break;
        }
        if (!letters_only || i - start < 8) continue;
        word.assign(folded_text, start, i - start);
        for (char &l : word) l = static_cast<char>(l | 0x20);
        for (const std::string &term : part_terms(word, stemmer, term_prefix, memo, &scratch))
            if (std::find(added.begin(), added.end(), term) == added.end()) added.push_back(term);
    }
    for (const std::string &term : added) {
        if (position) document.add_posting(term, position, 1);
        else document.add_term(term, 1);
    }
}

Xapian::Query compound_parts_query(const std::string &folded_words, const Xapian::Stem &stemmer,
                                   const std::string &term_prefix, double part_scale) {
    std::vector<Xapian::Query> branches;
    std::vector<std::string> scratch;
    each_word(folded_words, [&](const std::string &word) {
        if (word.size() < 8) return true;
        const auto &terms = part_terms(word, stemmer, term_prefix, nullptr, &scratch);
        if (terms.empty()) return true;
        Xapian::Query parts(Xapian::Query::OP_AND, terms.begin(), terms.end());
        branches.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, parts, part_scale);
        return true;
    });
    if (branches.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_OR, branches.begin(), branches.end());
}

}  // namespace cxapian

extern "C" cx_status cx_compound_parts(const char *word, size_t len, cx_bytes *out,
                                       cx_error *error) {
    if (out) *out = cx_bytes{nullptr, 0};
    try {
        if (!out || (!word && len)) return cxapian::fail(error, CX_INVALID_ARGUMENT, "no word");
        std::string folded = cxapian::fold(word, len);
        for (char &c : folded)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        std::string joined;
        for (const std::string &part : cxapian::CompoundSplitter::shared()->parts(folded)) {
            if (!joined.empty()) joined.push_back(' ');
            joined += part;
        }
        cxapian::copy_out(joined, out);
        return CX_OK;
    } catch (...) {
        return cxapian::translate_exception(error);
    }
}
