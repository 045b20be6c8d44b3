/*
 * cxapian.h — Presse's plain-C bridge over Xapian (indexing, stemming, query parsing,
 * snippets, compaction) and CLD2 (language identification).
 *
 * Rules that hold for every function here:
 *  - No C++ exception ever leaves a function: each one catches everything and reports it as a
 *    cx_status plus a message in the caller's cx_error (which the caller clears).
 *  - Text crosses as pointer + length: terms, passages and metadata may hold any byte.
 *  - Out-parameters are set to NULL (or zero) on failure.
 *  - A handle is used by one thread at a time (Xapian objects are not thread-safe); separate
 *    handles may be used from separate threads.
 *
 * The index schema (terms, positions, values, release data, metadata keys and the version)
 * is described and owned in one place: schema.h beside the implementation. In short: one Xapian
 * document per release, ranked on its whole text; the passage a hit shows is found inside it.
 */
#ifndef CXAPIAN_H
#define CXAPIAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One code per failure family, so callers can react to each (retry, wait, re-index...). */
typedef enum cx_status {
    CX_OK = 0,
    CX_NOT_FOUND = 1,        /* no database at that path */
    CX_LOCKED = 2,           /* another writer holds the database's lock */
    CX_CORRUPT = 3,          /* the tables are damaged */
    CX_OPENING = 4,          /* the path is not a database, or it could not be opened */
    CX_VERSION = 5,          /* a format this Xapian cannot read (newer or too old) */
    CX_MODIFIED = 6,         /* changed under a reader for longer than the retries allow */
    CX_INVALID_ARGUMENT = 8, /* a bad argument or an operation not valid in this state */
    CX_OUT_OF_MEMORY = 9,
    CX_IO = 10,              /* any other database error: disk full, permissions, I/O */
    CX_OTHER = 11,
    CX_NETWORK = 12          /* a remote shard could not be reached, or timed out */
} cx_status;

/* A static English name for a status ("locked", "not found", ...). Never NULL. */
const char *cx_status_to_string(cx_status status);

/* Filled in by a failing call. `message` is malloc'd and owned by the error: cx_error_clear()
 * frees it and resets the error to CX_OK. Start with a zeroed cx_error. */
typedef struct cx_error {
    cx_status status;
    char *message;
} cx_error;
void cx_error_clear(cx_error *error);

/* Bytes returned to the caller; free with cx_bytes_free(). */
typedef struct cx_bytes {
    char *data;
    size_t length;
} cx_bytes;
void cx_bytes_free(cx_bytes *bytes);

/* ---------------------------------------------------------------------------------------------
 * Databases
 * ------------------------------------------------------------------------------------------ */

typedef struct cx_database cx_database;

enum {
    CX_OPEN_READ = 0,
    CX_OPEN_WRITE = 1,   /* a writer; fails with CX_LOCKED when another writer holds the lock */
    CX_OPEN_CREATE = 2,  /* with CX_OPEN_WRITE: create the database if there is none */
    CX_OPEN_NO_SYNC = 4, /* with CX_OPEN_WRITE: skip fsync (only for scratch shards) */
    CX_OPEN_ANY_SCHEMA = 8 /* open a database of another Presse schema too (to lock it while
                              it is rebuilt; nothing reads it) */
};

/* Opens a database (a glass directory or a stub file). The caller owns *out and releases it
 * with cx_database_close(). */
cx_status cx_database_open(const char *path, size_t path_len, int flags, cx_database **out,
                           cx_error *error);

/* Several indexes opened as one reader (issue 17), ranked together by one match: each spec
 * is a local index path or "remote HOST:PORT" (a `presse shard-serve`). A shard that cannot be
 * reached is left out with a warning (cx_database_take_warnings), or, with
 * CX_SHARDS_REQUIRE_ALL, fails the open with CX_NETWORK; a shard of another Presse schema
 * fails it with CX_VERSION naming the shard. A search that loses a remote shard reconnects
 * the others and answers from them, with a warning. The caller owns *out
 * (cx_database_close). */
