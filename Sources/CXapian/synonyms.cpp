// The user's synonyms and abbreviations (`presse synonyms`), in Xapian's synonym table
// (schema.h), and their expansion in queries.
#include "asking.h"
#include "internal.h"
#include "lookups.h"

using cxapian::fail;
using cxapian::translate_exception;

namespace cxapian {

namespace {

// Text as the synonym table holds it: folded, lowercased, its words joined by one space.
std::string normalised(const std::string &text) {
    std::string out;
    each_word(fold(text.data(), text.size()), [&out](const std::string &word) {
        if (!out.empty()) out += ' ';
        out += Xapian::Unicode::tolower(word);
        return true;
    });
    return out;
}

}  // namespace

namespace {

// A word rewrite_words visits that synonyms may stand for: a top-level word, not an operator.
bool takes_synonyms(const std::string &word, const WordPlace &place) {
    return !place.quoted && (place.before == ' ' || place.before == '(') && (place.after == ' ' || place.after == ')') &&
           !is_operator(word);
}

}  // namespace

void answer_synonyms(const Xapian::Database &db, const LookupQuestion &question, LookupAnswer &answer) {
    // None: the usual case. (Spelling's singletons sort after every word: schema.h.)
    Xapian::TermIterator first = db.synonym_keys_begin();
    if (first == db.synonym_keys_end() || (*first).compare(0, 1, schema::kSingletonPrefix) == 0) return;
    for (const auto &word : question.synonyms_of)
        for (auto synonym = db.synonyms_begin(word); synonym != db.synonyms_end(word); ++synonym)
            answer.synonyms[word].insert(*synonym);
}

std::string with_synonyms(cx_database *handle, const std::string &text) {
    LookupQuestion question;
    rewrite_words(text, [&](const std::string &word, const WordPlace &place, std::string &) {
        if (takes_synonyms(word, place)) question.synonyms_of.push_back(word);
    });
    const LookupAnswer answer = look_up(handle, question);
    if (answer.synonyms.empty()) return text;
    return rewrite_words(text, [&](const std::string &word, const WordPlace &place, std::string &out) {
        auto found = takes_synonyms(word, place) ? answer.synonyms.find(word) : answer.synonyms.end();
        if (found == answer.synonyms.end()) {
            out += word;
            return;
        }
        out += "(" + word;
        for (const std::string &words : found->second)
            out += words.find(' ') == std::string::npos ? " OR " + words : " OR \"" + words + "\"";
        out += ")";
    });
}

}  // namespace cxapian

extern "C" {

cx_status cx_synonym_add(cx_database *db, const char *word, size_t word_len, const char *synonym, size_t synonym_len,
                         cx_error *error) {
    try {
        if (cx_status s = cxapian::need_writer(db, error)) return s;
        std::string key = cxapian::normalised(cxapian::bytes(word, word_len));
        std::string value = cxapian::normalised(cxapian::bytes(synonym, synonym_len));
        if (key.empty() || key.find(' ') != std::string::npos)
            return fail(error, CX_INVALID_ARGUMENT, "a synonym is given for one word, not '" + cxapian::bytes(word, word_len) + "'");
        if (value.empty())
            return fail(error, CX_INVALID_ARGUMENT, "the synonym of '" + key + "' has no word");
        if (value != key) db->writer->add_synonym(key, value);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_synonym_remove(cx_database *db, const char *word, size_t word_len, const char *synonym,
                            size_t synonym_len, int *removed, cx_error *error) {
    if (removed) *removed = 0;
    try {
        if (cx_status s = cxapian::need_writer(db, error)) return s;
        std::string key = cxapian::normalised(cxapian::bytes(word, word_len));
        Xapian::WritableDatabase &w = *db->writer;
        int count = 0;
        std::vector<std::string> values;
        for (auto it = w.synonyms_begin(key); it != w.synonyms_end(key); ++it) values.push_back(*it);
        if (synonym) {
            std::string value = cxapian::normalised(cxapian::bytes(synonym, synonym_len));
            for (const auto &v : values)
                if (v == value) { w.remove_synonym(key, value); ++count; }
        } else {
            count = static_cast<int>(values.size());
            w.clear_synonyms(key);
        }
        if (removed) *removed = count;
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_synonym_list(cx_database *db, cx_bytes *out, cx_error *error) {
    if (out) *out = cx_bytes{nullptr, 0};
    try {
        if (!db || !out) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        const Xapian::Database &d = *db->database;
        std::string lines;
        for (auto key = d.synonym_keys_begin(); key != d.synonym_keys_end(); ++key) {
            if ((*key).compare(0, 1, cxapian::schema::kSingletonPrefix) == 0) break;  // spelling's, not the user's
            for (auto value = d.synonyms_begin(*key); value != d.synonyms_end(*key); ++value)
                lines += *key + "\t" + *value + "\n";
        }
        if (!lines.empty()) cxapian::copy_out(lines, out);
        return CX_OK;
    } catch (...) {
        cx_bytes_free(out);
        return translate_exception(error);
    }
}

}  // extern "C"
