// Facets counted per release (asking.h, FacetSpy).
#include "asking.h"

namespace cxapian {

void FacetSpy::operator()(const Xapian::Document &doc, double) {
    const std::string date = doc.get_value(schema::kDateSlot);
    if (date.size() >= 4) ++counts["year"][date.substr(0, 4)];
    const std::string source = doc.get_value(schema::kSourceSlot);
    if (!source.empty()) ++counts["source"][source];
    if (!schema::decode_passage_table(doc.get_value(schema::kPassagesSlot), &passages_)) return;
    // Each language once per release, however many of its passages are in it.
    std::vector<const std::string *> seen;
    for (const auto &passage : passages_) {
        bool counted = false;
        for (const std::string *lang : seen) counted = counted || *lang == passage.lang;
        if (counted) continue;
        seen.push_back(&passage.lang);
        ++counts["lang"][passage.lang];
    }
}

}  // namespace cxapian
