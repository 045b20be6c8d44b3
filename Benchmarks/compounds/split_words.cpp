// Runs the German compound splitter (Sources/CXapian/compounds.cpp) over words, for the
// measurements in README.md beside this file. Built by ./measure.
//   split_words [--rule never|long|long-noun|nouns] [--cache PATH] < words
//       prints WORD TAB L|- (in the lexicon or not) [TAB PART]... for each word (folded first)
//   split_words --time [--cache PATH] < words
//       prints the open time, the first split's and the mean split time (CPU time)
//   split_words --check
//       indexes three German passages in memory as the index would with add_compound_parts
//       and runs part and compound queries with compound_parts_query, printing what matches
#include <time.h>

#include <cstring>
#include <iostream>

#include "compounds.h"
#include "internal.h"

using namespace cxapian;

static double cpu_ms() {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static std::string folded(const std::string &word) {
    std::string f = fold(word.data(), word.size());
    for (char &c : f)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return f;
}

// Three passages indexed as database.cpp does (folded, STEM_ALL_Z under "D"), plus the
// compound parts; then queries parsed the same way, with the parts query ORed in.
static int check() {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::TermGenerator generator;
    Xapian::Stem german("german");
    generator.set_stemmer(german);
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    CompoundMemo memo;
    const char *passages[] = {
        "Die Firmengründung in München wurde gefeiert.",
        "Ein Biotechnologieunternehmen aus Osaka kooperiert.",
        "Das Biotechnologie-Unternehmen wächst; die Verhandlung läuft.",
    };
    for (const char *text : passages) {
        Xapian::Document doc;
        doc.set_data(text);
        std::string folded = fold(text, std::strlen(text));
        generator.set_document(doc);
        generator.index_text(folded, 1, "D");
        add_compound_parts(doc, folded, german, "ZD", &memo);
        db.add_document(doc);
    }
    for (const char *query : {"Gründung", "Unternehmen", "Biotechnologie", "Biotechnologieunternehmen",
                              "Firmengründung", "Handlung"}) {
        Xapian::QueryParser parser;
        parser.set_stemmer(german);
        parser.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
        std::string folded = fold(query, std::strlen(query));
        Xapian::Query parsed = parser.parse_query(folded, 0, "D");
        Xapian::Query parts = compound_parts_query(folded, german, "ZD");
        if (!parts.empty()) parsed = Xapian::Query(Xapian::Query::OP_OR, parsed, parts);
        Xapian::Enquire enquire(db);
        enquire.set_query(parsed);
        Xapian::MSet hits = enquire.get_mset(0, 10);
        std::cout << query << "  " << parsed.get_description() << "\n";
        for (auto hit = hits.begin(); hit != hits.end(); ++hit)
            std::cout << "    " << hit.get_weight() << "  " << hit.get_document().get_data() << "\n";
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && !std::strcmp(argv[1], "--check")) return check();
    std::string cache, rule_name = "nouns";
    bool time = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--time")) time = true;
        else if (!std::strcmp(argv[i], "--cache") && i + 1 < argc) cache = argv[++i];
        else if (!std::strcmp(argv[i], "--rule") && i + 1 < argc) rule_name = argv[++i];
        else { std::cerr << "usage: split_words [--time] [--rule never|long|long-noun|nouns] [--cache PATH]\n"; return 2; }
    }
    KnownWordRule rule = rule_name == "never"       ? KnownWordRule::kNeverSplit
                         : rule_name == "long"      ? KnownWordRule::kLongParts
                         : rule_name == "long-noun" ? KnownWordRule::kLongNounParts
                                                    : KnownWordRule::kLongPartsOfNouns;
    std::vector<std::string> words;
    for (std::string w; std::cin >> w;) words.push_back(folded(w));

    double t0 = cpu_ms();
    auto splitter = CompoundSplitter::open(CompoundSplitter::kWordList, cache, rule);
    double t1 = cpu_ms();
    if (!time) {
        for (const auto &w : words) {
            std::cout << w << '\t' << (splitter->contains(w) ? 'L' : '-');
            for (const auto &part : splitter->parts(w)) std::cout << '\t' << part;
            std::cout << '\n';
        }
        return 0;
    }
    if (words.empty()) words.push_back("firmengrundung");
    double t2 = cpu_ms();
    size_t splits = !splitter->parts(words[0]).empty();
    double t3 = cpu_ms();
    for (size_t i = 1; i < words.size(); ++i) splits += !splitter->parts(words[i]).empty();
    double t4 = cpu_ms();
    std::cout << "open " << (t1 - t0) << " ms (" << (splitter->loaded_from_cache() ? "cached" : "compiled")
              << ", " << splitter->word_count() << " words); first split " << (t3 - t2) * 1e3
              << " us; then " << words.size() - 1 << " words at "
              << (words.size() > 1 ? (t4 - t3) * 1e3 / double(words.size() - 1) : 0.0)
              << " us each; " << splits << " split\n";
}
