// Opening databases, metadata, transactions, writing passages and compaction.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "internal.h"

using cxapian::fail;
using cxapian::translate_exception;

namespace {

std::string to_string(const char *data, size_t length) {
    return data ? std::string(data, length) : std::string();
}

cx_status need_writer(cx_database *db, cx_error *error) {
    if (!db) return fail(error, CX_INVALID_ARGUMENT, "no database handle");
    if (!db->writer) return fail(error, CX_INVALID_ARGUMENT, "the database is open read-only");
    return CX_OK;
}

// Runs one writer operation with the usual checks and the exception translator.
template <typename Operation>
cx_status with_writer(cx_database *db, cx_error *error, Operation operation) {
    try {
        if (cx_status s = need_writer(db, error)) return s;
        operation(*db->writer);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

// Runs one counting read (document count, term frequency) into *out, 0 on failure.
template <typename Count>
cx_status count_into(cx_database *db, uint64_t *out, cx_error *error, Count count) {
    if (out) *out = 0;
    try {
        if (!db || !out) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        *out = count(*db->database);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

// One TermGenerator per language, so a writer sets up stemmers and stoppers once.
Xapian::TermGenerator &generator_for(cx_database *db, const std::string &lang) {
    for (auto &entry : db->generators)
        if (entry.first == lang) return entry.second;
    Xapian::TermGenerator generator;
    // Stemmed terms only, with positions (STEM_ALL_Z): every query word is searched by its
    // stem anyway, and phrases match on stems as in Elasticsearch's language analyzers.
    // Indexing the unstemmed forms too (STEM_SOME) made the index a sixth larger and
    // indexing a third slower, for nothing a query used.
    generator.set_stemmer(Xapian::Stem(cxapian::stemmer_name(lang)));
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    // Stopwords are indexed like any word: phrases with them match ("continue their
    // partnership"), and a query made only of stopwords ("über uns") still finds them. The
    // QueryParser drops them from ordinary queries.
    generator.set_stopper_strategy(Xapian::TermGenerator::STOP_NONE);
    db->generators.emplace_back(lang, generator);
    return db->generators.back().second;
}

}  // namespace

void cxapian::check_schema(const Xapian::Database &db) {
    std::string schema = db.get_metadata(kSchemaKey);
    if (schema == kSchemaVersion || db.get_doccount() == 0) return;
    if (schema.empty()) schema = "1";  // written before the schema was recorded
    bool older = std::atoi(schema.c_str()) < std::atoi(kSchemaVersion);
    throw Xapian::DatabaseVersionError("schema " + schema + " of " + (older ? "an earlier" : "a later") +
                                       " Presse; this one reads schema " + kSchemaVersion);
}

struct cx_pairs {
    std::vector<std::pair<std::string, std::string>> items;
};

extern "C" {

cx_status cx_database_open(const char *path, size_t path_len, int flags, cx_database **out,
                           cx_error *error) {
    if (out) *out = nullptr;
    cx_database *db = nullptr;
    try {
        if (!out || !path || path_len == 0) return fail(error, CX_INVALID_ARGUMENT, "no path");
        db = new cx_database();
        std::string p(path, path_len);
        if (flags & CX_OPEN_WRITE) {
            int action = (flags & CX_OPEN_CREATE) ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN;
            if (flags & CX_OPEN_NO_SYNC) action |= Xapian::DB_NO_SYNC;
            db->writer.reset(new Xapian::WritableDatabase(p, action));
            db->database = db->writer.get();
            // A new database is stamped with the schema it is written in (committed with
            // the writer's first commit).
            if (db->writer->get_doccount() == 0 &&
                db->writer->get_metadata(cxapian::kSchemaKey).empty())
                db->writer->set_metadata(cxapian::kSchemaKey, cxapian::kSchemaVersion);
        } else {
            db->reader.reset(new Xapian::Database(p));
            db->database = db->reader.get();
        }
        if (!(flags & CX_OPEN_ANY_SCHEMA)) cxapian::check_schema(*db->database);
        *out = db;
        return CX_OK;
    } catch (...) {
        delete db;  // frees a half-built handle
        return translate_exception(error);
    }
}

void cx_database_close(cx_database *db) {
    if (!db) return;
    try {
        if (db->writer) db->writer->close();
        if (db->reader) db->reader->close();
    } catch (...) {
        // Closing only releases files and the lock; the caller has already committed.
    }
    try {
        delete db;
    } catch (...) {
    }
}

cx_status cx_database_reopen(cx_database *db, cx_error *error) {
    try {
        if (!db) return fail(error, CX_INVALID_ARGUMENT, "no database handle");
        db->database->reopen();
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_document_count(cx_database *db, uint64_t *out, cx_error *error) {
    return count_into(db, out, error, [](Xapian::Database &d) { return d.get_doccount(); });
}

cx_status cx_term_frequency(cx_database *db, const char *term, size_t term_len, uint64_t *out,
                            cx_error *error) {
    // The term is built inside the lambda, so inside count_into's try: nothing may throw here.
    return count_into(db, out, error, [term, term_len](Xapian::Database &d) {
        return d.get_termfreq(to_string(term, term_len));
    });
}

cx_status cx_get_metadata(cx_database *db, const char *key, size_t key_len, cx_bytes *out,
                          cx_error *error) {
    if (out) *out = cx_bytes{nullptr, 0};
    try {
        if (!db || !out || !key || key_len == 0)
            return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        std::string value = db->database->get_metadata(std::string(key, key_len));
        if (!value.empty()) cxapian::copy_out(value, out);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_set_metadata(cx_database *db, const char *key, size_t key_len, const char *value,
                          size_t value_len, cx_error *error) {
    try {
        if (cx_status s = need_writer(db, error)) return s;
        if (!key || key_len == 0) return fail(error, CX_INVALID_ARGUMENT, "empty metadata key");
        db->writer->set_metadata(std::string(key, key_len), to_string(value, value_len));
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_metadata_list(cx_database *db, const char *prefix, size_t prefix_len,
                           cx_pairs **out, cx_error *error) {
    if (out) *out = nullptr;
    cx_pairs *pairs = nullptr;
    try {
        if (!db || !out) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        pairs = new cx_pairs();
        std::string p = to_string(prefix, prefix_len);
        for (auto it = db->database->metadata_keys_begin(p); it != db->database->metadata_keys_end(p); ++it) {
            std::string key = *it;
            pairs->items.emplace_back(key, db->database->get_metadata(key));
        }
        *out = pairs;
        return CX_OK;
    } catch (...) {
        delete pairs;
        return translate_exception(error);
    }
}

size_t cx_pairs_count(const cx_pairs *pairs) { return pairs ? pairs->items.size() : 0; }

void cx_pairs_get(const cx_pairs *pairs, size_t index, const char **key, size_t *key_len,
                  const char **value, size_t *value_len) {
    if (!pairs || index >= pairs->items.size()) {
        if (key) *key = nullptr;
        if (key_len) *key_len = 0;
        if (value) *value = nullptr;
        if (value_len) *value_len = 0;
        return;
    }
    const auto &item = pairs->items[index];
    if (key) *key = item.first.data();
    if (key_len) *key_len = item.first.size();
    if (value) *value = item.second.data();
    if (value_len) *value_len = item.second.size();
}

void cx_pairs_free(cx_pairs *pairs) { delete pairs; }

cx_status cx_begin_transaction(cx_database *db, cx_error *error) {
    return with_writer(db, error, [](Xapian::WritableDatabase &w) { w.begin_transaction(true); });
}

cx_status cx_commit_transaction(cx_database *db, cx_error *error) {
    return with_writer(db, error, [](Xapian::WritableDatabase &w) { w.commit_transaction(); });
}

cx_status cx_cancel_transaction(cx_database *db, cx_error *error) {
    return with_writer(db, error, [](Xapian::WritableDatabase &w) { w.cancel_transaction(); });
}

cx_status cx_commit(cx_database *db, cx_error *error) {
    return with_writer(db, error, [](Xapian::WritableDatabase &w) { w.commit(); });
}

cx_status cx_add_passage(cx_database *db, const cx_passage *passage, cx_error *error) {
    try {
        if (cx_status s = need_writer(db, error)) return s;
        if (!passage || !passage->release_key || passage->release_key_len == 0 || !passage->lang)
            return fail(error, CX_INVALID_ARGUMENT, "a passage needs a release key and a language");
        std::string lang = passage->lang;
        const auto &languages = cxapian::all_languages();
        if (std::find(languages.begin(), languages.end(), lang) == languages.end())
            return fail(error, CX_INVALID_ARGUMENT, "unknown language code: " + lang);

        std::string key(passage->release_key, passage->release_key_len);
        Xapian::Document doc;
        std::string data = lang;
        data += cxapian::kDataSeparator;
        data += to_string(passage->info, passage->info_len);
        data += cxapian::kDataSeparator;
        data += to_string(passage->text, passage->text_len);
        doc.set_data(data);
        doc.add_boolean_term(cxapian::kReleasePrefix + key);
        doc.add_boolean_term(cxapian::kLanguagePrefix + lang);
        if (passage->first_of_release) doc.add_boolean_term(cxapian::kFirstPassageTerm);
        doc.add_value(cxapian::kReleaseSlot, key);

        Xapian::TermGenerator &generator = generator_for(db, lang);
        generator.set_document(doc);
        std::string prefix = cxapian::language_term_prefix(lang);
        generator.index_text(cxapian::fold(passage->text, passage->text_len), 1, prefix);
        if (passage->title && passage->title_len) {
            generator.index_text_without_positions(
                cxapian::fold(passage->title, passage->title_len), 1, prefix + cxapian::kTitlePrefix);
        }
        db->writer->add_document(doc);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_delete_release(cx_database *db, const char *release_key, size_t release_key_len,
                            cx_error *error) {
    try {
        if (cx_status s = need_writer(db, error)) return s;
        if (!release_key || release_key_len == 0)
            return fail(error, CX_INVALID_ARGUMENT, "empty release key");
        db->writer->delete_document(cxapian::kReleasePrefix + std::string(release_key, release_key_len));
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_compact(const char *const *sources, size_t count, const char *destination,
                     size_t destination_len, cx_error *error) {
    try {
        if (!sources || count == 0 || !destination || destination_len == 0)
            return fail(error, CX_INVALID_ARGUMENT, "nothing to compact");
        Xapian::Database combined;
        for (size_t i = 0; i < count; ++i) {
            if (!sources[i]) return fail(error, CX_INVALID_ARGUMENT, "a source path is missing");
            combined.add_database(Xapian::Database(sources[i]));
        }
        combined.compact(std::string(destination, destination_len), Xapian::DBCOMPACT_MULTIPASS);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

}  // extern "C"
