// Opening databases, statistics, metadata, transactions and compaction. (Writing releases:
// indexing.cpp; the formats: schema.h.)
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <sys/stat.h>

#include "asking.h"
#include "internal.h"
#include "schema.h"

namespace schema = cxapian::schema;

using cxapian::fail;
using cxapian::translate_exception;

namespace {

// Runs one writer operation with the usual checks and the exception translator.
template <typename Operation>
cx_status with_writer(cx_database *db, cx_error *error, Operation operation) {
    try {
        if (cx_status s = cxapian::need_writer(db, error)) return s;
        operation(*db->writer);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

}  // namespace

std::string cxapian::live_folder(const std::string &index) {
    std::ifstream stub(index + "/XAPIANDB");
    std::string line, live;
    int lines = 0;
    while (std::getline(stub, line))
        if (!line.empty() && line[0] != '#') live = line, ++lines;
    size_t space = live.find(' ');
    if (lines != 1 || space == std::string::npos) return index;
    std::string name = live.substr(space + 1);
    return name[0] == '/' ? name : index + "/" + name;
}

cx_status cxapian::need_writer(cx_database *db, cx_error *error) noexcept {
    if (!db) return fail(error, CX_INVALID_ARGUMENT, "no database handle");
    if (!db->writer) return fail(error, CX_INVALID_ARGUMENT, "the database is open read-only");
    return CX_OK;
}

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
            // A new (or emptied) database is stamped with the schema it is written in
            // (committed with the writer's first commit).
            if (db->writer->get_doccount() == 0 &&
                db->writer->get_metadata(schema::kVersionKey) != schema::kVersion)
                db->writer->set_metadata(schema::kVersionKey, schema::kVersion);
        } else {
            // Opening reads the newest revision's root blocks, which a writer committing
            // twice meanwhile can take away.
            // A reader keeps the dictionaries of one glass database as files in its folder
            // (release_data.h), so it opens the folder its index's stub names itself: the
            // folder is then the database it reads, even if a rebuild switches the stub
            // meanwhile. A writer keeps none (its dictionary may not be committed yet).
            std::string folder = cxapian::live_folder(p);
            struct stat info {};
            bool glass = stat((folder + "/iamglass").c_str(), &info) == 0;
            cxapian::retrying_modified([&] {
                db->reader.reset(new Xapian::Database(glass ? folder : p));
                db->database = db->reader.get();
                if (!(flags & CX_OPEN_ANY_SCHEMA)) schema::check_version(*db->database);
                return 0;
            }, [] { return false; });  // nothing to reopen: a damaged index fails at once
            if (glass) db->codec.keep_dictionaries_in(0, folder);
        }
        if (db->writer && !(flags & CX_OPEN_ANY_SCHEMA)) schema::check_version(*db->database);
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
        // Xapian commits a writer's pending changes outside a transaction as it closes: its
        // releases' spelling goes with them.
        if (db->writer) cxapian::flush_spelling(db);
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

const char *cx_statistics_language(size_t i) {
    const auto &languages = cxapian::all_languages();
    return i < languages.size() && i < 4 ? languages[i].c_str() : "";
}

cx_status cx_index_statistics(cx_database *db, cx_statistics *out, cx_error *error) {
    if (out) *out = cx_statistics{};
    try {
        if (!db || !out) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        cx_statistics stats = cxapian::retrying_modified([db] {
            const Xapian::Database &d = *db->database;
            cx_statistics stats{};
            stats.releases = d.get_doccount();
            for (size_t i = 0; *cx_statistics_language(i); ++i)
                stats.releases_in[i] = d.get_termfreq(schema::language_term(cx_statistics_language(i)));
            // The passages per language of each release, from its passage table: one value
            // stream read.
            std::vector<schema::StoredPassage> passages;
            for (auto it = d.valuestream_begin(schema::kPassagesSlot); it != d.valuestream_end(schema::kPassagesSlot); ++it) {
                if (!schema::decode_passage_table(*it, &passages)) throw Xapian::DatabaseCorruptError("a passage table cannot be read");
                for (const auto &passage : passages) {
                    for (size_t i = 0; *cx_statistics_language(i); ++i)
                        if (passage.lang == cx_statistics_language(i)) ++stats.passages_in[i];
                    ++stats.passages;
                }
            }
            stats.last_update = std::atoll(d.get_metadata(schema::kLastUpdateKey).c_str());
            return stats;
        }, [db] { return cxapian::reopen_reader(db); });
        *out = stats;
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_stamp_update(cx_database *db, int64_t seconds, cx_error *error) {
    return with_writer(db, error, [seconds](Xapian::WritableDatabase &w) {
        w.set_metadata(schema::kLastUpdateKey, std::to_string(seconds));
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
        if (cx_status s = cxapian::need_writer(db, error)) return s;
        if (!key || key_len == 0) return fail(error, CX_INVALID_ARGUMENT, "empty metadata key");
        db->writer->set_metadata(std::string(key, key_len), cxapian::bytes(value, value_len));
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}


cx_status cx_begin_transaction(cx_database *db, cx_error *error) {
    return with_writer(db, error, [](Xapian::WritableDatabase &w) { w.begin_transaction(true); });
}

cx_status cx_commit_transaction(cx_database *db, cx_error *error) {
    return with_writer(db, error, [db](Xapian::WritableDatabase &w) {
        cxapian::flush_spelling(db);
        w.commit_transaction();
        db->codec.committed();
    });
}

cx_status cx_cancel_transaction(cx_database *db, cx_error *error) {
    return with_writer(db, error, [db](Xapian::WritableDatabase &w) {
        w.cancel_transaction();
        db->codec.cancelled();
        db->spelling.reset();  // its counts were the cancelled changes'
    });
}

cx_status cx_commit(cx_database *db, cx_error *error) {
    return with_writer(db, error, [db](Xapian::WritableDatabase &w) {
        cxapian::flush_spelling(db);
        w.commit();
        db->codec.committed();
    });
}

cx_status cx_compact(const char *const *sources, size_t count, const char *destination,
                     size_t destination_len, cx_error *error) {
    try {
        if (!sources || count == 0 || !destination || destination_len == 0)
            return fail(error, CX_INVALID_ARGUMENT, "nothing to compact");
        for (size_t i = 0; i < count; ++i)
            if (!sources[i]) return fail(error, CX_INVALID_ARGUMENT, "a source path is missing");
        // Words seen once in each of several shards (spelling.cpp).
        if (count > 1) cxapian::settle_singletons(std::vector<std::string>(sources, sources + count));
        Xapian::Database combined;
        for (size_t i = 0; i < count; ++i) combined.add_database(Xapian::Database(sources[i]));
        combined.compact(std::string(destination, destination_len), Xapian::DBCOMPACT_MULTIPASS);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

}  // extern "C"