enum { CX_SHARDS_REQUIRE_ALL = 16 };
cx_status cx_database_open_shards(const char *const *specs, size_t count, int flags, cx_database **out,
                                  cx_error *error);

/* The warnings about shards left out since the last call, one a line; empty (data NULL)
 * when there are none. The caller frees *out (cx_bytes_free). */
cx_status cx_database_take_warnings(cx_database *db, cx_bytes *out, cx_error *error);

/* The shards the last search was answered without (named as in the list), one a line; empty
 * (data NULL) when every shard answered or for one index. The caller frees *out
 * (cx_bytes_free). */
cx_status cx_database_left_out(const cx_database *db, cx_bytes *out, cx_error *error);

/* A shard's server (`presse shard-serve`): Xapian's remote protocol over TCP for the index at
 * `index`, with Presse's query parts (title words, facets) registered. Open binds the port
 * (CX_NETWORK when it cannot) and checks the index's schema (CX_VERSION); run serves,
 * forking a process per connection (each ends with the server), at most `max_connections`
 * at once (one more is closed at once), until the process ends. */
typedef struct cx_shard_server cx_shard_server;
cx_status cx_shard_server_open(const char *index, const char *host, int port, unsigned max_connections,
                               cx_shard_server **out, cx_error *error);
cx_status cx_shard_server_run(cx_shard_server *server, cx_error *error);

/* Replicas (issue 17): Xapian's own replication (DatabaseMaster, DatabaseReplica) over TCP.
 *
 * The master's side (`presse replicate-serve`): open binds `host`:`port` (port 0: any free
 * one, said in *bound_port) and checks that `index` is one index of this Presse's schema (a
 * set of shards is refused: each shard is replicated on its own); run serves until the process
 * ends, each connection on a thread of its own: one request of Xapian's replication protocol
 * (the replica's revision, then a database name: one index is served, so the name only says
 * whether to wait), answered with DatabaseMaster::write_changesets_to_fd. A replica at the
 * index's revision that names CX_REPLICATION_ON_CHANGE is answered when the index next
 * changes (or after CX_REPLICATION_WAIT_SECONDS with nothing), so it learns of a commit at
 * once without asking again and again; any other name is answered at once. */
#define CX_REPLICATION_ON_CHANGE "on-change"
#define CX_REPLICATION_WAIT_SECONDS 10
typedef struct cx_replication_server cx_replication_server;
cx_status cx_replication_server_open(const char *index, const char *host, int port, int *bound_port,
                                     cx_replication_server **out, cx_error *error);
cx_status cx_replication_server_run(cx_replication_server *server, cx_error *error);

/* The replica's side (`presse replicate`): a DatabaseReplica at `path` (created when missing:
 * a folder holding Xapian's stub, XAPIANDB, naming the live copy, replica_0 or replica_1).
 * Holding it holds the copy's writer lock: a second replica handle on the path fails with
 * CX_LOCKED. Free with cx_replica_close(). */
typedef struct cx_replica cx_replica;
cx_status cx_replica_open(const char *path, cx_replica **out, cx_error *error);

/* Connects to the master within `connect_seconds` and asks for what the replica lacks; with
 * `on_change` non-zero, a replica in step is answered when the index next changes (above).
 * CX_NETWORK when it cannot be reached. */
cx_status cx_replica_connect(cx_replica *replica, const char *host, int port, double connect_seconds,
                             int on_change, cx_error *error);

/* What one exchange with the master did. */
typedef struct cx_replica_update {
    int changesets;    /* changesets applied */
    int full_copies;   /* whole databases copied (a new replica, a rebuilt or compacted master,
                          a replica further behind than the changesets the master keeps) */
    int changed;       /* non-zero when the live copy changed: searches see something new */
    uint64_t revision; /* the live copy's revision afterwards */
    uint64_t releases; /* and its documents */
} cx_replica_update;

/* Applies what the master sends on the connection until it says there is no more, then
 * closes the connection.
 * No read waits longer than `read_seconds`. CX_NETWORK when the connection fails or the
 * master refuses (its message says why); the live copy is then as it was, or at a later
 * revision: Xapian applies a changeset whole or not at all. */
