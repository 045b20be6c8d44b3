// The floor: what plain Xapian does on the Presse benchmark corpus, with nothing on top.
//
//   xapian_floor index DB CORPUSDIR    one document per CORPUSDIR/{en,fr,de}/*.txt
//   xapian_floor query DB QUERIES      LANG<TAB>QUERY (or QUERY) per line; JSON latency stats
//
// Indexing: Snowball stemmer of the file's language (the folder name), TermGenerator
// with positions, replace_document on a unique "Q"+path term, one commit at the end.
// Querying: QueryParser (stemmer of the query's language, else english, STEM_SOME,
// default flags), Enquire::get_mset(0, 10), each query timed alone.
//
// Build: g++ -O2 $(xapian-config --cxxflags) xapian_floor.cpp -o xapian_floor $(xapian-config --libs)
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

static std::string stemmer_name(const std::string& lang) {
    if (lang == "fr") return "french";
    if (lang == "de") return "german";
    return "english";
}

static int index_corpus(const std::string& db_path, const std::string& corpus) {
    // Visit files in a fixed order, language by language, like any fair indexer would.
    std::vector<std::pair<std::string, fs::path>> files;
    for (const char* lang : {"en", "fr", "de"}) {
        fs::path dir = fs::path(corpus) / lang;
        if (!fs::is_directory(dir)) continue;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.is_regular_file() && e.path().extension() == ".txt") files.emplace_back(lang, e.path());
    }
    std::sort(files.begin(), files.end());

    Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    std::string current_lang;
    uint64_t bytes = 0;
    auto t0 = Clock::now();
    for (const auto& [lang, path] : files) {
        if (lang != current_lang) {
            tg.set_stemmer(Xapian::Stem(stemmer_name(lang)));
            current_lang = lang;
        }
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string text = ss.str();
        bytes += text.size();

        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(text);  // with positions (index_text, not index_text_without_positions)
        doc.set_data(path.string());
        const std::string id_term = "Q" + path.string();
        doc.add_boolean_term(id_term);
        db.replace_document(id_term, doc);
    }
    db.commit();
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("{\"docs\": %zu, \"bytes\": %llu, \"seconds\": %.3f}\n", files.size(),
                (unsigned long long)bytes, secs);
    return 0;
}

static double percentile(std::vector<double> v, double p) {
    // Nearest-rank percentile; v is small (a few thousand), a sort is fine.
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t k = (size_t)std::max(0.0, std::ceil(p / 100.0 * v.size()) - 1);
    return v[std::min(k, v.size() - 1)];
}

static int run_queries(const std::string& db_path, const std::string& queries_path) {
    Xapian::Database db(db_path);
    Xapian::Enquire enquire(db);
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);

    std::ifstream in(queries_path);
    std::string line, current_lang;
    std::vector<double> ms;
    uint64_t total_hits = 0, empty = 0;
    auto t_all = Clock::now();
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::string lang = "en", text = line;
        auto tab = line.find('\t');
        if (tab != std::string::npos) {
            lang = line.substr(0, tab);
            text = line.substr(tab + 1);
        }
        auto t0 = Clock::now();
        if (lang != current_lang) {
            qp.set_stemmer(Xapian::Stem(stemmer_name(lang)));
            current_lang = lang;
        }
        enquire.set_query(qp.parse_query(text));  // default flags
        Xapian::MSet mset = enquire.get_mset(0, 10);
        // Touch the results as a real caller would (document data = the path).
        for (auto it = mset.begin(); it != mset.end(); ++it) (void)it.get_document().get_data();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        total_hits += mset.size();
        empty += mset.empty();
    }
    double total = std::chrono::duration<double>(Clock::now() - t_all).count();
    double sum = 0;
    for (double x : ms) sum += x;
    std::printf("{\"queries\": %zu, \"hits\": %llu, \"empty\": %llu, \"total_s\": %.4f, \"mean_ms\": %.4f, "
                "\"p50_ms\": %.4f, \"p95_ms\": %.4f, \"p99_ms\": %.4f}\n",
                ms.size(), (unsigned long long)total_hits, (unsigned long long)empty, total, ms.empty() ? 0 : sum / ms.size(),
                percentile(ms, 50), percentile(ms, 95), percentile(ms, 99));
    return 0;
}

int main(int argc, char** argv) {
    if (argc != 4 || (std::string(argv[1]) != "index" && std::string(argv[1]) != "query")) {
        std::cerr << "usage: xapian_floor index DB CORPUSDIR | xapian_floor query DB QUERIES\n";
        return 2;
    }
    try {
        if (std::string(argv[1]) == "index") return index_corpus(argv[2], argv[3]);
        return run_queries(argv[2], argv[3]);
    } catch (const Xapian::Error& e) {
        std::cerr << "xapian_floor: " << e.get_description() << "\n";
        return 1;
    }
}
