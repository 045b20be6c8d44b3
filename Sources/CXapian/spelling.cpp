// "Did you mean", per language: the spelling table (schema.h) kept exact as releases are
// added, replaced and removed, and the suggestion for a query's unknown words.
//
// Xapian's own spelling correction (QueryParser::FLAG_SPELLING_CORRECTION) only looks at
// unprefixed terms, and Presse's terms are all prefixed stems; the table is filled and read
// here with Database::add_spelling and get_spelling_suggestion. Each language writes its words
// in an alphabet of its own, so one table holds three vocabularies that share no fragment.
#include <algorithm>
#include <deque>
#include <iterator>
#include <map>
#include <unordered_map>
#include <set>

#include "asking.h"
#include "internal.h"
#include "lookups.h"
#include "search_parts.h"

namespace cxapian {

namespace {

// Words shorter than this are neither stored nor corrected: at three letters most typos are
// another word, and the fragments of short words are the table's longest lists.
constexpr size_t kShortestWord = 4;
// Longer "words" are identifiers, URLs run together, chemical names: nobody mistypes them.
constexpr size_t kLongestWord = 24;
// A suggestion must have been seen in this many releases: one release's typo is not
// suggested for another's (a word seen once is as likely a typo as the query's).
constexpr Xapian::doccount kSuggestedFrequency = 2;

// The spelling alphabet's first letter of each language that has one.
char alphabet_of(const std::string &lang) {
    if (lang == "en") return 'a';
    if (lang == "fr") return 'A';
    if (lang == "de") return '\x01';
    return 0;
}

// The word (folded, a-z only) in its language's spelling alphabet; "" when it has none.
std::string spelling_key(const std::string &lang, const std::string &word) {
    char base = alphabet_of(lang);
    if (!base) return "";
    std::string key = word;
    for (char &c : key) c = static_cast<char>(base + (c - 'a'));
    return key;
}

std::string spelling_word(const std::string &key) {
    std::string word = key;
    for (char &c : word) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        else if (c >= 1 && c <= 26) c = static_cast<char>(c - 1 + 'a');
    }
    return word;
}

// A folded word lowercased, when it is one the table keeps: letters a-z only, of a length it
// keeps. False otherwise (digits, other scripts, too short or long).
bool spelling_word_of(const std::string &word, std::string *lower) {
    if (word.size() < kShortestWord || word.size() > kLongestWord) return false;
    lower->resize(word.size());
    for (size_t i = 0; i < word.size(); ++i) {
        char c = word[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c < 'a' || c > 'z') return false;
        (*lower)[i] = c;
    }
    return true;
}

// The spelling keys of a release's passages, each once.
std::set<std::string> release_keys(const schema::StoredRelease &release) {
    std::set<std::string> keys;
    std::string lower;
    for (const auto &passage : release.passages) {
        if (!alphabet_of(passage.lang)) continue;
        each_word(fold(passage.text.data(), passage.text.size()), [&](const std::string &word) {
            if (spelling_word_of(word, &lower)) keys.insert(spelling_key(passage.lang, lower));
            return true;
        });
    }
    return keys;
}

// How many releases hold a spelling key (Xapian 1.4 has no direct lookup: the spelling list's
// iterator skips to it).
Xapian::doccount spelling_frequency(const Xapian::Database &db, const std::string &key) {
    Xapian::TermIterator it = db.spellings_begin();
    it.skip_to(key);
    return it != db.spellings_end() && *it == key ? it.get_termfreq() : 0;
}

size_t edit_distance(const std::string &a, const std::string &b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// True when some searched language's term space holds the word's stem, or a vocabulary the
// word itself: it is not misspelt, whatever else it is.
// A language's stemmer, built once per thread (building one costs more than the lookups it
// serves; a Stem is not to be shared between threads).
const Xapian::Stem &stemmer(const std::string &lang) {
    thread_local std::deque<std::pair<std::string, Xapian::Stem>> stemmers;  // a deque: references stay valid
    for (const auto &entry : stemmers)
        if (entry.first == lang) return entry.second;
    stemmers.emplace_back(lang, Xapian::Stem(stemmer_name(lang)));
    return stemmers.back().second;
}

bool known(const Xapian::Database &db, const std::string &word, const std::vector<std::string> &languages) {
    for (const auto &lang : languages) {
        const Xapian::Stem &stem = stemmer(lang);
        if (db.get_termfreq(schema::kStemPrefix + language_term_prefix(lang) + stem(word)) > 0) return true;
        std::string key = spelling_key(lang, word);
        if (!key.empty() && spelling_frequency(db, key) > 0) return true;
    }
    return false;
}

// How many edits "did you mean" allows: one for a word of up to five letters, two for longer
// ones ("osak" is one from "osaka", and two edits would turn most short words into another).
unsigned max_edits(const std::string &word) { return word.size() <= 5 ? 1 : 2; }

// The closest word to `word` in the vocabularies of `languages` seen in enough releases, the
// most frequent among equally close ones; "" when none is close enough. `candidates`: each
// language's closest words (one per index or shard: lookups.h) with their releases.
std::string closest(const std::string &word, const std::vector<std::string> &languages,
                    const std::map<std::string, std::map<std::string, Xapian::doccount>> &candidates) {
    std::string best;
    size_t best_distance = max_edits(word) + 1;
    Xapian::doccount best_frequency = 0;
    for (const auto &lang : languages) {
        auto offered = candidates.find(lang);
        if (offered == candidates.end()) continue;
        // A language's own pick first, as one index's spelling table makes it (the closest,
        // then the most frequent); seen in too few releases, it is not suggested.
        std::string pick;
        size_t pick_distance = 0;
        Xapian::doccount pick_frequency = 0;
        for (const auto &candidate : offered->second) {
            size_t distance = edit_distance(word, candidate.first);
            if (pick.empty() || distance < pick_distance || (distance == pick_distance && candidate.second > pick_frequency)) {
                pick = candidate.first;
                pick_distance = distance;
                pick_frequency = candidate.second;
            }
        }
        if (pick.empty() || pick_frequency < kSuggestedFrequency) continue;
        if (pick_distance < best_distance || (pick_distance == best_distance && pick_frequency > best_frequency)) {
            best = pick;
            best_distance = pick_distance;
            best_frequency = pick_frequency;
        }
    }
    return best;
}

}  // namespace

namespace {

// A word seen in one release only is not in the spelling table (half of the vocabulary, and
// as likely a typo as a word): it waits under a key of its own in the synonym table
// (schema.h, kSingletonPrefix), without fragments, until a second release holds it.
std::string singleton_key(const std::string &key) { return schema::kSingletonPrefix + key; }

// What a singleton's key holds: its synonym needs one, and nothing reads it.
const char *const kSingletonMark = "1";

}  // namespace

// The number of releases holding each spelling key (0 none, 1 a singleton, more: in the
// spelling table), as this writer has left them, and as the tables last got them. Reading
// the spelling table from a writer makes Xapian merge its pending changes into its B-tree at
// each read, which made a build 2.6 times slower: a writer that started on an empty index
// knows every count from what it wrote (`complete`); another reads a key once, then keeps
// it. The tables are written at each commit (flush_spelling), a key once however many
// releases of the batch hold it: a word's first and second release in one batch never touch
// the singletons (writing each release's words at once cost a third of a build's time).
struct SpellingCounts {
    struct Count {
        Xapian::doccount now = 0, written = 0;
    };
    std::unordered_map<std::string, Count> counts;
    std::vector<std::string> changed;  // keys whose `now` may differ from `written`
    bool complete = false;
};

namespace {

SpellingCounts::Count &count_of(Xapian::WritableDatabase &db, SpellingCounts &known, const std::string &key) {
    auto found = known.counts.find(key);
    if (found != known.counts.end()) return found->second;
    Xapian::doccount count = 0;
    if (!known.complete) {
        count = spelling_frequency(db, key);
        if (count == 0 && db.synonyms_begin(singleton_key(key)) != db.synonyms_end(singleton_key(key))) count = 1;
    }
    SpellingCounts::Count &entry = known.counts[key];
    entry.now = entry.written = count;
    return entry;
}

void add_word(Xapian::WritableDatabase &db, SpellingCounts &known, const std::string &key) {
    SpellingCounts::Count &count = count_of(db, known, key);
    if (count.now == count.written) known.changed.push_back(key);
    ++count.now;
}

void remove_word(Xapian::WritableDatabase &db, SpellingCounts &known, const std::string &key) {
    SpellingCounts::Count &count = count_of(db, known, key);
    if (count.now == 0) return;
    if (count.now == count.written) known.changed.push_back(key);
    --count.now;
}

// Moves a key's entry in the tables from `from` releases to `to`.
void write_count(Xapian::WritableDatabase &db, const std::string &key, Xapian::doccount from, Xapian::doccount to) {
    if (from == to) return;
    if (from == 1) db.clear_synonyms(singleton_key(key));
    if (from >= 2 && to >= 2) {
        if (to > from) db.add_spelling(key, to - from);
        else db.remove_spelling(key, from - to);
        return;
    }
    if (from >= 2) db.remove_spelling(key, from);
    if (to == 1) db.add_synonym(singleton_key(key), kSingletonMark);
    if (to >= 2) db.add_spelling(key, to);
}

}  // namespace

void flush_spelling(cx_database *handle) {
    if (!handle || !handle->writer || !handle->spelling) return;
    SpellingCounts &known = *handle->spelling;
    // Sorted: the tables' B-trees take their keys in order.
    std::sort(known.changed.begin(), known.changed.end());
    known.changed.erase(std::unique(known.changed.begin(), known.changed.end()), known.changed.end());
    for (const auto &key : known.changed) {
        SpellingCounts::Count &count = known.counts[key];
        write_count(*handle->writer, key, count.written, count.now);
        count.written = count.now;
    }
    known.changed.clear();
}

void settle_singletons(const std::vector<std::string> &shards) {
    for (size_t i = 0; i < shards.size(); ++i) {
        std::vector<Xapian::Database> others;
        for (size_t j = 0; j < shards.size(); ++j)
            if (j != i) others.emplace_back(shards[j]);
        Xapian::WritableDatabase shard(shards[i], Xapian::DB_OPEN);
        std::vector<std::string> held;
        const std::string prefix = schema::kSingletonPrefix;
        for (auto key = shard.synonym_keys_begin(prefix); key != shard.synonym_keys_end(prefix); ++key) {
            std::string word = (*key).substr(prefix.size());
            for (const auto &other : others) {
                if (spelling_frequency(other, word) > 0 || other.synonyms_begin(*key) != other.synonyms_end(*key)) {
                    held.push_back(word);
                    break;
                }
            }
        }
        // Its one release here, counted in the spelling table: the compactor adds the
        // other shards' counts to it.
        for (const auto &word : held) {
            shard.clear_synonyms(prefix + word);
            shard.add_spelling(word, 1);
        }
        shard.commit();
    }
}

void update_spelling(cx_database *handle, const std::string &identity, const schema::StoredRelease *added) {
    Xapian::WritableDatabase &db = *handle->writer;
    ReleaseDataCodec &codec = handle->codec;
    if (!handle->spelling) {
        handle->spelling = std::make_shared<SpellingCounts>();
        handle->spelling->complete = db.get_doccount() == 0 && db.spellings_begin() == db.spellings_end() &&
                                     db.synonym_keys_begin(schema::kSingletonPrefix) == db.synonym_keys_end(schema::kSingletonPrefix);
    }
    SpellingCounts &known = *handle->spelling;
    std::set<std::string> old_keys, new_keys;
    Xapian::PostingIterator held = db.postlist_begin(identity);
    if (held != db.postlist_end(identity)) {
        Xapian::Document document = db.get_document(*held);
        schema::StoredRelease stored;
        if (!schema::decode_release(document, codec.decompress(db, schema::release_data_of(document)), &stored))
            throw Xapian::DatabaseCorruptError("a release's data cannot be read");
        old_keys = release_keys(stored);
    }
    if (added) new_keys = release_keys(*added);
    for (const auto &key : old_keys)
        if (!new_keys.count(key)) remove_word(db, known, key);
    for (const auto &key : new_keys)
        if (!old_keys.count(key)) add_word(db, known, key);
}

void answer_spelling(const Xapian::Database &db, const LookupQuestion &question, LookupAnswer &answer) {
    for (const auto &word : question.spelling_of) {
        if (known(db, word, question.languages)) {
            answer.known.insert(word);
            continue;
        }
        for (const auto &lang : question.languages) {
            std::string key = spelling_key(lang, word);
            if (key.empty()) continue;
            std::string found = db.get_spelling_suggestion(key, max_edits(word));
            if (!found.empty()) answer.closest[word][lang][spelling_word(found)] += spelling_frequency(db, found);
        }
    }
    for (const auto &key : question.releases_of) {
        Xapian::doccount releases = spelling_frequency(db, key);
        if (releases == 0 && db.synonyms_begin(singleton_key(key)) != db.synonyms_end(singleton_key(key))) releases = 1;
        if (releases > 0) answer.releases[key] += releases;
    }
}

std::string suggest(cx_database *handle, const std::string &text, const std::vector<std::string> &languages) {
    const std::string folded = fold(text.data(), text.size());
    // A field's value (`lang:fr`), a field's name, a wildcard, an excluded word and operators
    // are kept as typed.
    auto kept = [](const std::string &word, const WordPlace &place) {
        return place.after == '*' || place.after == ':' || place.before == ':' || place.before == '-' || is_operator(word);
    };
    std::string lower;
    LookupQuestion question;
    question.languages = languages;
    rewrite_words(folded, [&](const std::string &word, const WordPlace &place, std::string &) {
        if (!kept(word, place) && spelling_word_of(word, &lower)) question.spelling_of.push_back(lower);
    });
    if (question.spelling_of.empty()) return "";
    LookupAnswer answer = look_up(handle, question);
    if (!handle->shards.empty() && !answer.closest.empty()) {
        // Each shard offered its own closest words, counted in its own releases: each word
        // offered is counted in all of them (a word of three releases, one in each shard, is
        // in no shard's spelling table), as one index would count it.
        LookupQuestion again;
        for (const auto &word : answer.closest)
            for (const auto &lang : word.second)
                for (const auto &candidate : lang.second) again.releases_of.push_back(spelling_key(lang.first, candidate.first));
        const LookupAnswer counted = look_up(handle, again);
        for (auto &word : answer.closest)
            for (auto &lang : word.second)
                for (auto &candidate : lang.second) {
                    auto releases = counted.releases.find(spelling_key(lang.first, candidate.first));
                    candidate.second = releases == counted.releases.end() ? 0 : releases->second;
                }
    }
    bool changed = false;
    std::string out = rewrite_words(folded, [&](const std::string &word, const WordPlace &place, std::string &out) {
        std::string replacement;
        if (!kept(word, place) && spelling_word_of(word, &lower) && !answer.known.count(lower)) {
            auto candidates = answer.closest.find(lower);
            if (candidates != answer.closest.end()) replacement = closest(lower, languages, candidates->second);
        }
        changed = changed || !replacement.empty();
        out += !replacement.empty() ? replacement : kept(word, place) ? word : Xapian::Unicode::tolower(word);
    });
    return changed ? out : "";
}

}  // namespace cxapian

extern "C" {

cx_status cx_suggest(cx_database *db, const char *query, size_t query_len, const char *languages, cx_bytes *out,
                     cx_error *error) {
    if (out) *out = cx_bytes{nullptr, 0};
    try {
        if (!db || !out || (!query && query_len)) return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        std::vector<std::string> searched = cxapian::requested_languages(languages);
        // `date:` ranges stay as typed: their words are digits, which no vocabulary holds.
        std::string text = cxapian::bytes(query, query_len);
        std::string suggestion = cxapian::losing_shards(db, [&] {
            return cxapian::retrying_modified([&] { return cxapian::suggest(db, text, searched); },
                                              [db] { return cxapian::reopen_reader(db); });
        });
        if (!suggestion.empty()) cxapian::copy_out(suggestion, out);
        return CX_OK;
    } catch (...) {
        cx_bytes_free(out);
        return cxapian::translate_exception(error);
    }
}

}  // extern "C"
