// Compressing releases' document data with zstd and a dictionary of the index's own (see
// release_data.h for why).
#include "release_data.h"

#include <zdict.h>
#include <zstd.h>

#include "schema.h"

namespace cxapian {

namespace {

// Releases (their encoded data, end to end) a dictionary is trained on: about 1,800 Debian
// descriptions. More samples gained 1-2% on the benchmark corpus and cost seconds of training.
constexpr size_t kTrainingBytes = 1 << 20;
// zstd's own default dictionary size.
constexpr size_t kDictionaryBytes = 112640;
// Level 12: 7% smaller than zstd's default level 3 on release data, and still far faster than
// the rest of indexing a release; decompression speed does not depend on it.
constexpr int kLevel = 12;
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

void ReleaseDataCodec::train(Xapian::WritableDatabase &db) {
    std::string dictionary(kDictionaryBytes, '\0');
    size_t size = ZDICT_trainFromBuffer(&dictionary[0], dictionary.size(), samples_.data(), sample_sizes_.data(),
                                        static_cast<unsigned>(sample_sizes_.size()));
    samples_.clear();
    samples_.shrink_to_fit();
    sample_sizes_.clear();
    unsigned id = ZDICT_isError(size) ? 0 : ZDICT_getDictID(dictionary.data(), size);
    if (id == 0) {
        // Too few or too alike: releases go on without a dictionary (still compressed).
        training_failed_ = true;
        return;
    }
    dictionary.resize(size);
    dictionary_ = ZSTD_createCDict(dictionary.data(), dictionary.size(), kLevel);
    if (!dictionary_) throw std::bad_alloc();
    db.set_metadata(schema::dictionary_key(std::to_string(id)), dictionary);
    db.set_metadata(schema::kCurrentDictionaryKey, std::to_string(id));
    trained_uncommitted_ = true;
}

std::string ReleaseDataCodec::compress(Xapian::WritableDatabase &db, const std::string &plain) {
    if (!looked_up_) load_dictionary(db);
    if (!dictionary_ && !training_failed_) {
        samples_ += plain;
        sample_sizes_.push_back(plain.size());
        if (samples_.size() >= kTrainingBytes) train(db);
    }
    if (!compressor_ && !(compressor_ = ZSTD_createCCtx())) throw std::bad_alloc();
    std::string out(ZSTD_compressBound(plain.size()), '\0');
    size_t size = dictionary_
        ? ZSTD_compress_usingCDict(compressor_, &out[0], out.size(), plain.data(), plain.size(), dictionary_)
        : ZSTD_compressCCtx(compressor_, &out[0], out.size(), plain.data(), plain.size(), kLevel);
    if (ZSTD_isError(size)) throw Xapian::InvalidArgumentError(std::string("compressing a release: ") + ZSTD_getErrorName(size));
    out.resize(size);
    return out;
}

void ReleaseDataCodec::committed() { trained_uncommitted_ = false; }

void ReleaseDataCodec::cancelled() {
    if (!trained_uncommitted_) return;
    // The releases compressed with it were cancelled with it: start learning again.
    ZSTD_freeCDict(dictionary_);
    dictionary_ = nullptr;
    trained_uncommitted_ = false;
}

std::string ReleaseDataCodec::decompress(const Xapian::Database &db, const std::string &stored) {
    unsigned long long size = ZSTD_getFrameContentSize(stored.data(), stored.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kLargestRelease)
        corrupt("is not a compressed frame");
    ZSTD_DDict_s *dictionary = nullptr;
    if (unsigned id = ZSTD_getDictID_fromFrame(stored.data(), stored.size())) {
        auto found = readers_.find(id);
        if (found == readers_.end()) {
            std::string bytes = db.get_metadata(schema::dictionary_key(std::to_string(id)));
            if (bytes.empty()) corrupt("names a compression dictionary the index does not hold");
            ZSTD_DDict_s *loaded = ZSTD_createDDict(bytes.data(), bytes.size());
            if (!loaded) throw std::bad_alloc();
            found = readers_.emplace(id, loaded).first;
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
