// The encodings of schema.h: a release's stored data and its passage counts.
#include "schema.h"

#include "internal.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace cxapian {
namespace schema {

namespace {

// Unsigned integers as LEB128 varints: most fields are small, and a release's data is read
// for every hit.
void put_number(std::string &out, uint64_t value) {
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7f) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

void put_bytes(std::string &out, const std::string &bytes) {
    put_number(out, bytes.size());
    out += bytes;
}

// Reads from data[*at]; false when the data ends first.
bool get_number(const std::string &data, size_t *at, uint64_t *value) {
    *value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*at >= data.size()) return false;
        unsigned char byte = static_cast<unsigned char>(data[(*at)++]);
        *value |= static_cast<uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return true;
    }
    return false;
}

bool get_uint32(const std::string &data, size_t *at, uint32_t *value) {
    uint64_t wide;
    if (!get_number(data, at, &wide) || wide > UINT32_MAX) return false;
    *value = static_cast<uint32_t>(wide);
    return true;
}

bool get_bytes(const std::string &data, size_t *at, std::string *bytes) {
    uint64_t length;
    if (!get_number(data, at, &length) || length > data.size() - *at) return false;
    bytes->assign(data, *at, length);
    *at += length;
    return true;
}

}  // namespace

namespace {

// Signed numbers as zigzag varints: small either side of zero, one byte.
void put_signed(std::string &out, int64_t value) {
    put_number(out, (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63));
}

bool get_signed(const std::string &data, size_t *at, int64_t *value) {
    uint64_t zigzag;
    if (!get_number(data, at, &zigzag)) return false;
    *value = static_cast<int64_t>(zigzag >> 1) ^ -static_cast<int64_t>(zigzag & 1);
    return true;
}

}  // namespace

// Every field is written as what is left to say once the text is known: a release's title is
// most often the opening of its first passage (its length then, not its words), a passage
// starts a few bytes after the last one ended, and its byte range is about as long as its text.
std::string encode_release(const StoredRelease &release) {
    std::string out;
    size_t text = 0;
    for (const auto &passage : release.passages) text += passage.text.size() + 8;
    out.reserve(release.path.size() + release.title.size() + text + 16);
    put_bytes(out, release.path);
    bool opening = title_opens_first_passage(release);
    put_number(out, release.title.size() * 2 + (opening ? 1 : 0));
    if (!opening) out += release.title;
    put_bytes(out, release.date_source);
    put_number(out, release.passages.size());
    int64_t previous_end = 0;
    for (const auto &passage : release.passages) {
        put_signed(out, int64_t(passage.start) - previous_end);
        put_signed(out, int64_t(passage.end) - passage.start - int64_t(passage.text.size()));
        put_bytes(out, passage.text);
        previous_end = passage.end;
    }
    return out;
}

bool decode_release(const Xapian::Document &document, const std::string &data, StoredRelease *release) {
    std::vector<StoredPassage> table;
    uint32_t title_words;
    std::string date;
    if (!decode_passage_table(document.get_value(kPassagesSlot), &table, &title_words, &date)) return false;
    release->title_words = title_words;
    return decode_release(table, date, data, release);
}

bool decode_release(const std::vector<StoredPassage> &table, const std::string &date, const std::string &data,
                    StoredRelease *release) {
    release->passages = table;
    release->date = date;
    size_t at = 0;
    uint64_t title, count;
    if (!get_bytes(data, &at, &release->path) || !get_number(data, &at, &title)) return false;
    bool opening = title & 1;
    title >>= 1;
    if (!opening) {
        if (title > data.size() - at) return false;
        release->title.assign(data, at, title);
        at += title;
    }
    if (!get_bytes(data, &at, &release->date_source) || !get_number(data, &at, &count) ||
        count != release->passages.size())
        return false;
    int64_t previous_end = 0;
    for (auto &passage : release->passages) {
        int64_t start, extra;
        if (!get_signed(data, &at, &start) || !get_signed(data, &at, &extra) || !get_bytes(data, &at, &passage.text))
            return false;
        start += previous_end;
        int64_t end = start + int64_t(passage.text.size()) + extra;
        if (start < 0 || end < start || end > UINT32_MAX) return false;
        passage.start = uint32_t(start);
        passage.end = uint32_t(end);
        previous_end = end;
    }
    if (opening) {
        if (release->passages.empty() || title > release->passages.front().text.size()) return false;
        release->title = release->passages.front().text.substr(0, title);
    }
    return at == data.size();
}

