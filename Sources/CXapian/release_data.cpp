// Compressing releases' document data with zstd and a dictionary of the index's own (see
// release_data.h for why).
#include "release_data.h"

#include <zdict.h>
// For ZSTD_c_forceAttachDict: an "experimental" parameter of zstd's stable setter, there
// since 1.3.6.
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "schema.h"

namespace cxapian {

namespace {

// Twice zstd's default size: 7% less stored text than the default on the benchmark corpus.
constexpr size_t kDictionaryBytes = 224 << 10;
// Level 9: 9% smaller than zstd's default level 3 on release data, at 14 MB/s with the
// dictionary attached. Level 12 saved 3% more but compressed at 8 MB/s and took 33 ms to
// prepare its dictionary, which every `presse add` paid. Decompression speed does not depend
// on the level.
constexpr int kLevel = 9;
// A frame is never decompressed into more than this: a release is at most 256 MB of text.
constexpr unsigned long long kLargestRelease = 1ULL << 30;

[[noreturn]] void corrupt(const std::string &what) { throw Xapian::DatabaseCorruptError("a release's data " + what); }

}  // namespace

ReleaseDataCodec::ReleaseDataCodec() = default;

ReleaseDataCodec::~ReleaseDataCodec() {
    ZSTD_freeCCtx(compressor_);
    ZSTD_freeDCtx(decompressor_);
    ZSTD_freeCDict(dictionary_);
    for (auto &entry : readers_) ZSTD_freeDDict(entry.second);
}

void ReleaseDataCodec::load_dictionary(Xapian::WritableDatabase &db) {
    looked_up_ = true;
    std::string id = db.get_metadata(schema::kCurrentDictionaryKey);
    if (id.empty()) return;
    std::string dictionary = db.get_metadata(schema::dictionary_key(id));
    if (dictionary.empty()) throw Xapian::DatabaseCorruptError("the index names a compression dictionary it does not hold");
    dictionary_ = ZSTD_createCDict(dictionary.data(), dictionary.size(), kLevel);
    if (!dictionary_) throw std::bad_alloc();
}

std::string ReleaseDataCodec::train_dictionary(const std::vector<std::string> &samples) {
    std::string joined;
    std::vector<size_t> sizes;
    for (const auto &sample : samples) {
        joined += sample;
        sizes.push_back(sample.size());
    }
    std::string dictionary(kDictionaryBytes, '\0');
    size_t size = ZDICT_trainFromBuffer(&dictionary[0], dictionary.size(), joined.data(), sizes.data(),
                                        static_cast<unsigned>(sizes.size()));
    if (ZDICT_isError(size) || ZDICT_getDictID(dictionary.data(), size) == 0) return std::string();
    dictionary.resize(size);
    return dictionary;
}

void ReleaseDataCodec::use_dictionary(Xapian::WritableDatabase &db, const std::string &dictionary) {
    if (!looked_up_) load_dictionary(db);
    if (dictionary_ || dictionary.empty()) return;
    unsigned id = ZDICT_getDictID(dictionary.data(), dictionary.size());
    if (id == 0) throw Xapian::InvalidArgumentError("not a zstd dictionary");
    dictionary_ = ZSTD_createCDict(dictionary.data(), dictionary.size(), kLevel);
    if (!dictionary_) throw std::bad_alloc();
    db.set_metadata(schema::dictionary_key(std::to_string(id)), dictionary);
    db.set_metadata(schema::kCurrentDictionaryKey, std::to_string(id));
    uncommitted_ = true;
}

std::string ReleaseDataCodec::compress(Xapian::WritableDatabase &db, const std::string &plain) {
    if (!looked_up_) load_dictionary(db);
    if (!compressor_) {
        if (!(compressor_ = ZSTD_createCCtx())) throw std::bad_alloc();
        ZSTD_CCtx_setParameter(compressor_, ZSTD_c_compressionLevel, kLevel);
        // A release is far smaller than the dictionary's tables: copying them into the
        // context for each one (zstd's choice at this level) made compression 10x slower.
        ZSTD_CCtx_setParameter(compressor_, ZSTD_c_forceAttachDict, ZSTD_dictForceAttach);
    }
    ZSTD_CCtx_refCDict(compressor_, dictionary_);  // none: the level set above
    std::string out(ZSTD_compressBound(plain.size()), '\0');
    size_t size = ZSTD_compress2(compressor_, &out[0], out.size(), plain.data(), plain.size());
    if (ZSTD_isError(size)) throw Xapian::InvalidArgumentError(std::string("compressing a release: ") + ZSTD_getErrorName(size));
    out.resize(size);
    return out;
}

void ReleaseDataCodec::committed() { uncommitted_ = false; }

void ReleaseDataCodec::cancelled() {
    if (!uncommitted_) return;
    // Gone from the database with the releases compressed with it.
    ZSTD_freeCDict(dictionary_);
    dictionary_ = nullptr;
    uncommitted_ = false;
}

std::string ReleaseDataCodec::decompress(const Xapian::Database &db, const std::string &stored, unsigned shard) {
    unsigned long long size = ZSTD_getFrameContentSize(stored.data(), stored.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kLargestRelease)
        corrupt("is not a compressed frame");
    ZSTD_DDict_s *dictionary = nullptr;
    if (unsigned id = ZSTD_getDictID_fromFrame(stored.data(), stored.size())) {
        const std::pair<unsigned, uint32_t> key(shard, id);
        auto found = readers_.find(key);
        if (found == readers_.end()) {
            std::string &bytes = dictionaries_[key];
            bytes = db.get_metadata(schema::dictionary_key(std::to_string(id)));
            if (bytes.empty()) corrupt("names a compression dictionary the index does not hold");
            // By reference: the bytes stay in dictionaries_ as long as the tables built on
            // them. Copying 224 KB again was a tenth of a one-shot search's page faults.
            ZSTD_DDict_s *loaded = ZSTD_createDDict_byReference(bytes.data(), bytes.size());
            if (!loaded) throw std::bad_alloc();
            found = readers_.emplace(key, loaded).first;
        }
        dictionary = found->second;
    }
    if (!decompressor_ && !(decompressor_ = ZSTD_createDCtx())) throw std::bad_alloc();
    std::string out(static_cast<size_t>(size), '\0');
    size_t got = dictionary
        ? ZSTD_decompress_usingDDict(decompressor_, &out[0], out.size(), stored.data(), stored.size(), dictionary)
        : ZSTD_decompressDCtx(decompressor_, &out[0], out.size(), stored.data(), stored.size());
    if (ZSTD_isError(got) || got != size) corrupt("cannot be decompressed");
    return out;
}

}  // namespace cxapian
