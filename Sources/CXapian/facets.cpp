// Facets counted per release (asking.h, FacetSpy).
#include "asking.h"
#include "internal.h"

namespace cxapian {

void FacetSpy::operator()(const Xapian::Document &doc, double) {
    unsigned rows, year;
    if (!schema::decode_facets(doc.get_value(schema::kFacetSlot), &rows, &year, &source_)) return;
    if (year) ++years_[year];
    if (!source_.empty()) ++sources_[source_];
    // Each language once per release, however many of its passages are in it.
    for (unsigned row = 0; rows; ++row, rows >>= 1)
        if (rows & 1) ++languages_[row];
}

std::map<std::string, std::map<std::string, Xapian::doccount>> FacetSpy::counts() const {
    std::map<std::string, std::map<std::string, Xapian::doccount>> out;
    const auto &languages = all_languages();
    for (size_t row = 0; row < languages.size() && row < 32; ++row)
        if (languages_[row]) out["lang"][languages[row]] = languages_[row];
    for (const auto &year : years_) out["year"][std::to_string(year.first)] = year.second;
    for (const auto &source : sources_) out["source"][source.first] = source.second;
    return out;
}

}  // namespace cxapian