bool is_release_key(const std::string &key) {
    return key.size() == 16 && key.find_first_not_of("0123456789abcdef") == std::string::npos;
}

namespace {

void put_fixed64(std::string &out, uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

bool get_fixed64(const std::string &data, size_t *at, uint64_t *value) {
    if (data.size() - *at < 8) return false;
    *value = 0;
    for (int i = 0; i < 8; ++i) *value = (*value << 8) | static_cast<unsigned char>(data[(*at)++]);
    return true;
}

}  // namespace

std::string release_term(const std::string &key) {
    if (!is_release_key(key)) throw Xapian::InvalidArgumentError("a release key is 16 hex digits, not \"" + key + "\"");
    std::string term = kReleasePrefix;
    put_fixed64(term, std::strtoull(key.c_str(), nullptr, 16));
    return term;
}

std::string release_key(const std::string &term) {
    size_t at = std::strlen(kReleasePrefix);
    uint64_t key;
    if (term.size() != at + 8 || !get_fixed64(term, &at, &key)) return std::string();
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(key));
    return hex;
}

std::string encode_record(const StoredRecord &record) {
    std::string out;
    put_fixed64(out, record.content_hash);
    put_fixed64(out, static_cast<uint64_t>(record.modified));
    put_number(out, record.size);
    put_number(out, record.passages);
    return out;
}

bool decode_record(const std::string &value, StoredRecord *record) {
    size_t at = 0;
    uint64_t modified;
    if (!get_fixed64(value, &at, &record->content_hash) ||
        !get_fixed64(value, &at, &modified) || !get_number(value, &at, &record->size) ||
        !get_uint32(value, &at, &record->passages) || at != value.size())
        return false;
    record->modified = static_cast<int64_t>(modified);
    return true;
}

bool title_opens_first_passage(const StoredRelease &release) {
    return !release.title.empty() && !release.passages.empty() &&
           release.passages.front().text.compare(0, release.title.size(), release.title) == 0;
}

std::string encode_passage_table(const StoredRelease &release) {
    const auto &languages = all_languages();
    std::string out;
    put_number(out, release.passages.size());
    put_number(out, release.title_words);
    for (const auto &passage : release.passages) {
        size_t code = std::find(languages.begin(), languages.end(), passage.lang) - languages.begin();
        if (code >= languages.size()) throw Xapian::InvalidArgumentError("unknown language code: " + passage.lang);
        put_number(out, code);
        put_number(out, passage.first_position);
        put_number(out, passage.last_position + 1 - passage.first_position);  // its word count
    }
    const std::string &date = release.date;
    bool day = date.size() == 8 && date.find_first_not_of("0123456789") == std::string::npos;
    put_number(out, day ? std::strtoull(date.c_str(), nullptr, 10) : 0);
    return out;
}

bool decode_passage_table(const std::string &value, std::vector<StoredPassage> *passages, uint32_t *title_words,
                          std::string *date) {
    const auto &languages = all_languages();
    size_t at = 0;
    uint64_t count;
    uint32_t title;
    if (!get_number(value, &at, &count) || count > value.size() || !get_uint32(value, &at, &title)) return false;
    if (title_words) *title_words = title;
    passages->assign(count, StoredPassage());
    for (auto &passage : *passages) {
        uint64_t code;
        uint32_t words;
        if (!get_number(value, &at, &code) || code >= languages.size() || !get_uint32(value, &at, &passage.first_position) ||
            !get_uint32(value, &at, &words))
            return false;
        passage.lang = languages[code];
        passage.last_position = passage.first_position + words - 1;
    }
    uint64_t day;
    if (!get_number(value, &at, &day) || (day != 0 && (day < 10000101 || day > 99991231))) return false;
    if (date) *date = day ? std::to_string(day) : std::string();
    return at == value.size();
}

