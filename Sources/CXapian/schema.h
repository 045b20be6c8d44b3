// The index schema: every format Presse persists, in one place, under one version number.
// Nothing else in the bridge or in Swift spells a term prefix, a value slot, a metadata key or
// the layout of a document's data; they call what is declared here.
//
// Schema 9 (this one): schema 8, with the release data in a value slot (kReleaseSlot) rather
// than the document data, which glass deflates in vain, unless it is large (below).
//
// Schema 8: schema 7, with the release's date also at the end of its passage table
// (kPassagesSlot), which a search reads for every release it ranks: showing a hit's date was
// a read of its own in the date's value stream.
//
// Schema 7: schema 6, with a title that opens the release's first passage found
// by its positions there (the passage table's title word count), not by title terms (those
// were 13% of the index's postings, for words already indexed once), and stems without
// Xapian's "Z" (kStemPrefix).
//
// Schema 6: schema 5, plus each release's languages and source folder (kFacetSlot) and the
// spelling and synonym tables below (issue 14).
//
// Schema 5: ONE XAPIAN DOCUMENT PER RELEASE, holding its record and its data
// compressed.
//   A release is ranked on all of its text (BM25 over the release), and the passage a hit
//   shows is found inside it from the positions of the matching terms (passages.cpp): no
//   document per passage, so a release's title, path and shared words are stored once.
//
//   Terms
//     Q<key>            boolean, unique: the release (key = FNV-1a of its absolute path, as
//                       8 bytes, most significant first; Swift spells it as 16 hex digits;
//                       Xapian's usual prefix for a document's identity). Binary, since one
//                       such term per release was 8% of the index in hex.
//                       Adding replaces the document holding it; removing deletes it.
//     L<lang>           boolean: the release has passages in that language (en, fr, de, und).
//     <P><stem>         a word of a passage, folded (fold.cpp) and stemmed in the passage's
//                       language, with positions; <P> is the language's term prefix
//                       (language_term_prefix: "" English, "F" French, "D" German, "U"
//                       undetermined), so each language has a term space of its own; a stem
//                       is lower case, so the prefixes (upper case) cannot be mistaken for
//                       one.
//                       A stem that is one of its language's stopwords (is_stopword_term)
//                       keeps its frequency but not its positions: they were a third of the
//                       position table, and a phrase steps over them by its window instead
//                       (query.cpp).
//     <P>S<stem>        a title word, without positions (`title:`), for a title that does not
//                       open the release's first passage (an e-mail's subject, a web page's
//                       declared headline): a title that does is found by its words'
//                       positions there, the first `title words` of the passage table
//                       (title_words.cpp). Title words also count kTitleWdf extra times among
//                       the release's own words, since a headline says what a release is about.
//   Positions
//     The passages' words are numbered in one sequence, each passage starting kPassageGap
//     positions after the previous one ended, so phrases and NEAR never span two passages,
//     and a position names its passage (StoredPassage::first_position).
//   Values
//     kPassagesSlot     the release's passage table (encode_passage_table): how many words of
//                       its first passage are its title (0: the title does not open it), then
//                       each passage's language (its row in the language table), first word
//                       position and word count, and its date (YYYYMMDD as a number, 0 for
//                       none), so a search finds the passage that answers and shows the date
//                       without reading the release's text, `title:` finds a title by
//                       positions, and stats count passages per language from one value stream.
//     kRecordSlot       the release's record (encode_record): its content hash, size,
//                       modification time and passage count, what a sync compares to skip an
//                       unchanged file unread. In the document, so a release and its record
//                       change together; in a value, so a sync reads all of them from one
//                       value stream (records in metadata, keyed and holding the path, were
//                       8% of the index).
//     kDateSlot         the release's date as "YYYYMMDD" (absent when it has none): the form
//                       Xapian's DateRangeProcessor compares, and which sorts as the dates
//                       do (date ranges, sorting by date, facets by year: its first four
//                       characters). Chosen in Swift (DateRules): metadata, else the text,
//                       else the file's modification time.
//     kFacetSlot        what `--facets` counts of a release (encode_facets): one byte, the
//                       languages it has passages in (bit i: row i of the language table);
//                       two bytes, the year of its date (most significant first; 0 without
//                       one); then its source, the name of the folder holding its file
//                       (".../biom/2022-11-08.txt": "biom"). One value of its own, read for
//                       every release of a match: reading the passage table (for the
//                       languages) and the date slot there instead made a batch with facets
//                       2.5 times slower.
//                       The parent folder, not a path relative to the folder indexed, so that
//                       `presse add FILE` (which knows no indexed folder) and `presse index`
//                       give a release the same source. Counted per release by FacetSpy
//                       (facets.cpp).
//   Spelling table (spelling.cpp)
//     The words of each language's passages, folded (fold.cpp), made of the letters a-z only
//     and 4 to 24 of them, each counted once per release holding it (the frequency is the
//     number of releases), written in its language's own alphabet (spelling_key): English
//     a-z as typed, French A-Z, German the bytes 0x01-0x1A. Only words held by 2 releases
//     or more are in it: a word held by one (half of the vocabulary, and as likely a typo as
//     a word) waits in the synonym table under kSingletonPrefix + its spelling key (with
//     the synonym "1"), without the fragments the spelling table keeps for each word, until
//     a second release holds it; cx_compact settles the scratch shards' singletons before
//     merging them (spelling.cpp, settle_singletons). Xapian's spelling table is one
//     table without prefixes; an alphabet per language keeps the languages apart in its
//     fragment index (no fragment and no candidate is shared across languages) at no cost in
//     size. Kept exact: adding a release adds its words, replacing or removing it first takes
//     off the words of the document it replaces (read from its stored text).
//   Synonym table (synonyms.cpp)
//     Key: one word, folded and lowercased ("biom"); its synonyms: words or phrases, folded
//     and lowercased ("munich biotech cluster"). Language-free: a query's word is replaced by
//     (word OR synonyms) before it is parsed in each language, so each branch stems them in
//     its own language.
//   Release data (encode_release / decode_release), in value slot kReleaseSlot, or in the
//     document data when its frame is over kLargestReleaseValue bytes (store_release_data,
//     release_data_of): the release's path, title, the date's source ("metadata", "text",
//     "file" or empty) and its passages (byte range in the file, text), as length-prefixed
//     fields: no separator byte the text could hold. What the other values hold (languages,
//     positions, the date) is not repeated. Stored as one zstd frame (release_data.h), with
//     the dictionary its frame names. A value: glass deflates every document data entry as it
//     writes it (and resets zlib's 128 KB window for each), which a zstd frame never shrinks,
//     while the table that holds values is never deflated (schema 8 kept it as the document
//     data: 4 % of an index build was zlib failing on it). But glass also keeps each value
//     slot's lowest and highest value whole and writes them again at every commit: a large
//     release's frame in the slot would be written again by every later `add`, so large
//     frames stay in the document data, where one failed deflate is little beside their size.
//   Metadata
//     presse_schema     this schema's version (kVersion); a database without documents may have none.
//     last_update       seconds since the epoch of the last change (Swift: Indexer).
//     zstd_dictionary   the ID of the dictionary the writer compresses new releases with.
//     zstd_dictionary:<id>  a dictionary (zstd's format), under the ID its frames carry.
//     B<key>            the lines repeated across one folder's releases (page furniture), learnt by
//                       a sync for `add` to drop too; key = ReleaseRecord.key of the folder's
//                       path; 16 hex digits a line (FNV-1a of the line, whitespace collapsed)
//                       (Sources/Presse/Ingest/FolderFurniture.swift, RepeatedLines).
//
// Earlier schemas (refused with the rebuild message): 8, the release data as the document
// data; 7, the date not in the passage table; 6, title terms for every title, stems
// under "Z"; 5, no facet slot nor spelling data; 4, release records in metadata and
// data compressed by Xapian's zlib only; 3, one document per passage with
// language term prefixes; 2, one document per passage, shared term space; 1 (no key), stems
// and unstemmed words, hit fields in value slots.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

