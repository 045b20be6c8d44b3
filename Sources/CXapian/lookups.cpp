// A search's lookups beside its match (lookups.h): answered by the index itself, or by each
// shard's server for remote shards.
#include "lookups.h"

#include "internal.h"

namespace cxapian {

namespace {

// ---- bytes: each number as a varint, each string as its length and its bytes

void put_number(std::string &out, uint64_t value) {
    while (value >= 0x80) {
        out += char((value & 0x7f) | 0x80);
        value >>= 7;
    }
    out += char(value);
}

void put(std::string &out, const std::string &text) {
    put_number(out, text.size());
    out += text;
}

struct Reader {
    const std::string &bytes;
    size_t at = 0;

    uint64_t number() {
        uint64_t value = 0;
        for (unsigned shift = 0;; shift += 7) {
            if (at >= bytes.size() || shift > 63) throw Xapian::NetworkError("a lookup's message is cut short");
            unsigned char byte = bytes[at++];
            value |= uint64_t(byte & 0x7f) << shift;
            if (!(byte & 0x80)) return value;
        }
    }
    std::string text() {
        uint64_t length = number();
        if (length > bytes.size() - at) throw Xapian::NetworkError("a lookup's message is cut short");
        std::string out = bytes.substr(at, length);
        at += length;
        return out;
    }
    std::vector<std::string> texts() {
        std::vector<std::string> out(number());
        for (auto &text : out) text = this->text();
        return out;
    }
};

void put(std::string &out, const std::vector<std::string> &texts) {
    put_number(out, texts.size());
    for (const auto &text : texts) put(out, text);
}

// The match a lookup rides on: one word that no index holds (term spaces start with a
// capital or a digit), so each shard matches nothing and only answers.
const char *const kNothing = "\x01presse-lookup";

// Carries a question to each shard's server and brings its answer back (lookups.h).
class LookupSpy : public Xapian::MatchSpy {
  public:
    // The searching side's: asks `question`, gathers the answers in `answer`.
    explicit LookupSpy(LookupQuestion question) : question_(std::move(question)) {}
    // The server's prototype: answers from the index at `path`.
    static LookupSpy *serving(const std::string &path) {
        auto spy = new LookupSpy(LookupQuestion());
        spy->path_ = path;
        return spy;
    }

    void operator()(const Xapian::Document &, double) override {}
    Xapian::MatchSpy *clone() const override {
        auto spy = new LookupSpy(question_);
        spy->path_ = path_;
        return spy;
    }
    std::string name() const override { return "presse.Lookups"; }
    std::string serialise() const override { return question_.serialise(); }
    Xapian::MatchSpy *unserialise(const std::string &bytes, const Xapian::Registry &) const override {
        auto spy = new LookupSpy(LookupQuestion::unserialise(bytes));
        spy->path_ = path_;
        return spy;
    }
    // On the server, in the process of one connection: its index, opened once and brought to
    // its latest commit for each question (a shard written while served answers as it is now).
    std::string serialise_results() const override {
        if (path_.empty()) return std::string();
        static Xapian::Database index(path_);
        return retrying_modified([&] { return answer_locally(index, question_).serialise(); },
                                 [] { return index.reopen(); });
    }
    void merge_results(const std::string &bytes) override { answer.merge(LookupAnswer::unserialise(bytes)); }

    LookupAnswer answer;