bool title_positions(const std::string &value, Xapian::termpos *first, Xapian::termpos *last) {
    size_t at = 0;
    uint64_t count, code;
    uint32_t title, position;
    if (!get_number(value, &at, &count) || count == 0 || !get_uint32(value, &at, &title) || title == 0 ||
        !get_number(value, &at, &code) || !get_uint32(value, &at, &position))
        return false;
    *first = position;
    *last = position + title - 1;
    return true;
}

std::string encode_facets(const StoredRelease &release, const std::string &source) {
    const auto &languages = all_languages();
    unsigned rows = 0;
    for (const auto &passage : release.passages) {
        size_t row = std::find(languages.begin(), languages.end(), passage.lang) - languages.begin();
        if (row < languages.size() && row < 8) rows |= 1u << row;
    }
    unsigned year = release.date.size() == 8 ? unsigned(std::atoi(release.date.substr(0, 4).c_str())) : 0;
    std::string out(1, static_cast<char>(rows));
    out += static_cast<char>(year >> 8);
    out += static_cast<char>(year & 0xff);
    return out + source;
}

bool decode_facets(const std::string &value, unsigned *languages, unsigned *year, std::string *source) {
    if (value.size() < 3) return false;
    *languages = static_cast<unsigned char>(value[0]);
    *year = static_cast<unsigned char>(value[1]) << 8 | static_cast<unsigned char>(value[2]);
    source->assign(value, 3, std::string::npos);
    return true;
}

namespace {

// A passage or title word's term taken apart; `lang` empty for any other term.
struct StemTerm {
    std::string lang;
    bool title = false;
    size_t stem = 0;  // where the stem starts
};

StemTerm parse_term(const std::string &term) {
    if (term.compare(0, std::strlen(kStemPrefix), kStemPrefix) != 0 || term.size() == std::strlen(kStemPrefix)) return {};
    // The longest language prefix first: English's is empty.
    static const std::vector<std::pair<std::string, std::string>> prefixes = [] {
        std::vector<std::pair<std::string, std::string>> found;
        for (const auto &lang : all_languages()) found.emplace_back(kStemPrefix + language_term_prefix(lang), lang);
        std::sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.first.size() > b.first.size(); });
        return found;
    }();
    const size_t title_length = std::strlen(kTitlePrefix);
    for (const auto &prefix : prefixes) {
        if (term.compare(0, prefix.first.size(), prefix.first) != 0) continue;
        size_t at = prefix.first.size();
        // Stems are lower case: an upper-case letter goes on with a prefix, the title's or
        // (for English's empty one) another language's.
        if (term.size() > at && std::isupper(static_cast<unsigned char>(term[at]))) {
            if (term.compare(at, title_length, kTitlePrefix) != 0) continue;
            return {prefix.second, true, at + title_length};
        }
        return {prefix.second, false, at};
    }
    return {};
}

}  // namespace

std::string term_language(const std::string &term) { return parse_term(term).lang; }

bool is_passage_term(const std::string &term) {
    StemTerm parsed = parse_term(term);
    return !parsed.lang.empty() && !parsed.title;
}

std::string stem_of_passage_term(const std::string &term) {
    StemTerm parsed = parse_term(term);
    return parsed.lang.empty() || parsed.title ? std::string() : term.substr(parsed.stem);
}

std::string passage_term_of_title_term(const std::string &term) {
    StemTerm parsed = parse_term(term);
    if (!parsed.title) return std::string();
    return term.substr(0, parsed.stem - std::strlen(kTitlePrefix)) + term.substr(parsed.stem);
}

bool is_stopword_term(const std::string &term) {
    StemTerm parsed = parse_term(term);
    if (parsed.lang.empty() || parsed.title) return false;  // title words have no positions
    const Xapian::Stopper *stopper = stopper_for(parsed.lang);
    return stopper && (*stopper)(term.substr(parsed.stem));
}

void check_version(const Xapian::Database &db) {
    std::string version = db.get_metadata(kVersionKey);
    if (version == kVersion || db.get_doccount() == 0) return;
    if (version.empty()) version = "1";  // written before the schema was recorded
    bool older = std::atoi(version.c_str()) < std::atoi(kVersion);
    throw Xapian::DatabaseVersionError("schema " + version + " of " + (older ? "an earlier" : "a later") +
                                       " Presse; this one reads schema " + kVersion);
}

}  // namespace schema
}  // namespace cxapian
