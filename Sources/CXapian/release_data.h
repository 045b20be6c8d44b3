// A release's document data, compressed (schema.h, "Document data").
//
// Why zstd with a dictionary: a release's data is a few hundred bytes, too little for the zlib
// Xapian applies to each document on its own to find much to reuse (it kept 79% of the text
// of the 99,191-description benchmark corpus). A dictionary learned from the index's first
// megabyte of releases gives zstd the words, paths and layout releases share: 40% of the raw
// text on the same corpus (measured with 1,800 training releases, level 12).
//
// The dictionary is trained once per database by its writer, from the first kTrainingBytes
// of releases it writes (those are stored without one), and stored in the database's metadata
// under its zstd dictionary ID, in the same transaction as the releases compressed with it.
// Every stored frame names its dictionary ID, so a database merged from shards (each with a
// dictionary of its own) reads each release with the right one.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;
struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace cxapian {

class ReleaseDataCodec {
public:
    ReleaseDataCodec();
    ~ReleaseDataCodec();
    ReleaseDataCodec(const ReleaseDataCodec &) = delete;
    ReleaseDataCodec &operator=(const ReleaseDataCodec &) = delete;

    // The writer's side: `plain` (schema::encode_release) as it is stored. Trains and stores
    // the dictionary (db's metadata, current transaction) once enough releases were seen.
    std::string compress(Xapian::WritableDatabase &db, const std::string &plain);
    // The writer's changes were committed, or cancelled: a dictionary trained in a cancelled
    // transaction is gone from the database, so it must be forgotten here too.
    void committed();
    void cancelled();

    // Any handle: the stored bytes back as schema::encode_release wrote them. Throws
    // Xapian::DatabaseCorruptError when they are not a frame this index can read.
    std::string decompress(const Xapian::Database &db, const std::string &stored);

private:
    void load_dictionary(Xapian::WritableDatabase &db);
    void train(Xapian::WritableDatabase &db);

    ZSTD_CCtx_s *compressor_ = nullptr;
    ZSTD_DCtx_s *decompressor_ = nullptr;
    ZSTD_CDict_s *dictionary_ = nullptr;  // the writer's, once there is one
    bool looked_up_ = false;              // the writer has read the stored dictionary, if any
    bool trained_uncommitted_ = false;    // dictionary_ exists only in the open transaction
    bool training_failed_ = false;        // zstd found nothing to learn: no more tries
    std::string samples_;                 // releases kept for training, end to end
    std::vector<size_t> sample_sizes_;
    std::map<uint32_t, ZSTD_DDict_s *> readers_;  // by dictionary ID, loaded when first met
};

}  // namespace cxapian
