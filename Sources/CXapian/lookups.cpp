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
    return out;
}

LookupQuestion LookupQuestion::unserialise(const std::string &bytes) {
    Reader in{bytes};
    LookupQuestion question;
    question.synonyms_of = in.texts();
    question.spelling_of = in.texts();
    question.languages = in.texts();
    question.releases_of = in.texts();
    return question;
}

void LookupAnswer::merge(const LookupAnswer &other) {
    for (const auto &word : other.synonyms) synonyms[word.first].insert(word.second.begin(), word.second.end());
    known.insert(other.known.begin(), other.known.end());
    for (const auto &word : other.closest)
        for (const auto &lang : word.second)
            for (const auto &candidate : lang.second) closest[word.first][lang.first][candidate.first] += candidate.second;
    for (const auto &key : other.releases) releases[key.first] += key.second;
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
    for (uint64_t n = in.number(); n > 0; --n) {
        std::string key = in.text();
        answer.releases[key] += Xapian::doccount(in.number());
    }
    return answer;
}

LookupAnswer answer_locally(const Xapian::Database &db, const LookupQuestion &question) {
    LookupAnswer answer;
    if (!question.synonyms_of.empty()) answer_synonyms(db, question, answer);
    if (!question.spelling_of.empty() || !question.releases_of.empty()) answer_spelling(db, question, answer);
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

void register_lookups(Xapian::Registry &registry, const std::string &path) {
    std::unique_ptr<LookupSpy> prototype(LookupSpy::serving(path));
    registry.register_match_spy(*prototype);
}

}  // namespace cxapian
