// Dates in queries: `date:` ranges and --since/--until, as filters on the release's date
// (schema.h kDateSlot, "YYYYMMDD", which compares as the days do); and the dates `stats` shows.
#include <algorithm>
#include <cstring>
#include <map>

#include "asking.h"
#include "internal.h"

using cxapian::fail;
using cxapian::translate_exception;
namespace schema = cxapian::schema;

namespace cxapian {

namespace {

bool digits(const std::string &text, size_t from, size_t count) {
    if (from + count > text.size()) return false;
    for (size_t i = from; i < from + count; ++i)
        if (text[i] < '0' || text[i] > '9') return false;
    return true;
}

int days_in(int year, int month) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

// One side of a range: "2022" → 20220101 or 20221231 (`last`), "2022-03", "2022-03-15".
bool parse_day(const std::string &text, bool last, std::string *day) {
    if (!digits(text, 0, 4)) return false;
    int year = std::stoi(text.substr(0, 4));
    if (text.size() == 4) {
        *day = text + (last ? "1231" : "0101");
        return true;
    }
    if (text.size() < 7 || text[4] != '-' || !digits(text, 5, 2)) return false;
    int month = std::stoi(text.substr(5, 2));
    if (month < 1 || month > 12) return false;
    std::string month_text = text.substr(0, 4) + text.substr(5, 2);
    if (text.size() == 7) {
        *day = month_text + (last ? std::to_string(days_in(year, month)) : "01");
        return true;
    }
    if (text.size() != 10 || text[7] != '-' || !digits(text, 8, 2)) return false;
    int d = std::stoi(text.substr(8, 2));
    if (d < 1 || d > days_in(year, month)) return false;
    *day = month_text + text.substr(8, 2);
    return true;
}

}  // namespace

void DateBounds::narrow(const DateBounds &other) {
    if (!other.low.empty() && (low.empty() || other.low > low)) low = other.low;
    if (!other.high.empty() && (high.empty() || other.high < high)) high = other.high;
}

DateBounds parse_date_range(const std::string &spec, const std::string &what) {
    const std::string usage = "bad date " + what + ": use YYYY, YYYY-MM or YYYY-MM-DD, or a range A..B, ..B or A..";
    DateBounds bounds;
    size_t dots = spec.find("..");
    bool ok;
    if (dots == std::string::npos) {
        ok = parse_day(spec, false, &bounds.low) && parse_day(spec, true, &bounds.high);
    } else {
        std::string from = spec.substr(0, dots), to = spec.substr(dots + 2);
        ok = !(from.empty() && to.empty()) && (from.empty() || parse_day(from, false, &bounds.low)) &&
             (to.empty() || parse_day(to, true, &bounds.high));
    }
    if (!ok) throw Xapian::InvalidArgumentError(usage);
    if (!bounds.low.empty() && !bounds.high.empty() && bounds.low > bounds.high)
        throw Xapian::InvalidArgumentError("bad date " + what + ": the range ends before it starts");
    return bounds;
}

std::string take_date_filters(const std::string &text, DateBounds *bounds) {
    std::string out;
    size_t at = 0;
    while (at < text.size()) {
        size_t start = text.find_first_not_of(" \t\n\r", at);
        if (start == std::string::npos) break;
        size_t end = text.find_first_of(" \t\n\r", start);
        if (end == std::string::npos) end = text.size();
        std::string token = text.substr(start, end - start);
        if (token.size() >= 5 && strncasecmp(token.c_str(), "date:", 5) == 0) {
            bounds->narrow(parse_date_range(token.substr(5), "'" + token + "'"));
        } else {
            if (!out.empty()) out += ' ';
            out += token;
        }
        at = end;
    }
    return out;
}

Xapian::Query date_filter(const DateBounds &bounds) {
    if (bounds.low.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kDateSlot, bounds.high);
    if (bounds.high.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, bounds.low);
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, bounds.low, bounds.high);
}

}  // namespace cxapian

extern "C" {

cx_status cx_date_bounds(const char *spec, size_t spec_len, const char *what, char low[9], char high[9],
                         cx_error *error) {
    try {
        if (!low || !high) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        low[0] = high[0] = 0;
        cxapian::DateBounds bounds =
            cxapian::parse_date_range(cxapian::bytes(spec, spec_len), what ? what : "date");
        std::strncpy(low, bounds.low.c_str(), 9);
        std::strncpy(high, bounds.high.c_str(), 9);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_date_statistics(cx_database *db, cx_bytes *out, cx_error *error) {
    if (out) *out = cx_bytes{nullptr, 0};
    try {
        if (!db || !out) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        std::string text = cxapian::retrying_modified([db] {
            const Xapian::Database &d = *db->database;
            std::map<std::string, uint64_t> years;
            std::string first, last;
            // One value stream: the dates of every release.
            for (auto it = d.valuestream_begin(schema::kDateSlot); it != d.valuestream_end(schema::kDateSlot); ++it) {
                const std::string day = *it;
                if (day.size() != 8) continue;
                if (first.empty() || day < first) first = day;
                if (last.empty() || day > last) last = day;
                ++years[day.substr(0, 4)];
            }
            std::string lines = first + "\t" + last + "\n";
            for (const auto &year : years) lines += year.first + "\t" + std::to_string(year.second) + "\n";
            return lines;
        }, [db] { return cxapian::reopen_reader(db); });
        cxapian::copy_out(text, out);
        return CX_OK;
    } catch (...) {
        cx_bytes_free(out);
        return translate_exception(error);
    }
}

}  // extern "C"
