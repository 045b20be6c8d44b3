// Facets counted per release (asking.h, FacetTable and FacetSpy).
#include <unordered_map>

#include "asking.h"
#include "internal.h"

namespace cxapian {

FacetTable::FacetTable(const Xapian::Database &db) {
    entries.resize(size_t(db.get_lastdocid()) + 1);
    std::unordered_map<std::string, uint32_t> ids;
    std::string source;
    for (auto it = db.valuestream_begin(schema::kFacetSlot); it != db.valuestream_end(schema::kFacetSlot); ++it) {
        unsigned languages, year;
        if (!schema::decode_facets(*it, &languages, &year, &source))
            throw Xapian::DatabaseCorruptError("a release's facet value cannot be read");
        Entry &entry = entries[it.get_docid()];
        entry.languages = uint8_t(languages);
        entry.year = uint16_t(year);
        if (source.empty()) continue;
        auto known = ids.emplace(source, uint32_t(sources.size() + 1));
        if (known.second) sources.push_back(source);
        entry.source = known.first->second;
    }
}

void FacetSpy::operator()(const Xapian::Document &doc, double) {
    FacetTable::Entry entry;
    if (table_) {
        Xapian::docid id = doc.get_docid();
        if (id >= table_->entries.size()) return;
        entry = table_->entries[id];
    } else {
        unsigned languages, year;
        std::string source;
        if (!schema::decode_facets(doc.get_value(schema::kFacetSlot), &languages, &year, &source)) return;
        entry.languages = uint8_t(languages);
        entry.year = uint16_t(year);
        if (!source.empty()) ++named_sources_[source];
    }
    if (entry.year) ++years_[entry.year];
    ++sources_[entry.source];
    // Each language once per release, however many of its passages are in it.
    for (unsigned row = 0, rows = entry.languages; rows; ++row, rows >>= 1)
        if (rows & 1) ++languages_[row];
}

namespace {

// A count and a name as "<count> <length>:<bytes>": a source folder's name can hold any byte.
void put(std::string &out, char kind, Xapian::doccount count, const std::string &name) {
    out += kind;
    out += std::to_string(count) + " " + std::to_string(name.size()) + ":" + name;
}

bool take(const std::string &in, size_t &at, char *kind, Xapian::doccount *count, std::string *name) {
    if (at >= in.size()) return false;
    *kind = in[at++];
    size_t space = in.find(' ', at), colon = in.find(':', at);
    if (space == std::string::npos || colon == std::string::npos || colon < space)
        throw Xapian::NetworkError("a shard's facet counts cannot be read");
    *count = Xapian::doccount(std::stoul(in.substr(at, space - at)));
    size_t length = std::stoul(in.substr(space + 1, colon - space - 1));
    if (colon + 1 + length > in.size()) throw Xapian::NetworkError("a shard's facet counts are cut short");
    *name = in.substr(colon + 1, length);
    at = colon + 1 + length;
    return true;
}

}  // namespace

std::string FacetSpy::serialise_results() const {
    std::string out;
    for (unsigned row = 0; row < 8; ++row)
        if (languages_[row]) put(out, 'l', languages_[row], std::to_string(row));
    for (const auto &year : years_) put(out, 'y', year.second, std::to_string(year.first));
    for (size_t id = 1; id < sources_.size(); ++id)
        if (sources_[id]) put(out, 's', sources_[id], table_->sources[id - 1]);
    for (const auto &source : named_sources_) put(out, 's', source.second, source.first);
    return out;
}

void FacetSpy::merge_results(const std::string &serialised) {
    size_t at = 0;
    char kind;
    Xapian::doccount count;
    std::string name;
    while (take(serialised, at, &kind, &count, &name)) {
        if (kind == 'l' && std::stoul(name) < 8) languages_[std::stoul(name)] += count;
        else if (kind == 'y') years_[unsigned(std::stoul(name))] += count;
        else if (kind == 's') named_sources_[name] += count;
    }
}

std::map<std::string, std::map<std::string, Xapian::doccount>> FacetSpy::counts() const {
    std::map<std::string, std::map<std::string, Xapian::doccount>> out;
    const auto &languages = all_languages();
    for (size_t row = 0; row < languages.size() && row < 8; ++row)
        if (languages_[row]) out["lang"][languages[row]] = languages_[row];
    for (const auto &year : years_) out["year"][std::to_string(year.first)] = year.second;
    for (size_t id = 1; id < sources_.size(); ++id)
        if (sources_[id]) out["source"][table_->sources[id - 1]] = sources_[id];
    for (const auto &source : named_sources_) out["source"][source.first] = source.second;
    return out;
}

}  // namespace cxapian