cx_status cx_replica_receive(cx_replica *replica, double read_seconds, cx_replica_update *out, cx_error *error);

/* Ends a connection or exchange under way at once (it then fails with CX_NETWORK) and every
 * later one: for a stop signal's thread, while another thread is in connect or receive. */
void cx_replica_stop(cx_replica *replica);
void cx_replica_close(cx_replica *replica);

/* Releases the handle. Pending changes outside a transaction are committed by Xapian; callers
 * commit (or use transactions) themselves so that errors are seen. NULL is allowed. */
void cx_database_close(cx_database *db);


/* What `presse stats` shows, counted from the index without walking it. */
typedef struct cx_statistics {
    uint64_t releases;
    uint64_t passages;
    /* Per language, in the order of cx_statistics_language(i): releases with passages in
     * it, and those passages. */
    uint64_t releases_in[4];
    uint64_t passages_in[4];
    int64_t last_update; /* seconds since the epoch, 0 when never stamped */
} cx_statistics;
cx_status cx_index_statistics(cx_database *db, cx_statistics *out, cx_error *error);
/* "en", "fr", "de", "und" for i = 0..3; "" past them. */
const char *cx_statistics_language(size_t i);

/* Stamps the index with the time of its last change (committed with the next commit). */
cx_status cx_stamp_update(cx_database *db, int64_t seconds, cx_error *error);

/* User metadata (a folder's repeated lines, schema.h B<key>). A missing key gives empty bytes
 * (data NULL, length 0). The caller frees `out` with cx_bytes_free(). */
cx_status cx_get_metadata(cx_database *db, const char *key, size_t key_len, cx_bytes *out,
                          cx_error *error);

/* Sets user metadata (a folder's repeated lines; tests use it to write a database of another
 * schema). */
cx_status cx_set_metadata(cx_database *db, const char *key, size_t key_len, const char *value,
                          size_t value_len, cx_error *error);

/* What the index remembers of a release's file, kept in its document: a sync compares it to
 * skip an unchanged file unread. */
typedef struct cx_release_record {
    uint64_t content_hash; /* of the file's bytes (Swift: ReleaseReader.contentHash) */
    uint64_t size;         /* the file's size in bytes */
    int64_t modified;      /* its modification time, nanoseconds since the epoch */
    uint32_t passages;
} cx_release_record;

/* Every release's key (16 hex digits) and record, read from one value stream. The caller owns
 * *out and releases it with cx_records_free(). */
typedef struct cx_records cx_records;
cx_status cx_list_records(cx_database *db, cx_records **out, cx_error *error);
size_t cx_records_count(const cx_records *records);
/* `key` points at 16 characters (not NUL-terminated) that live as long as `records`. */
void cx_records_get(const cx_records *records, size_t index, const char **key, cx_release_record *record);
void cx_records_free(cx_records *records);

/* One release's record and path; *found is 0 (and the rest empty) when the index has no
 * release of that key. `path` may be NULL when not wanted; free it with cx_bytes_free(). */
cx_status cx_find_release(cx_database *db, const char *key, size_t key_len, int *found,
                          cx_release_record *record, cx_bytes *path, cx_error *error);

/* A release as the index stores it, for showing it whole (`presse serve`'s release view):
 * its path, title, date and passages (language, byte range in the release, text), in order.
 * Page furniture is not stored, so it is not there. Every string lives as long as the
 * contents; none is NUL-terminated. */
typedef struct cx_stored_passage {
    char lang[4];
    uint32_t start, end;
    const char *text;
    size_t text_len;
} cx_stored_passage;

typedef struct cx_release_contents {
    const char *path;
    size_t path_len;
    const char *title;
    size_t title_len;
    char date[9];        /* "YYYYMMDD", "" when it has none */
    char date_source[9]; /* "metadata", "text", "file"; "" when it has no date */
    const cx_stored_passage *passages;
    size_t passage_count;
} cx_release_contents;

