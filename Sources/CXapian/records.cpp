// Release records (schema.h, kRecordSlot): what a sync compares to skip an unchanged file
// unread, kept in each release's document.
#include <cstdio>
#include <memory>
#include <unordered_map>

#include "internal.h"
#include "schema.h"

namespace schema = cxapian::schema;
using cxapian::fail;
using cxapian::translate_exception;

struct cx_records {
    std::vector<schema::StoredRecord> items;
};

// What cx_read_release hands out: the public struct as its base (so the caller's pointer
// converts back with static_cast), and the strings and passage array it points into.
struct ReleaseContents : cx_release_contents {
    ReleaseContents() : cx_release_contents{} {}
    schema::StoredRelease release;
    std::vector<cx_stored_passage> passages;
};

namespace {

cx_release_record to_c(const schema::StoredRecord &record) {
    return cx_release_record{record.content_hash, record.size, record.modified, record.passages};
}

// The document of a release, or 0.
Xapian::docid find_document(const Xapian::Database &db, const std::string &key) {
    Xapian::PostingIterator posting = db.postlist_begin(schema::release_term(key));
    return posting == db.postlist_end(schema::release_term(key)) ? 0 : *posting;
}

}  // namespace

extern "C" {

cx_status cx_list_records(cx_database *db, cx_records **out, cx_error *error) {
    if (out) *out = nullptr;
    cx_records *records = nullptr;
    try {
        if (!db || !out) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        records = new cx_records();
        const Xapian::Database &d = *db->database;
        // The records from their value stream, then each one's key from its identity term.
        std::unordered_map<Xapian::docid, schema::StoredRecord> by_document;
        by_document.reserve(d.get_doccount());
        for (auto it = d.valuestream_begin(schema::kRecordSlot); it != d.valuestream_end(schema::kRecordSlot); ++it) {
            if (!schema::decode_record(*it, &by_document[it.get_docid()]))
                throw Xapian::DatabaseCorruptError("a release record cannot be read");
        }
        records->items.reserve(by_document.size());
        const std::string prefix = schema::kReleasePrefix;
        for (auto term = d.allterms_begin(prefix); term != d.allterms_end(prefix); ++term) {
            auto found = by_document.find(*d.postlist_begin(*term));
            std::string key = schema::release_key(*term);
            if (found == by_document.end() || key.empty()) throw Xapian::DatabaseCorruptError("a release has no record");
            found->second.key = key;
            records->items.push_back(std::move(found->second));
        }
        *out = records;
        return CX_OK;
    } catch (...) {
        delete records;
        return translate_exception(error);
    }
}

size_t cx_records_count(const cx_records *records) { return records ? records->items.size() : 0; }

void cx_records_get(const cx_records *records, size_t index, const char **key, cx_release_record *record) {
    if (!records || index >= records->items.size()) {
        if (key) *key = nullptr;
        if (record) *record = cx_release_record{};
        return;
    }
    const auto &item = records->items[index];
    if (key) *key = item.key.data();
    if (record) *record = to_c(item);
}

void cx_records_free(cx_records *records) { delete records; }

cx_status cx_find_release(cx_database *db, const char *key, size_t key_len, int *found,
                          cx_release_record *record, cx_bytes *path, cx_error *error) {
    if (found) *found = 0;
    if (record) *record = cx_release_record{};
    if (path) *path = cx_bytes{nullptr, 0};
    try {
        if (!db || !found || !key) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        std::string k(key, key_len);
        Xapian::docid id = find_document(*db->database, k);
        if (!id) return CX_OK;
        Xapian::Document doc = db->database->get_document(id);
        schema::StoredRecord stored;
        stored.key = k;
        if (!schema::decode_record(doc.get_value(schema::kRecordSlot), &stored))
            throw Xapian::DatabaseCorruptError("a release record cannot be read");
        if (path) {
            schema::StoredRelease release;
            // With its own shard's compression dictionary (a set of shards: shards.cpp).
            auto shard = cxapian::shard_of(db, id);
            if (!schema::decode_release(doc, db->codec.decompress(*shard.first, schema::release_data_of(doc), shard.second), &release))
                throw Xapian::DatabaseCorruptError("a release's data cannot be read");
            cxapian::copy_out(release.path, path);
        }
        if (record) *record = to_c(stored);
        *found = 1;
        return CX_OK;
    } catch (...) {
        if (path) cx_bytes_free(path);
        return translate_exception(error);
    }
}

cx_status cx_read_release(cx_database *db, const char *key, size_t key_len, int *found,
                          cx_release_contents **out, cx_error *error) {
    if (found) *found = 0;
    if (out) *out = nullptr;
    try {
        if (!db || !found || !out || (!key && key_len)) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        std::string k = cxapian::bytes(key, key_len);
        if (!schema::is_release_key(k)) return CX_OK;
        std::unique_ptr<ReleaseContents> contents(cxapian::retrying_modified([&]() -> ReleaseContents * {
            Xapian::docid id = find_document(*db->database, k);
            if (!id) return nullptr;
            auto read = std::make_unique<ReleaseContents>();
            Xapian::Document doc = db->database->get_document(id);
            auto shard = cxapian::shard_of(db, id);  // its own shard's dictionary
            if (!schema::decode_release(doc, db->codec.decompress(*shard.first, schema::release_data_of(doc), shard.second), &read->release))
                throw Xapian::DatabaseCorruptError("a release's data cannot be read");
            return read.release();
        }, [db] { return cxapian::reopen_reader(db); }));
        if (!contents) return CX_OK;
        const schema::StoredRelease &release = contents->release;
        contents->passages.reserve(release.passages.size());
        for (const schema::StoredPassage &passage : release.passages) {
            cx_stored_passage p{};
            std::snprintf(p.lang, sizeof p.lang, "%s", passage.lang.c_str());
            p.start = passage.start;
            p.end = passage.end;
            p.text = passage.text.data();
            p.text_len = passage.text.size();
            contents->passages.push_back(p);
        }
        cx_release_contents &view = *contents;
        view.path = release.path.data();
        view.path_len = release.path.size();
        view.title = release.title.data();
        view.title_len = release.title.size();
        std::snprintf(view.date, sizeof view.date, "%s", release.date.c_str());
        std::snprintf(view.date_source, sizeof view.date_source, "%s", release.date_source.c_str());
        view.passages = contents->passages.data();
        view.passage_count = contents->passages.size();
        *found = 1;
        *out = contents.release();
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

void cx_release_contents_free(cx_release_contents *contents) {
    delete static_cast<ReleaseContents *>(contents);
}

cx_status cx_touch_release(cx_database *db, const char *key, size_t key_len,
                           const cx_release_record *record, cx_error *error) {
    try {
        if (cx_status s = cxapian::need_writer(db, error)) return s;
        if (!key || !record) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        std::string k(key, key_len);
        Xapian::docid id = find_document(*db->writer, k);
        if (!id) return CX_OK;
        // Only a value changes: Xapian rewrites neither the terms nor the document data, but
        // rewrites all of the release's values, its data among them when it is a value
        // (schema.h, kLargestReleaseValue: at most 16 KB).
        Xapian::Document doc = db->writer->get_document(id);
        schema::StoredRecord stored{k, record->content_hash, record->size, record->modified, record->passages};
        doc.add_value(schema::kRecordSlot, schema::encode_record(stored));
        db->writer->replace_document(id, doc);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

}  // extern "C"
