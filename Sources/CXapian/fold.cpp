// Accent folding and French elision, so that `cooperation` finds `coopération`, `uber` finds
// `Über` and `occasion` finds `l'occasion`. The same function folds indexed text, stop lists
// and queries, so the Snowball stemmers always see the same forms. It keeps a byte map back
// to the original text, which is how highlights found in folded text land on the original.
#include <cstring>

#include "internal.h"

namespace cxapian {
namespace {

// U+00C0..U+00FF; "" keeps the character (× and ÷).
const char *const kLatin1[64] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
    "D", "N", "O", "O", "O", "O", "O", "",  "O", "U", "U", "U", "U", "Y", "TH", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y"};

// U+0100..U+017F (Latin Extended-A), one letter each except the ligatures handled below.
constexpr char kLatinExtendedA[] =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi..JjKkkLlLlLlLlLlNnNnNnnNnOoOoOo..RrRrRr"
    "SsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
static_assert(sizeof(kLatinExtendedA) == 128 + 1, "one letter per code point U+0100..U+017F");

// Decodes one UTF-8 sequence at text[i]; returns its length (1 for a stray byte).
size_t decode(const unsigned char *text, size_t length, size_t i, uint32_t *cp) {
    unsigned char c = text[i];
    if (c < 0x80) { *cp = c; return 1; }
    size_t n = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : (c >= 0xC0) ? 2 : 1;
    if (n == 1 || i + n > length) { *cp = c; return 1; }
    uint32_t v = c & (0x3F >> (n - 1));
    for (size_t k = 1; k < n; ++k) {
        if ((text[i + k] & 0xC0) != 0x80) { *cp = c; return 1; }
        v = (v << 6) | (text[i + k] & 0x3F);
    }
    *cp = v;
    return n;
}

// What a code point folds to: nullptr keeps it, "" drops it.
const char *folded(uint32_t cp, char *scratch) {
    if (cp >= 0xC0 && cp <= 0xFF) {
        const char *f = kLatin1[cp - 0xC0];
        return *f ? f : nullptr;
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        switch (cp) {
        case 0x132: return "IJ";
        case 0x133: return "ij";
        case 0x152: return "OE";
        case 0x153: return "oe";
        }
        scratch[0] = kLatinExtendedA[cp - 0x100];
        scratch[1] = 0;
        return scratch;
    }
    if (cp >= 0x300 && cp <= 0x36F) return "";  // combining accents of decomposed text
    switch (cp) {
    case 0x2018: case 0x2019: case 0x02BC: return "'";
    case 0xFB00: return "ff";
    case 0xFB01: return "fi";
    case 0xFB02: return "fl";
    case 0xFB03: return "ffi";
    case 0xFB04: return "ffl";
    case 0xFB05: case 0xFB06: return "st";
    }
    return nullptr;
}

// French elided articles and conjunctions: "l'occasion" is "l occasion" to the term generator,
// as Lucene's ElisionFilter has it. English "Osaka's" is left to the English stemmer.
bool is_elision(const std::string &out, size_t word_start) {
    static const char *const kElisions[] = {"l", "d", "j", "m", "n", "s", "t", "c",
                                            "qu", "jusqu", "lorsqu", "puisqu"};
    size_t n = out.size() - word_start;
    if (n == 0 || n > 6) return false;
    for (const char *e : kElisions) {
        if (std::strlen(e) != n) continue;
        bool same = true;
        for (size_t k = 0; k < n && same; ++k) same = ((out[word_start + k] | 0x20) == e[k]);
        if (same) return true;
    }
    return false;
}

bool is_letter_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

}  // namespace

std::string fold(const char *text, size_t length, std::vector<uint32_t> *map) {
    const auto *bytes = reinterpret_cast<const unsigned char *>(text);
    std::string out;
    out.reserve(length);
    if (map) { map->clear(); map->reserve(length + 1); }
    size_t word_start = 0;
    char scratch[2];
    for (size_t i = 0; i < length;) {
        // A run of ASCII without an apostrophe folds to itself: copied at once (most text is
        // such runs, and a byte at a time was most of a highlight's folding).
        size_t run = i;
        while (run < length && bytes[run] < 0x80 && bytes[run] != '\'') ++run;
        if (run > i) {
            out.append(text + i, run - i);
            if (map) for (size_t k = i; k < run; ++k) map->push_back(static_cast<uint32_t>(k));
            for (size_t k = run; k > i; --k) {
                if (is_letter_byte(bytes[k - 1])) continue;
                word_start = out.size() - (run - k);  // just after the run's last non-letter
                break;
            }
            i = run;
            continue;
        }
        uint32_t cp;
        size_t n = decode(bytes, length, i, &cp);
        const char *f = folded(cp, scratch);
        if (f && f[0] == '\'' && is_elision(out, word_start)) f = " ";
        if (!f && cp == '\'' && is_elision(out, word_start)) f = " ";
        if (f) {
            for (const char *p = f; *p; ++p) {
                out.push_back(*p);
                if (map) map->push_back(static_cast<uint32_t>(i));
            }
        } else {
            out.append(text + i, n);
            if (map) for (size_t k = 0; k < n; ++k) map->push_back(static_cast<uint32_t>(i));
        }
        if (!out.empty() && !is_letter_byte(static_cast<unsigned char>(out.back())))
            word_start = out.size();
        i += n;
    }
    if (map) map->push_back(static_cast<uint32_t>(length));
    return out;
}

}  // namespace cxapian

extern "C" cx_status cx_fold(const char *text, size_t text_len, cx_bytes *out, cx_error *error) {
    if (out) *out = cx_bytes{nullptr, 0};
    try {
        if (!out || (!text && text_len)) return cxapian::fail(error, CX_INVALID_ARGUMENT, "no text");
        cxapian::copy_out(cxapian::fold(text, text_len), out);
        return CX_OK;
    } catch (...) {
        return cxapian::translate_exception(error);
    }
}