/* Reads one release by key. *found is 0 (and *out NULL) when the index has none of that key,
 * or when `key` is not a release key at all (16 lowercase hex digits): nothing but a
 * release's own stored data is ever read. A writer committing meanwhile is met as cx_search
 * meets it (read again at the latest commit). The caller frees *out with
 * cx_release_contents_free(). */
cx_status cx_read_release(cx_database *db, const char *key, size_t key_len, int *found,
                          cx_release_contents **out, cx_error *error);
void cx_release_contents_free(cx_release_contents *contents);

/* Replaces a release's record without indexing it again: its file was touched, not changed.
 * Nothing happens when the index has no release of that key. */
cx_status cx_touch_release(cx_database *db, const char *key, size_t key_len,
                           const cx_release_record *record, cx_error *error);

/* ---------------------------------------------------------------------------------------------
 * Writing: a release is one document, added or replaced whole; callers put it and its record
 * in one transaction.
 * ------------------------------------------------------------------------------------------ */

cx_status cx_begin_transaction(cx_database *db, cx_error *error);
cx_status cx_commit_transaction(cx_database *db, cx_error *error);
cx_status cx_cancel_transaction(cx_database *db, cx_error *error);
cx_status cx_commit(cx_database *db, cx_error *error);

/* A release's passage as the writer hands it over. `lang` is "en", "fr", "de" or "und" (text
 * in none of them, stemmed as English); matching ignores accents: the text is folded (é→e,
 * ü→u, ß→ss, French elisions split) before Xapian's TermGenerator sees it. */
typedef struct cx_passage {
    const char *text;
    size_t text_len;
    const char *lang;  /* NUL-terminated code */
    uint32_t start;    /* byte range of the passage in the release file, shown with hits */
    uint32_t end;
} cx_passage;

/* One release: indexed as one document (its words, positions, title and passages), which
 * replaces any document of the same key. */
typedef struct cx_release {
    const char *key;   /* the release's identity (16 hex digits): removal and replacement */
    size_t key_len;
    cx_release_record record;
    const char *path;
    size_t path_len;
    const char *title; /* indexed under title:, and weighs more than the body */
    size_t title_len;
    const cx_passage *passages;
    size_t passage_count;
    /* The release's date as "YYYYMMDD" (8 digits; Swift's DateRules choose it), or empty for
     * none; stored in the date value slot (schema.h). */
    const char *date;
    size_t date_len;
    /* Where the date came from: "metadata", "text" or "file" (empty without a date). */
    const char *date_source;
    size_t date_source_len;
} cx_release;
cx_status cx_add_release(cx_database *db, const cx_release *release, cx_error *error);

/* A compression dictionary for the stored text of releases like `samples` (release_data.h):
 * empty bytes (data NULL) when they are too few or too alike to learn from. Needs no database;
 * free with cx_bytes_free(). */
cx_status cx_train_dictionary(const cx_release *samples, size_t count, cx_bytes *out, cx_error *error);

/* The ID of the dictionary the writer compresses new releases with; 0 when there is none. */
cx_status cx_dictionary_id(cx_database *db, uint32_t *id, cx_error *error);

/* The writer stores `dictionary` (with the current transaction) and compresses the releases it
 * adds with it from now on. Nothing happens when the database has a dictionary already. */
cx_status cx_use_dictionary(cx_database *db, const char *dictionary, size_t length, cx_error *error);

/* Deletes a release (nothing happens when there is none of that key). */
cx_status cx_delete_release(cx_database *db, const char *release_key, size_t release_key_len,
                            cx_error *error);

/* Merges `count` databases into a new database at `destination` with Xapian's compactor. */
cx_status cx_compact(const char *const *sources, size_t count, const char *destination,
                     size_t destination_len, cx_error *error);

/* ---------------------------------------------------------------------------------------------
 * Searching
 * ------------------------------------------------------------------------------------------ */