namespace cxapian {
namespace schema {

constexpr const char *kVersionKey = "presse_schema";
constexpr const char *kVersion = "9";
constexpr const char *kLastUpdateKey = "last_update";
constexpr const char *kCurrentDictionaryKey = "zstd_dictionary";
inline std::string dictionary_key(const std::string &id) { return std::string(kCurrentDictionaryKey) + ":" + id; }

constexpr const char *kReleasePrefix = "Q";
constexpr const char *kLanguagePrefix = "L";
// Stems have no prefix of their own (Xapian's convention is "Z", for an index that also holds
// unstemmed words; this one holds stems only): an English stem is the bare word's stem, a
// French one "F" + stem (language_term_prefix). Every position list is keyed by its term, so
// the "Z" of schema 6 was a byte of each of the position table's 3 million entries (2% of the
// index).
constexpr const char *kStemPrefix = "";
constexpr const char *kTitlePrefix = "S";
// Spelling's singletons in the synonym table: after every user synonym (folded UTF-8 has no
// 0xFF byte).
constexpr const char *kSingletonPrefix = "\xff";

constexpr Xapian::valueno kPassagesSlot = 0;
constexpr Xapian::valueno kRecordSlot = 1;
constexpr Xapian::valueno kDateSlot = 2;
constexpr Xapian::valueno kFacetSlot = 3;
constexpr Xapian::valueno kReleaseSlot = 4;
// The largest release data frame kept in kReleaseSlot (above: the document data). The slot's
// lowest and highest values, which every commit writes again, are at most this big.
constexpr size_t kLargestReleaseValue = 16 << 10;

// A release's stored frame into its document, and back (kReleaseSlot or the document data).
inline void store_release_data(Xapian::Document &doc, std::string frame) {
    if (frame.size() <= kLargestReleaseValue) doc.add_value(kReleaseSlot, std::move(frame));
    else doc.set_data(std::move(frame));
}
inline std::string release_data_of(const Xapian::Document &doc) {
    std::string frame = doc.get_value(kReleaseSlot);
    return frame.empty() ? doc.get_data() : frame;
}

// Positions left empty between two passages: more than the phrases and NEAR windows queries
// use (the QueryParser's NEAR defaults to 10), so those do not reach across passages (a
// phrase of 64 words or a NEAR/64 could).
constexpr Xapian::termpos kPassageGap = 64;
// Where a German passage's compound parts stand: in the gap after its last word, half a gap
// from either passage, so a part belongs to its passage (passages.cpp) but stands next to no
// word (no phrase or NEAR/10 matches a part with the words around the compound).
constexpr Xapian::termpos kCompoundPartOffset = kPassageGap / 2;
// Extra within-release frequency of each title word.
constexpr Xapian::termcount kTitleWdf = 2;

// The release's identity term; throws Xapian::InvalidArgumentError unless is_release_key(key).
std::string release_term(const std::string &key);
// The key of an identity term; "" for any other term.
std::string release_key(const std::string &term);
inline std::string language_term(const std::string &lang) { return kLanguagePrefix + lang; }

struct StoredPassage {
    std::string lang;
    uint32_t start = 0, end = 0;                     // byte range in the release file
    // Its words' positions; last_position < first_position when it has none. Positions up
    // to the next passage's first (the gap: compound parts) belong to it too.
    uint32_t first_position = 0, last_position = 0;
    std::string text;
};

struct StoredRelease {
    std::string path;
    std::string title;
    // How many word positions of the first passage the title takes, when it opens that
    // passage (title_opens_first_passage); 0 otherwise. Set by indexing, kept in the table.
    uint32_t title_words = 0;
    std::vector<StoredPassage> passages;
    std::string date;         // "YYYYMMDD", or empty
    std::string date_source;  // "metadata", "text", "file", or empty
};

// The release data: what the document's other values do not hold already.
std::string encode_release(const StoredRelease &release);
// A release from its document: `data` (its release data, decompressed), its passage table
// and its date. False when they are not a release of this schema.
bool decode_release(const Xapian::Document &document, const std::string &data, StoredRelease *release);
// The same from the passage table and date already read from the document's values (each
// value read is a lookup in the index).
bool decode_release(const std::vector<StoredPassage> &table, const std::string &date, const std::string &data,
                    StoredRelease *release);

// A release key: 16 lowercase hex digits (Swift's ReleaseRecord.key).
bool is_release_key(const std::string &key);

// What a sync compares to skip an unchanged file unread.
struct StoredRecord {
    std::string key;  // the release key: not in the value (the document's Q term holds it)
    uint64_t content_hash = 0, size = 0;
    int64_t modified = 0;  // nanoseconds since the epoch
    uint32_t passages = 0;
};
// The hash and the time as 8 bytes each (they use all their bits), size and passages as
// varints: 19 bytes for a typical release.
std::string encode_record(const StoredRecord &record);
bool decode_record(const std::string &value, StoredRecord *record);

// True when the release's title is the opening of its first passage's text: the title is then
// stored as its length (encode_release) and found by positions (title_words).
bool title_opens_first_passage(const StoredRelease &release);

// The passage table: the title's word count, each passage's language and positions, without
// text or offsets.
std::string encode_passage_table(const StoredRelease &release);
// Fills `passages` with the table's entries (text, start and end left empty) and, when asked,
// `title_words` and `date` ("YYYYMMDD" or ""); false when the bytes are not a passage table.
bool decode_passage_table(const std::string &value, std::vector<StoredPassage> *passages,
                          uint32_t *title_words = nullptr, std::string *date = nullptr);
// The positions a title opening the first passage takes, [*first, *last], read from a passage
// table without decoding the rest; false when the title does not open it (or the bytes are
// not a passage table).
bool title_positions(const std::string &value, Xapian::termpos *first, Xapian::termpos *last);

// The facet value (kFacetSlot): the rows (all_languages()) of the languages the release's
// passages are in, as bits (row i: 1 << i), the year of its date, its source folder's name.
std::string encode_facets(const StoredRelease &release, const std::string &source);
// False when the bytes are not a facet value; *year is 0 for a release without a date.
bool decode_facets(const std::string &value, unsigned *languages, unsigned *year, std::string *source);

// The language of a passage word's or title word's term ("ZFpartenariat": "fr"); "" for
// any other term.
std::string term_language(const std::string &term);

// True for a passage word's term ("Fpartenariat"): not a title word's, nor an identity or
// language term.
bool is_passage_term(const std::string &term);
// The stem of a passage word's term ("Fpartenariat": "partenariat"); "" for any other term.
std::string stem_of_passage_term(const std::string &term);

// The passage word's term of a title word's term ("ZFSpartenariat": "ZFpartenariat"); "" for
// any other term.
std::string passage_term_of_title_term(const std::string &term);

// True for a passage word's term whose stem is a stopword of its language ("Zthe",
// "ZFle"): indexed without positions.
bool is_stopword_term(const std::string &term);

// Throws Xapian::DatabaseVersionError for a database with documents of another schema.
void check_version(const Xapian::Database &db);

}  // namespace schema
}  // namespace cxapian
