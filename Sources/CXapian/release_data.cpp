// Compressing releases' stored data with zstd and a dictionary of the index's own (see
// release_data.h for why).
#include "release_data.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zdict.h>

#include <atomic>
#include <cerrno>
#include <cstring>
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

// A 64-bit checksum of a dictionary file's bytes (not a cryptographic one: it tells a file
// cut short or damaged on disk from a whole one).
uint64_t checksum(const unsigned char *bytes, size_t size) {
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ size;
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t word;
        std::memcpy(&word, bytes + i, 8);
        h = (h ^ word) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    for (; i < size; ++i) h = (h ^ bytes[i]) * 0x100000001B3ULL;
    return h;
}

constexpr char kFileMagic[8] = {'P', 'R', 'S', 'D', 'I', 'C', 'T', '1'};
constexpr size_t kFileHeader = 24;  // magic, size, checksum

std::string file_name(const std::string &folder, uint32_t id) {
    return folder + "/presse-dictionary-" + std::to_string(id);
}

}  // namespace

// A dictionary kept as a file in its database's folder (presse-dictionary-ID: a header of
// magic, size and checksum, then the bytes of the metadata entry), mapped into memory.
// Why: a search that shows text needs its index's 224 KB dictionary, and reading it from the
// metadata copied it into fresh memory, page by page: an eighth of a one-shot search's page
// faults. A mapped file's pages come from the page cache, many at a fault. The metadata stays
// the truth: the file is derived from it by the first reader that reads it (any reader may
// write it; a new database folder starts without one), replaced whole (written aside, then
// renamed), and a file whose header, size or checksum does not hold is not used. (Presse
// only ever replaces it by a rename; a tool that cut it short in place while a process had it
// mapped would end that process with the damaged-index message, as a cut table does.)
class DictionaryFile {
  public:
    static std::unique_ptr<DictionaryFile> open(const std::string &folder, uint32_t id) {
        // O_NONBLOCK: a FIFO of that name must not hang the search (it is not a file: unused,
        // and replaced by the write below).
        int fd = ::open(file_name(folder, id).c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) return nullptr;
        struct stat info {};
        void *data = MAP_FAILED;
        if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && size_t(info.st_size) > kFileHeader)
            data = mmap(nullptr, size_t(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
        ::close(fd);
        if (data == MAP_FAILED) return nullptr;
        std::unique_ptr<DictionaryFile> file(new DictionaryFile(data, size_t(info.st_size)));
        const unsigned char *bytes = static_cast<const unsigned char *>(data);
        uint64_t size = 0, sum = 0;
        std::memcpy(&size, bytes + 8, 8);
        std::memcpy(&sum, bytes + 16, 8);
        if (std::memcmp(bytes, kFileMagic, 8) != 0 || size != file->length_ - kFileHeader ||
            checksum(file->bytes(), file->size()) != sum || ZDICT_getDictID(file->bytes(), file->size()) != id)
            return nullptr;
        return file;
    }

    // Best effort: a folder the reader may not write to keeps no file.
    static void write(const std::string &folder, uint32_t id, const std::string &dictionary) {
        static std::atomic<unsigned> written{0};
        std::string final_name = file_name(folder, id);
        std::string aside = final_name + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(written++);
        int fd = ::open(aside.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) return;
        uint64_t size = dictionary.size();
        uint64_t sum = checksum(reinterpret_cast<const unsigned char *>(dictionary.data()), dictionary.size());
        std::string out(kFileMagic, 8);
        out.append(reinterpret_cast<const char *>(&size), 8);
        out.append(reinterpret_cast<const char *>(&sum), 8);
        out += dictionary;
        bool whole = true;
        for (size_t done = 0; whole && done < out.size();) {
            ssize_t n = ::write(fd, out.data() + done, out.size() - done);
            if (n < 0 && errno == EINTR) continue;
            whole = n > 0;
            if (whole) done += size_t(n);
        }
        whole = ::close(fd) == 0 && whole;
        if (!whole || ::rename(aside.c_str(), final_name.c_str()) != 0) ::unlink(aside.c_str());
    }

    ~DictionaryFile() { munmap(data_, length_); }
    const unsigned char *bytes() const { return static_cast<const unsigned char *>(data_) + kFileHeader; }
    size_t size() const { return length_ - kFileHeader; }

  private:
    DictionaryFile(void *data, size_t length) : data_(data), length_(length) {}
    void *data_;
    size_t length_;
};

ReleaseDataCodec::ReleaseDataCodec() = default;

void ReleaseDataCodec::keep_dictionaries_in(unsigned shard, const std::string &folder) { folders_[shard] = folder; }

const std::string &ReleaseDataCodec::folder_of(unsigned shard) const {
    static const std::string none;
    auto found = folders_.find(shard);
    return found == folders_.end() ? none : found->second;
}

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
            const std::string &folder = folder_of(shard);
            const void *bytes = nullptr;
            size_t size = 0;
            if (!folder.empty()) {
                if (auto file = DictionaryFile::open(folder, id)) {
                    bytes = file->bytes();
                    size = file->size();
                    mapped_[key] = std::move(file);
                }
            }
            if (!bytes) {
                std::string &read = dictionaries_[key];
                read = db.get_metadata(schema::dictionary_key(std::to_string(id)));
                if (read.empty()) corrupt("names a compression dictionary the index does not hold");
                if (!folder.empty()) DictionaryFile::write(folder, id, read);
                bytes = read.data();
                size = read.size();
            }
            // By reference: the bytes stay (mapped_ or dictionaries_) as long as the tables
            // built on them. Copying 224 KB again was a tenth of a one-shot search's page faults.
            ZSTD_DDict_s *loaded = ZSTD_createDDict_byReference(bytes, size);
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