typedef struct cx_search_request {
    const char *query;
    size_t query_len;
    /* Comma-separated languages to search ("en,fr,de,und"); each is parsed with its own
     * stemmer and stop list against the words of that language's passages, and all are ranked
     * in one BM25 match. NULL or empty: every language. */
    const char *languages;
    uint32_t offset;
    uint32_t limit;
    int all_passages; /* non-zero: every matching passage of the releases, not only the best */
    int highlight;    /* non-zero: fill each hit's highlights */
    /* The compiled translation lexicon (cx_lexicon_build); NULL: no translation. With one, a
     * query of plain words is also translated into each searched language it is not written
     * in, as weaker branches of their own. */
    const char *lexicon;
    /* The query's language ("en", "fr", "de"); "~en" (a guess, such as CLD2's), which the
     * query's own stopwords may overrule; NULL or "": told by its words. */
    const char *from;
    /* Issue 14. Releases dated from `since` to `until` ("YYYYMMDD", inclusive; NULL or "":
     * open), beside the query's own `date:` ranges; the order (CX_SORT_*); non-zero `facets`:
     * count the whole match's releases by language, year and source (cx_results_facet). */
    const char *since;
    const char *until;
    int sort;
    int facets;
} cx_search_request;

/* Orders: by score; newest first then by score; oldest first then by score. Releases without
 * a date come last in both date orders. */
enum { CX_SORT_RELEVANCE = 0, CX_SORT_NEWEST = 1, CX_SORT_OLDEST = 2 };


/* A word of a hit's passage that matched through translation, with the query words it
 * translates. */
typedef struct cx_translated_word {
    uint32_t start, end; /* byte range in the passage text */
    const char *source;
    size_t source_len;
} cx_translated_word;

/* One hit: a passage of a matching release. */
typedef struct cx_hit {
    double weight;            /* the release's score (and its passage's, with all_passages) */
    uint32_t more_passages;   /* the release's other matching passages */
    uint32_t passage;         /* the passage's ordinal in its release, from 0 */
    uint32_t passage_count;   /* passages in the release */
    uint32_t start, end;      /* the passage's byte range in the release file */
    char lang[4];
    const char *text;
    size_t text_len;
    const char *path;
    size_t path_len;
    const char *title;
    size_t title_len;
    char date[9];             /* the release's "YYYYMMDD", "" when it has none */
    char date_source[9];      /* "metadata", "text", "file"; "" when it has no date */
    /* highlight_count pairs of [start, end) byte offsets into text, in order. */
    const uint32_t *highlights;
    size_t highlight_count;
    /* The passage's words matched through translation (none are also in highlights). */
    const cx_translated_word *translated;
    size_t translated_count;
} cx_hit;

typedef struct cx_results cx_results;

/* Runs a query. Releases are ranked by BM25 over their whole text combined with the score of
 * their best passage, and each hit shows that passage, highlighted.
 * Never fails because a writer is committing: a reader that meets DatabaseModifiedError
 * reopens at the latest commit and searches again, for up to CX_SEARCH_RETRY_SECONDS.
 * Where the QueryParser rejects the syntax, or an unbalanced quote or bracket finds nothing,
 * the query's words are searched instead and cx_results_fell_back() says so; a query is never
 * refused for its syntax. The caller owns *out (cx_results_free). */
#define CX_SEARCH_RETRY_SECONDS 10
cx_status cx_search(cx_database *db, const cx_search_request *request, cx_results **out,
                    cx_error *error);
size_t cx_results_count(const cx_results *results);
/* Matching releases (passages, with all_passages): exact when small, else Xapian's estimate. */
uint64_t cx_results_estimated(const cx_results *results);
int cx_results_fell_back(const cx_results *results);
/* The languages the query was translated from, comma-separated ("" without translation);
 * owned by results. */
const char *cx_results_translated_from(const cx_results *results);
/* Non-zero when cx_results_estimated() is the exact count (always with facets). */
int cx_results_total_exact(const cx_results *results);
/* With `facets`: how many counts, and the index-th one: its field ("lang", "year",
 * "source"), its value and its releases. The strings live as long as `results`; `value` is
 * not NUL-terminated. */
size_t cx_results_facet_count(const cx_results *results);
void cx_results_facet(const cx_results *results, size_t index, const char **field, const char **value,
                      size_t *value_len, uint64_t *releases);
const cx_hit *cx_results_hit(const cx_results *results, size_t index);
void cx_results_free(cx_results *results);

