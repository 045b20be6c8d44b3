// Runs the German compound splitter (Sources/CXapian/compounds.cpp) over words, for the
// measurements in README.md beside this file. Built by ./measure.
//   split_words [--rule never|long|long-noun|nouns] [--cache PATH] < words
//       prints WORD TAB L|- (in the lexicon or not) [TAB PART]... for each word (folded first)
//   split_words --time [--cache PATH] < words
//       prints the open time, the first split's and the mean split time (CPU time)
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

int main(int argc, char **argv) {
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
