// A release's stored data, compressed (schema.h, "Release data").
//
// Why zstd with a dictionary: a release's data is a few hundred bytes, too little for the zlib
// Xapian applies to each document on its own to find much to reuse (it kept 79% of the text
// of the 99,191-description benchmark corpus). A dictionary learned from a few thousand
// of the index's releases gives zstd the words, paths and layout releases share: 38% of the
// text of the same corpus's releases (4,000 training releases, a 224 KB dictionary, level 9).
//
// The dictionary is trained from releases sampled across what a build is about to write
// (train_dictionary: Swift picks them evenly spaced, since a corpus's folders are often one
// language or one source each, and a dictionary of the first folder's releases compresses
// the others poorly). A writer stores it in its database's metadata under its zstd
// dictionary ID, in the same transaction as the releases compressed with it, and compresses
// every later release with it. Every stored frame names its dictionary ID, so a database
// merged from shards reads each release with the right one; a release written before any
// dictionary is compressed without one.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;
struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace cxapian {

class DictionaryFile;

class ReleaseDataCodec {
public:
    ReleaseDataCodec();
    ~ReleaseDataCodec();
    ReleaseDataCodec(const ReleaseDataCodec &) = delete;
    ReleaseDataCodec &operator=(const ReleaseDataCodec &) = delete;

    // A dictionary for releases like `samples` (schema::encode_release's bytes); empty when
    // zstd finds too little to learn.
    static std::string train_dictionary(const std::vector<std::string> &samples);
    // The writer's side: compresses from now on with `dictionary`, stored in db's metadata
    // (current transaction). Does nothing when db already has a dictionary.
    void use_dictionary(Xapian::WritableDatabase &db, const std::string &dictionary);
    // The writer's side: `plain` (schema::encode_release) as it is stored.
    std::string compress(Xapian::WritableDatabase &db, const std::string &plain);
    // The writer's changes were committed, or cancelled: a dictionary trained in a cancelled
    // transaction is gone from the database, so it must be forgotten here too.
    void committed();
    void cancelled();

    // Any handle: the stored bytes back as schema::encode_release wrote them. Throws
    // Xapian::DatabaseCorruptError when they are not a frame this index can read.
    // `db` is the database holding the release's dictionary: for several indexes searched as
    // one, the release's own shard (Xapian reads metadata from the first shard only), and
    // `shard` its place, since two shards' dictionaries may share an ID.
    std::string decompress(const Xapian::Database &db, const std::string &stored, unsigned shard = 0);
    // The folder of `shard`'s database (a glass database's own folder), where its dictionaries
    // are also kept as files, mapped rather than read (see DictionaryFile in release_data.cpp).
    // Remote shards and databases opened otherwise have none: their dictionaries are read from
    // the metadata.
    void keep_dictionaries_in(unsigned shard, const std::string &folder);

private:
    void load_dictionary(Xapian::WritableDatabase &db);
    const std::string &folder_of(unsigned shard) const;

    ZSTD_CCtx_s *compressor_ = nullptr;
    ZSTD_DCtx_s *decompressor_ = nullptr;
    ZSTD_CDict_s *dictionary_ = nullptr;  // the writer's, once there is one
    bool looked_up_ = false;              // the writer has read the stored dictionary, if any
    bool uncommitted_ = false;            // dictionary_ exists only in the open transaction
    // By shard and dictionary ID, loaded when first met.
    std::map<std::pair<unsigned, uint32_t>, ZSTD_DDict_s *> readers_;
    std::map<std::pair<unsigned, uint32_t>, std::string> dictionaries_;  // the bytes readers_ refer to (read)
    std::map<std::pair<unsigned, uint32_t>, std::unique_ptr<DictionaryFile>> mapped_;  // or (mapped)
    std::map<unsigned, std::string> folders_;  // keep_dictionaries_in
};

}  // namespace cxapian