/* ---------------------------------------------------------------------------------------------
 * Dates, suggestions and synonyms (issue 14)
 * ------------------------------------------------------------------------------------------ */

/* A date or range as `date:` and --since/--until take it ("2022", "2022-03", "2022-03-15",
 * "A..B", "..B", "A..") as inclusive days "YYYYMMDD" in `low` and `high` ("" for an open
 * side). CX_INVALID_ARGUMENT with a one-line message naming `what` otherwise. */
cx_status cx_date_bounds(const char *spec, size_t spec_len, const char *what, char low[9], char high[9],
                         cx_error *error);

/* The index's dates: a first line "FIRST\tLAST\n" (days "YYYYMMDD", empty without dated
 * releases), then "YEAR\tRELEASES\n" per year, in order. Free with cx_bytes_free(). */
cx_status cx_date_statistics(cx_database *db, cx_bytes *out, cx_error *error);

/* "Did you mean": the query with its unknown words replaced by the closest word of a searched
 * language's vocabulary (folded, lowercased); empty bytes when there is none. `languages` as in
 * cx_search_request. Free with cx_bytes_free(). */
cx_status cx_suggest(cx_database *db, const char *query, size_t query_len, const char *languages, cx_bytes *out,
                     cx_error *error);

/* Synonyms (a writer): `word` (one word) also finds `synonym` (a word or a phrase); both are
 * folded and lowercased. Remove: one synonym, or all of the word's (`synonym` NULL); *removed
 * says how many went. List: "WORD\tSYNONYM\n" lines, free with cx_bytes_free(). */
cx_status cx_synonym_add(cx_database *db, const char *word, size_t word_len, const char *synonym, size_t synonym_len,
                         cx_error *error);
cx_status cx_synonym_remove(cx_database *db, const char *word, size_t word_len, const char *synonym,
                            size_t synonym_len, int *removed, cx_error *error);
cx_status cx_synonym_list(cx_database *db, cx_bytes *out, cx_error *error);

/* ---------------------------------------------------------------------------------------------
 * Language tools
 * ------------------------------------------------------------------------------------------ */

/* The languages Presse knows, one row each of the bridge's language table (language.cpp), in
 * the order queries are built, "und" (undetermined) last. Swift's Language mirrors it (a test
 * checks). The strings are static: never freed. */
typedef struct cx_language_info {
    const char *code;     /* "en", "fr", "de", "und" */
    const char *snowball; /* Xapian's Snowball name ("english"); "" for "und" */
    int identified;       /* non-zero: CLD2 names it by `code`, and its stopwords are counted */
} cx_language_info;
size_t cx_language_count(void);
/* Row `index` (< cx_language_count()); all NULL and 0 past the end. */
cx_language_info cx_language_at(size_t index);

/* CLD2's raw evidence on a text, with no decision taken: Swift's LanguageRules decide.
 * Codes are CLD2's ("en", "fr", "de", "nn", "zh-Hant"...: static strings, never freed), ""
 * where CLD2 names no language (UNKNOWN_LANGUAGE). */
typedef struct cx_cld2_share {
    const char *code;
    int percent; /* the share of the text's letters in that language */
} cx_cld2_share;
typedef struct cx_cld2_verdict {
    const char *language;  /* CLD2's summary language; "" when it has no verdict */
    cx_cld2_share top[3];  /* its three leading languages, most first (top[0]: not always
                              `language`) */
    int reliable;          /* CLD2's own flag */
} cx_cld2_verdict;
cx_cld2_verdict cx_cld2_identify(const char *text, size_t text_len);

/* How many different stopwords of each language a text uses (after the index's folding):
 * counts[i] for cx_language_at(i), 0 for a language that is not identified, for every
 * i < counts_len (0 past the table). Different words, not occurrences. */
void cx_count_stopwords(const char *text, size_t text_len, uint32_t *counts, size_t counts_len);

/* The stem of one word in a language, with the stemmer the index uses for it ("und" and any
 * unknown code: English's), after the same folding the index applies. For tests and tools. */