  private:
    LookupQuestion question_;
    std::string path_;  // the server's
};

}  // namespace

std::string LookupQuestion::serialise() const {
    std::string out;
    put(out, synonyms_of);
    put(out, spelling_of);
    put(out, languages);
    put(out, releases_of);
    put_number(out, positions_of.size());
    for (const auto &shard : positions_of) {
        put(out, shard.first);
        put_number(out, shard.second.size());
        for (const auto &release : shard.second) {
            put_number(out, release.first);
            put(out, release.second);
        }
    }
    put(out, frequencies_of);
    return out;
}

LookupQuestion LookupQuestion::unserialise(const std::string &bytes) {
    Reader in{bytes};
    LookupQuestion question;
    question.synonyms_of = in.texts();
    question.spelling_of = in.texts();
    question.languages = in.texts();
    if (in.at < bytes.size()) question.releases_of = in.texts();
    for (uint64_t n = in.at < bytes.size() ? in.number() : 0; n > 0; --n) {
        auto &releases = question.positions_of[in.text()];
        for (uint64_t r = in.number(); r > 0; --r) {
            Xapian::docid did = Xapian::docid(in.number());
            releases[did] = in.texts();
        }
    }
    if (in.at < bytes.size()) question.frequencies_of = in.texts();
    return question;
}

void LookupAnswer::merge(const LookupAnswer &other) {
    for (const auto &word : other.synonyms) synonyms[word.first].insert(word.second.begin(), word.second.end());
    known.insert(other.known.begin(), other.known.end());
    for (const auto &word : other.closest)
        for (const auto &lang : word.second)
            for (const auto &candidate : lang.second) closest[word.first][lang.first][candidate.first] += candidate.second;
    for (const auto &key : other.releases) releases[key.first] += key.second;
    for (const auto &shard : other.positions)
        for (const auto &release : shard.second)
            for (const auto &term : release.second) positions[shard.first][release.first][term.first] = term.second;
    for (const auto &term : other.frequencies) frequencies[term.first] += term.second;
}

std::string LookupAnswer::serialise() const {
    std::string out;
    put_number(out, synonyms.size());
    for (const auto &word : synonyms) {
        put(out, word.first);
        put(out, std::vector<std::string>(word.second.begin(), word.second.end()));
    }
    put(out, std::vector<std::string>(known.begin(), known.end()));
    put_number(out, closest.size());
    for (const auto &word : closest) {
        put(out, word.first);
        put_number(out, word.second.size());
        for (const auto &lang : word.second) {
            put(out, lang.first);
            put_number(out, lang.second.size());
            for (const auto &candidate : lang.second) {
                put(out, candidate.first);
                put_number(out, candidate.second);
            }
        }
    }
    put_number(out, releases.size());
    for (const auto &key : releases) {
        put(out, key.first);
        put_number(out, key.second);
    }
    put_number(out, positions.size());
    for (const auto &shard : positions) {
        put(out, shard.first);
        put_number(out, shard.second.size());
        for (const auto &release : shard.second) {
            put_number(out, release.first);
            put_number(out, release.second.size());
            for (const auto &term : release.second) {
                put(out, term.first);
                put_number(out, term.second.size());
                Xapian::termpos previous = 0;
                for (Xapian::termpos position : term.second) {  // ascending: each as the step from the last
                    put_number(out, position - previous);
                    previous = position;
                }
            }
        }
    }
    put_number(out, frequencies.size());
    for (const auto &term : frequencies) {
        put(out, term.first);
        put_number(out, term.second);
    }
    return out;
}

LookupAnswer LookupAnswer::unserialise(const std::string &bytes) {
    LookupAnswer answer;
    if (bytes.empty()) return answer;  // a server without an index to answer from
    Reader in{bytes};
    for (uint64_t n = in.number(); n > 0; --n) {
        std::string word = in.text();
        for (auto &synonym : in.texts()) answer.synonyms[word].insert(std::move(synonym));
    }
    for (auto &word : in.texts()) answer.known.insert(std::move(word));
    for (uint64_t n = in.number(); n > 0; --n) {
        auto &languages = answer.closest[in.text()];
        for (uint64_t l = in.number(); l > 0; --l) {
            auto &candidates = languages[in.text()];
            for (uint64_t c = in.number(); c > 0; --c) {
                std::string candidate = in.text();
                candidates[candidate] += Xapian::doccount(in.number());
            }
        }
    }
    // (An answer without what a later question asks ends here: its counts are none.)
    for (uint64_t n = in.at < bytes.size() ? in.number() : 0; n > 0; --n) {
        std::string key = in.text();
        answer.releases[key] += Xapian::doccount(in.number());
    }
    for (uint64_t n = in.at < bytes.size() ? in.number() : 0; n > 0; --n) {
        auto &releases = answer.positions[in.text()];
        for (uint64_t r = in.number(); r > 0; --r) {
            auto &terms = releases[Xapian::docid(in.number())];
            for (uint64_t t = in.number(); t > 0; --t) {
                auto &list = terms[in.text()];
                list.resize(in.number());
                Xapian::termpos position = 0;
                for (auto &at : list) at = position += Xapian::termpos(in.number());
            }
        }
    }
    for (uint64_t n = in.at < bytes.size() ? in.number() : 0; n > 0; --n) {
        std::string term = in.text();
        answer.frequencies[term] += Xapian::doccount(in.number());
    }
    return answer;
}

LookupAnswer answer_locally(const Xapian::Database &db, const LookupQuestion &question) {
    LookupAnswer answer;
    if (!question.synonyms_of.empty()) answer_synonyms(db, question, answer);
    if (!question.spelling_of.empty() || !question.releases_of.empty()) answer_spelling(db, question, answer);
    for (const auto &term : question.frequencies_of) answer.frequencies[term] += db.get_termfreq(term);
    if (!question.positions_of.empty()) {
        const std::string uuid = db.get_uuid();
        auto own = question.positions_of.find(uuid);
        if (own != question.positions_of.end()) {
            auto &releases = answer.positions[uuid];
            for (const auto &release : own->second)
                for (const auto &term : release.second) {
                    std::vector<Xapian::termpos> &list = releases[release.first][term];
                    try {
                        list.assign(db.positionlist_begin(release.first, term), db.positionlist_end(release.first, term));
                    } catch (const Xapian::DocNotFoundError &) {
                        // Replaced since the match: none (the searching side reads its data as missing).
                    }
                }
        }
    }
    return answer;
}

LookupAnswer look_up(cx_database *handle, const LookupQuestion &question) {
    if (question.empty()) return LookupAnswer();
    // Shard by shard, local ones too: each shard's own tables (a combination of local shards
    // would merge their spelling tables, but count a word waiting in several as one release).
    if (handle->shards.empty()) return answer_locally(*handle->database, question);
    LookupAnswer all;
    Xapian::Database remote;
    for (const auto &shard : handle->shards) {
        if (!shard.live) continue;
        if (shard.host.empty()) all.merge(answer_locally(shard.database, question));
        else remote.add_database(shard.database);
    }
    if (!has_remote_shard(handle)) return all;
    Xapian::Enquire enquire(remote);
    enquire.set_query(Xapian::Query(kNothing));
    LookupSpy spy(question);
    enquire.add_matchspy(&spy);
    try {
        enquire.get_mset(0, 0, 1);
    } catch (const Xapian::InvalidArgumentError &) {
        // A shard served by an earlier Presse, which does not know the question: it answers
        // with nothing, as Xapian's remote protocol did.
        return all;
    }
    all.merge(spy.answer);
    return all;
}

void read_remote_positions(cx_database *handle, const std::vector<std::pair<Xapian::docid, std::string>> &wanted,
                           std::map<std::string, std::map<Xapian::docid, std::vector<Xapian::termpos>>> &read) {
    std::vector<const Shard *> live;
    for (const auto &shard : handle->shards)
        if (shard.live) live.push_back(&shard);
    if (live.empty()) return;
    // Xapian numbers the combined database's documents shard by shard in turn.
    std::vector<std::string> uuids(live.size());
    std::set<std::string> seen;
    Xapian::Database remote;
    for (size_t i = 0; i < live.size(); ++i) {
        if (live[i]->host.empty()) continue;
        uuids[i] = live[i]->database.get_uuid();
        if (uuids[i].empty() || !seen.insert(uuids[i]).second) return;
        remote.add_database(live[i]->database);
    }
    if (seen.empty()) return;
    LookupQuestion question;
    for (const auto &one : wanted) {
        size_t shard = (one.first - 1) % live.size();
        if (uuids[shard].empty()) continue;
        auto &terms = question.positions_of[uuids[shard]][(one.first - 1) / live.size() + 1];
        if (terms.empty() || terms.back() != one.second) terms.push_back(one.second);
    }
    if (question.positions_of.empty()) return;
    Xapian::Enquire enquire(remote);
    enquire.set_query(Xapian::Query(kNothing));
    LookupSpy spy(question);
    enquire.add_matchspy(&spy);
    try {
        enquire.get_mset(0, 0, 1);
    } catch (const Xapian::InvalidArgumentError &) {
        return;  // a shard of an earlier Presse: its positions are read one by one
    }
    for (size_t shard = 0; shard < live.size(); ++shard) {
        auto answered = spy.answer.positions.find(uuids[shard]);
        if (uuids[shard].empty() || answered == spy.answer.positions.end()) continue;
        for (const auto &release : answered->second) {
            Xapian::docid did = Xapian::docid((release.first - 1) * live.size() + shard + 1);
            for (const auto &term : release.second) read[term.first][did] = term.second;
        }
    }
}

void register_lookups(Xapian::Registry &registry, const std::string &path) {
    std::unique_ptr<LookupSpy> prototype(LookupSpy::serving(path));
    registry.register_match_spy(*prototype);
}

}  // namespace cxapian