cx_status cx_stem_word(const char *lang, const char *word, size_t word_len, cx_bytes *out,
                       cx_error *error);

/* Text as the index sees it: accents folded, French elisions split. */
cx_status cx_fold(const char *text, size_t text_len, cx_bytes *out, cx_error *error);

/* ---------------------------------------------------------------------------------------------
 * Web pages, PDFs and Word files
 * ------------------------------------------------------------------------------------------ */

/* A web page's headline, text, metadata and furniture, through libxml2's HTML parser. `utf8`
 * non-zero: the bytes are UTF-8 (else libxml2 goes by the page's <meta charset>, or Latin-1).
 *   headline: its first <h1> outside the page's furniture, else its Open Graph og:title, else
 *             its <title> without the site's name ("Osaka renews | BioM" gives "Osaka renews");
 *             empty when none has a word or digit.
 *   text:     its blocks, a paragraph each, blank lines between, without scripts and styles.
 *   metadata: the page's raw metadata, uninterpreted, as "name\0value\0" pairs in document
 *             order: each <meta> (its property, else name, else itemprop, as written) with its
 *             content, each <time> as "time" with its datetime (else its text), each
 *             <script type="application/ld+json"> as "ld+json" with its text (Swift's
 *             DateRules read them).
 *   dropped:  the blocks of `text` that are the page's furniture, one a line, as
 *             "START\tEND\tREASON\n" (UTF-8 byte offsets into `text`): navigation, the page's
 *             header and footer, asides, forms, elements whose class or id names furniture
 *             (share, social, cookie, breadcrumb, menu, related, comments, ...), and blocks
 *             made mostly of links.
 * The caller frees all four with cx_bytes_free(). */
cx_status cx_html_text(const char *bytes, size_t length, int utf8, cx_bytes *headline, cx_bytes *text,
                       cx_bytes *metadata, cx_bytes *dropped, cx_error *error);

/* A Markdown release (CommonMark, by Debian's libcmark) as HTML, for cx_html_text to read; raw
 * HTML inside it is kept, invalid UTF-8 replaced. Front matter is not Markdown: the caller
 * takes it off first. The caller frees `html` with cx_bytes_free(). */
cx_status cx_markdown_html(const char *bytes, size_t length, cx_bytes *html, cx_error *error);

/* A PDF's title and creation date (its metadata's Title and CreationDate, ISO 8601; empty when
 * it has none) and text (its blocks, a paragraph each, blank lines between; hyphenated line
 * ends joined; page-number blocks left out), read from the file at `path` by poppler's
 * pdftotext run as a helper process (Debian's poppler-utils) with -bbox-layout. The helper is
 * killed, and CX_INVALID_ARGUMENT returned with the reason, when its text passes `max_text`
 * bytes or it runs longer than `timeout_seconds`; so it is for a PDF it cannot read (damaged,
 * truncated, locked with a password) and when pdftotext is missing. Its address space is
 * capped at 1 GiB. The caller frees the three with cx_bytes_free(). */
cx_status cx_pdf_text(const char *path, size_t path_len, size_t max_text, int timeout_seconds, cx_bytes *title,
                      cx_bytes *created, cx_bytes *text, cx_error *error);

/* A Word file's (.docx) title (docProps/core.xml's dc:title, else its first paragraph styled
 * Title, else Heading 1; empty when none), creation date (dcterms:created, as written) and
 * text (word/document.xml's paragraphs, blank lines between), from the zip's bytes. A member
 * that inflates past `max_inflated` bytes (a zip bomb), text past `max_text` bytes, a
 * damaged, truncated or encrypted zip
 * and a zip without word/document.xml give CX_INVALID_ARGUMENT with the reason. The caller
 * frees the three with cx_bytes_free(). */
cx_status cx_docx_text(const char *bytes, size_t length, size_t max_inflated, size_t max_text, cx_bytes *title,
                       cx_bytes *created, cx_bytes *text, cx_error *error);


/* ---------------------------------------------------------------------------------------------
 * Descriptors (glibc's GNU extensions, which Swift's Glibc module does not declare)
 * ------------------------------------------------------------------------------------------ */

/* pipe2(2) with O_CLOEXEC, and O_NONBLOCK on both ends when `nonblocking`: the ends are
 * close-on-exec from their creation, so no child spawned meanwhile by another thread (pdftotext)
 * inherits them. 0, or -1 with errno set. */
int cx_pipe_cloexec(int fds[2], int nonblocking);

/* An open file description lock (F_OFD_SETLK) on the first byte of `fd`'s file when `locked`,
 * let go otherwise: held by the descriptor, not the process, so the holder's other descriptors
 * of the file do not drop it; the kernel drops it when the process ends. 0, or -1 with errno. */
int cx_byte_lock(int fd, int locked);

/* 1 when another open file description holds a lock on the first byte of `fd`'s file
 * (F_OFD_GETLK), 0 when none does, -1 with errno set when it cannot be told. */
int cx_byte_locked(int fd);

/* ---------------------------------------------------------------------------------------------
 * Last resort
 * ------------------------------------------------------------------------------------------ */

/* Xapian trusts its own files: garbage inside a table block can make it read out of bounds
 * rather than throw. This installs handlers for SIGSEGV, SIGBUS, SIGFPE and SIGILL that write
 * `message` (copied now, at most 1 KiB) to stderr and exit with `status`, so a damaged index
 * ends in one line and a documented status instead of a core dump. */
void cx_install_fatal_signal_message(const char *message, size_t message_len, int status);

/* ---------------------------------------------------------------------------------------------
 * German compounds
 * ------------------------------------------------------------------------------------------ */

/* The parts of a German compound, space-separated and folded as the index folds words
 * ("Firmengründung" → "firmen grundung"; linking elements dropped), for the caller to stem;
 * empty bytes (length 0) when the word is no compound. Splits with Debian's German word list
 * (/usr/share/dict/ngerman, package wngerman; without it nothing splits), compiled once into
 * a cache file ($PRESSE_CACHE_DIR, else $XDG_CACHE_HOME/presse or ~/.cache/presse). For tests
 * and tools. The caller frees *out with cx_bytes_free(). */
cx_status cx_compound_parts(const char *word, size_t len, cx_bytes *out, cx_error *error);

/* ---------------------------------------------------------------------------------------------
 * Translation lexicon (cross-language search)
 * ------------------------------------------------------------------------------------------ */

/* Where the compiled lexicon is kept ($PRESSE_CACHE_DIR, else $XDG_CACHE_HOME/presse, else
 * ~/.cache/presse, + "translations-3.lexicon"; empty without a home) and where the FreeDict
 * dictionaries are read from ($PRESSE_DICTIONARIES, else /usr/share/dictd). The caller frees
 * both with cx_bytes_free(). */
cx_status cx_lexicon_paths(cx_bytes *lexicon, cx_bytes *dictionaries, cx_error *error);

typedef struct cx_lexicon_summary {
    size_t entries; /* keys written: headwords and stemmed headwords, every direction */
    size_t bytes;   /* the file's size */
    size_t dictionaries; /* FreeDict dictionaries read */
    size_t catalogs; /* gettext message catalogs learnt from ($PRESSE_CATALOGS, else /usr/share/locale) */
    size_t pairs;    /* their distinct message pairs (English-French, English-German, French-German) */
} cx_lexicon_summary;

/* Compiles Debian's six FreeDict dictionaries (English, French, German, each way) under
 * `dictionary_dir`, and the word translations learnt from the system's French and German
 * message catalogs, into the lexicon at `path` (its folder created; written to a temporary
 * file renamed into place). CX_NOT_FOUND names a missing dictionary. */
cx_status cx_lexicon_build(const char *dictionary_dir, const char *path, cx_lexicon_summary *out,
                           cx_error *error);

/* CX_OK when `path` holds a lexicon this Presse reads (it is then mapped for the process's
 * life); CX_NOT_FOUND when there is none; CX_OPENING for another file or version. */
cx_status cx_lexicon_check(const char *path, cx_error *error);

#ifdef __cplusplus
}
#endif

#endif /* CXAPIAN_H */
