internal import CXapian
import Glibc

/// Runs one bridge call with a fresh cx_error and turns a failure into a PresseError, so no
/// caller repeats the status check (swift-system's habit). `context` names the index path or
/// the query in the message.
@discardableResult
func bridged(_ context: String?, _ body: (UnsafeMutablePointer<cx_error>) -> cx_status) throws(PresseError) -> cx_status {
    var error = cx_error()
    defer { cx_error_clear(&error) }
    let status = body(&error)
    guard status != CX_OK else { return status }
    let detail = error.message.map { String(cString: $0) } ?? String(cString: cx_status_to_string(status))
    throw PresseError.fromBridge(status, detail: detail, context: context)
}

/// A Xapian database handle (reader or writer). Not thread-safe, like the Xapian object it
/// owns: one handle per thread. `deinit` closes it.
final class XapianDatabase {
    /// lockAnySchema: a writer on a database of any schema, only to hold its lock.
    enum Mode { case read, write, create, createScratch, lockAnySchema }

    let handle: OpaquePointer
    let path: String

    init(path: String, mode: Mode) throws(PresseError) {
        let flags: Int32
        switch mode {
        case .read: flags = Int32(CX_OPEN_READ)
        case .write: flags = Int32(CX_OPEN_WRITE)
        case .create: flags = Int32(CX_OPEN_WRITE | CX_OPEN_CREATE)
        case .createScratch: flags = Int32(CX_OPEN_WRITE | CX_OPEN_CREATE | CX_OPEN_NO_SYNC)
        case .lockAnySchema: flags = Int32(CX_OPEN_WRITE | CX_OPEN_ANY_SCHEMA)
        }
        var opened: OpaquePointer?
        var utf8 = path
        try bridged(path) { error in
            utf8.withUTF8 { cx_database_open($0.baseAddress, $0.count, flags, &opened, error) }
        }
        guard let opened else { throw PresseError(.other, "could not open \(path)", context: path) }
        self.handle = opened
        self.path = path
    }

    /// Several indexes as one reader: each spec a local index path or "remote HOST:PORT".
    init(shards: [String], requireAll: Bool, context: String) throws(PresseError) {
        var opened: OpaquePointer?
        let copies = shards.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let flags = requireAll ? Int32(CX_SHARDS_REQUIRE_ALL) : 0
        try bridged(context) { error in
            copies.map { UnsafePointer($0) }.withUnsafeBufferPointer {
                cx_database_open_shards($0.baseAddress, $0.count, flags, &opened, error)
            }
        }
        guard let opened else { throw PresseError(.other, "could not open the shards of \(context)", context: context) }
        self.handle = opened
        self.path = context
    }

    deinit { cx_database_close(handle) }

    /// The shards left out since the last call, one line each.
    func takeWarnings() throws(PresseError) -> [String] {
        var bytes = cx_bytes()
        defer { cx_bytes_free(&bytes) }
        try bridged(path) { cx_database_take_warnings(handle, &bytes, $0) }
        guard let data = bytes.data else { return [] }
        return String(cString: data).split(separator: "\n").map(String.init)
    }

    /// The shards the last search was answered without, as the shard list names them.
    func leftOutShards() throws(PresseError) -> [String] {
        var bytes = cx_bytes()
        defer { cx_bytes_free(&bytes) }
        try bridged(path) { cx_database_left_out(handle, &bytes, $0) }
        guard let data = bytes.data else { return [] }
        return String(cString: data).split(separator: "\n").map(String.init)
    }

    /// Counts kept by the index itself (schema.h): no walk over releases.
    func statistics() throws(PresseError) -> cx_statistics {
        var statistics = cx_statistics()
        try bridged(path) { cx_index_statistics(handle, &statistics, $0) }
        return statistics
    }

    /// Records the time of this change (committed with the next commit).
    func stampUpdate(_ seconds: Int64) throws(PresseError) {
        try bridged(path) { cx_stamp_update(handle, seconds, $0) }
    }

    /// A metadata value; "" when the key is missing.
    func metadata(_ key: String) throws(PresseError) -> String {
        var bytes = cx_bytes()
        defer { cx_bytes_free(&bytes) }
        var key = key
        try bridged(path) { error in key.withUTF8 { cx_get_metadata(handle, $0.baseAddress, $0.count, &bytes, error) } }
        return string(bytes.data, bytes.length)
    }

    func setMetadata(_ key: String, _ value: String) throws(PresseError) {
        var key = key, value = value
        try bridged(path) { error in
            key.withUTF8 { k in value.withUTF8 { v in cx_set_metadata(handle, k.baseAddress, k.count, v.baseAddress, v.count, error) } }
        }
    }

    /// Every release's record, by release key.
    func records() throws(PresseError) -> [String: ReleaseRecord] {
        var list: OpaquePointer?
        try bridged(path) { cx_list_records(handle, &list, $0) }
        defer { cx_records_free(list) }
        let count = cx_records_count(list)
        var records: [String: ReleaseRecord] = [:]
        records.reserveCapacity(count)
        for index in 0..<count {
            var key: UnsafePointer<CChar>?
            var record = cx_release_record()
            cx_records_get(list, index, &key, &record)
            records[string(key, 16)] = ReleaseRecord(record)
        }
        return records
    }

    /// A release's record and, when asked, its path (read from its compressed data), or nil
    /// when the index has none of that key.
    func findRelease(key: String, withPath: Bool = false) throws(PresseError) -> (record: ReleaseRecord, path: String)? {
        var found: Int32 = 0
        var record = cx_release_record()
        var path = cx_bytes()
        defer { cx_bytes_free(&path) }
        var key = key
        try bridged(self.path) { error in
            key.withUTF8 { k in
                withPath ? cx_find_release(handle, cString(k), k.count, &found, &record, &path, error)
                         : cx_find_release(handle, cString(k), k.count, &found, &record, nil, error)
            }
        }
        return found != 0 ? (ReleaseRecord(record), string(path.data, path.length)) : nil
    }

    /// A release as the index stores it, by key; nil when there is none (or `key` is not a
    /// release key: the bridge reads nothing else).
    func readRelease(key: String) throws(PresseError) -> StoredReleaseContents? {
        var found: Int32 = 0
        var contents: UnsafeMutablePointer<cx_release_contents>?
        var key = key
        try bridged(path) { error in key.withUTF8 { cx_read_release(handle, cString($0), $0.count, &found, &contents, error) } }
        defer { cx_release_contents_free(contents) }
        guard found != 0, let view = contents?.pointee else { return nil }
        var date = view.date, dateSource = view.date_source
        let storedDate = withUnsafeBytes(of: &date) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let source = withUnsafeBytes(of: &dateSource) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        var passages: [StoredPassage] = []
        passages.reserveCapacity(view.passage_count)
        for index in 0..<view.passage_count {
            var passage = view.passages[index]
            let code = withUnsafeBytes(of: &passage.lang) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            passages.append(StoredPassage(language: Language(rawValue: code) ?? .unknown, start: Int(passage.start),
                                          end: Int(passage.end), text: string(passage.text, passage.text_len)))
        }
        return StoredReleaseContents(
            id: key, path: string(view.path, view.path_len), title: string(view.title, view.title_len),
            date: CalendarDate(stored: storedDate).flatMap { day in DateSource(rawValue: source).map { ReleaseDate(day, source: $0) } },
            passages: passages)
    }

    /// Replaces a release's record without indexing it again (its file was touched only).
    func touchRelease(key: String, record: ReleaseRecord) throws(PresseError) {
        var key = key
        var raw = record.raw
        try bridged(path) { error in key.withUTF8 { cx_touch_release(handle, cString($0), $0.count, &raw, error) } }
    }

    func beginTransaction() throws(PresseError) { try bridged(path) { cx_begin_transaction(handle, $0) } }
    func commitTransaction() throws(PresseError) { try bridged(path) { cx_commit_transaction(handle, $0) } }
    func cancelTransaction() throws(PresseError) { try bridged(path) { cx_cancel_transaction(handle, $0) } }
    func commit() throws(PresseError) { try bridged(path) { cx_commit(handle, $0) } }

    /// Indexes a release as one document, replacing the one of the same key.
    func addRelease(_ release: PreparedRelease) throws(PresseError) {
        try bridged(path) { error in withRawReleases([release]) { cx_add_release(handle, $0.baseAddress, error) } }
    }

    /// A compression dictionary for the stored text of releases like these (release_data.h);
    /// nil when they are too few or too alike to learn from.
    static func trainDictionary(_ samples: [PreparedRelease]) throws(PresseError) -> [UInt8]? {
        var bytes = cx_bytes()
        defer { cx_bytes_free(&bytes) }
        try bridged(nil) { error in withRawReleases(samples) { cx_train_dictionary($0.baseAddress, $0.count, &bytes, error) } }
        guard let data = bytes.data, bytes.length > 0 else { return nil }
        return Array(UnsafeRawBufferPointer(start: data, count: bytes.length))
    }

    /// The ID of the dictionary new releases are compressed with; 0 when there is none.
    func dictionaryID() throws(PresseError) -> UInt32 {
        var id: UInt32 = 0
        try bridged(path) { cx_dictionary_id(handle, &id, $0) }
        return id
    }

    /// Stores the dictionary (with the current transaction) and compresses new releases
    /// with it; nothing happens when the database has one already.
    func useDictionary(_ dictionary: [UInt8]) throws(PresseError) {
        try bridged(path) { error in
            dictionary.withUnsafeBytes {
                cx_use_dictionary(handle, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count, error)
            }
        }
    }

    func deleteRelease(key: String) throws(PresseError) {
        var key = key
        try bridged(path) { error in key.withUTF8 { cx_delete_release(handle, $0.baseAddress, $0.count, error) } }
    }

    func search(_ request: RawSearchRequest) throws(PresseError) -> RawSearchResults {
        var results: OpaquePointer?
        var query = request.query
        let languages = request.languages.map(\.rawValue).joined(separator: ",")
        // A failing search names its query as well as its index.
        try bridged("\(path) (query \(FileSystem.oneLine(String(request.query.prefix(200)))))") { error in
            query.withUTF8 { q in
                languages.withCString { l in
                    // Translation (issue 13): the lexicon's path, and the query's language if known.
                    withOptionalCString(request.lexicon) { lexicon in
                        request.from.withCString { from in
                            // Issue 14: days, order, facets.
                            withOptionalCString(request.since) { since in
                                withOptionalCString(request.until) { until in
                                    var raw = cx_search_request(
                                        query: cString(q), query_len: q.count, languages: l, offset: UInt32(clamping: request.offset),
                                        limit: UInt32(clamping: request.limit), all_passages: request.allPassages ? 1 : 0,
                                        highlight: request.highlight ? 1 : 0, lexicon: lexicon, from: from,
                                        since: since, until: until, sort: request.sort, facets: request.facets ? 1 : 0)
                                    return cx_search(handle, &raw, &results, error)
                                }
                            }
                        }
                    }
                }
            }
        }
        defer { cx_results_free(results) }
        var hits: [RawHit] = []
        let count = cx_results_count(results)
        hits.reserveCapacity(count)
        for index in 0..<count {
            guard let hit = cx_results_hit(results, index)?.pointee else { continue }
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(hit.highlight_count)
            for pair in 0..<hit.highlight_count {
                let start = Int(hit.highlights[2 * pair]), end = Int(hit.highlights[2 * pair + 1])
                if start < end { ranges.append(start..<end) }
            }
            var lang = hit.lang, date = hit.date, dateSource = hit.date_source
            let code = withUnsafeBytes(of: &lang) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let storedDate = withUnsafeBytes(of: &date) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let source = withUnsafeBytes(of: &dateSource) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let releaseDate = CalendarDate(stored: storedDate).flatMap { day in
                DateSource(rawValue: source).map { ReleaseDate(day, source: $0) }
            }
            var translated: [TranslatedWord] = []
            for n in 0..<hit.translated_count {
                let word = hit.translated[n]
                translated.append(TranslatedWord(range: Int(word.start)..<Int(word.end),
                                                 source: string(word.source, word.source_len)))
            }
            hits.append(RawHit(
                weight: hit.weight, morePassages: Int(hit.more_passages),
                language: Language(rawValue: code) ?? .unknown, text: string(hit.text, hit.text_len),
                path: string(hit.path, hit.path_len), title: string(hit.title, hit.title_len),
                passage: Int(hit.passage), passageCount: Int(hit.passage_count),
                start: Int(hit.start), end: Int(hit.end), highlights: ranges, date: releaseDate, translated: translated))
        }
        var facets: [(field: String, value: String, releases: Int)] = []
        for index in 0..<cx_results_facet_count(results) {
            var field: UnsafePointer<CChar>?, value: UnsafePointer<CChar>?
            var length = 0
            var releases: UInt64 = 0
            cx_results_facet(results, index, &field, &value, &length, &releases)
            facets.append((field.map { String(cString: $0) } ?? "", string(value, length), Int(releases)))
        }
        let from = String(cString: cx_results_translated_from(results))
        return RawSearchResults(hits: hits, estimatedTotal: Int(cx_results_estimated(results)),
                                fellBack: cx_results_fell_back(results) != 0,
                                translatedFrom: from.split(separator: ",").compactMap { Language(rawValue: String($0)) },
                                totalIsExact: cx_results_total_exact(results) != 0, facets: facets)
    }

    /// Merges databases into a new one at `destination` with Xapian's compactor.
    static func compact(sources: [String], into destination: String) throws(PresseError) {
        var cStrings = sources.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var destination = destination
        try bridged(destination) { error in
            cStrings.withUnsafeMutableBufferPointer { buffer in
                buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { rebound in
                    destination.withUTF8 { cx_compact(rebound.baseAddress, rebound.count, $0.baseAddress, $0.count, error) }
                }
            }
        }
    }
}

struct RawSearchRequest {
    var query: String
    var languages: [Language]
    var offset: Int
    var limit: Int
    var allPassages: Bool
    var highlight: Bool
    /// The compiled translation lexicon; nil: no translation.
    var lexicon: String? = nil
    /// The query's language code; "": told by its words.
    var from: String = ""
    /// Issue 14: days "YYYYMMDD" or nil, CX_SORT_*, facets.
    var since: String? = nil
    var until: String? = nil
    var sort: Int32 = 0
    var facets = false
}

/// `body` with `text` as a C string, or NULL for nil.
func withOptionalCString<R>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}

struct RawHit {
    var weight: Double
    var morePassages: Int
    var language: Language
    var text: String
    var path: String
    var title: String
    var passage: Int
    var passageCount: Int
    var start: Int
    var end: Int
    var highlights: [Range<Int>]
    var date: ReleaseDate?
    var translated: [TranslatedWord] = []
}

struct RawSearchResults {
    var hits: [RawHit]
    var estimatedTotal: Int
    var fellBack: Bool
    var translatedFrom: [Language] = []
    var totalIsExact = false
    var facets: [(field: String, value: String, releases: Int)] = []
}

/// Releases as the bridge takes them: every string in one byte buffer (language codes
/// NUL-terminated), so the pointers handed over stay valid for the whole call.
private func withRawReleases<Result>(_ releases: [PreparedRelease],
                                     _ body: (UnsafeBufferPointer<cx_release>) -> Result) -> Result {
    var storage: [UInt8] = [0]  // never empty, so it has an address
    func append(_ text: String) -> (at: Int, length: Int) {
        let at = storage.count
        storage.append(contentsOf: text.utf8)
        return (at, storage.count - at)
    }
    var passageFields: [(text: (at: Int, length: Int), code: Int)] = []
    typealias Field = (at: Int, length: Int)
    var releaseFields: [(key: Field, path: Field, title: Field, date: Field, dateSource: Field)] = []
    for release in releases {
        releaseFields.append((append(release.key), append(release.path), append(release.title),
                              append(release.date?.date.stored ?? ""), append(release.date?.source.rawValue ?? "")))
        for passage in release.passages {
            let text = append(passage.text)
            passageFields.append((text, append(passage.language.rawValue).at))
            storage.append(0)
        }
    }
    return storage.withUnsafeBufferPointer { bytes in
        let base = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
        var passages: [cx_passage] = []
        passages.reserveCapacity(passageFields.count)
        for passage in releases.lazy.flatMap(\.passages) {
            let field = passageFields[passages.count]
            passages.append(cx_passage(text: base + field.text.at, text_len: field.text.length, lang: base + field.code,
                                       start: UInt32(clamping: passage.start), end: UInt32(clamping: passage.end)))
        }
        return passages.withUnsafeBufferPointer { passageBuffer in
            var first = 0
            var raw: [cx_release] = []
            for (release, field) in zip(releases, releaseFields) {
                raw.append(cx_release(key: base + field.key.at, key_len: field.key.length, record: release.record.raw,
                                      path: base + field.path.at, path_len: field.path.length,
                                      title: base + field.title.at, title_len: field.title.length,
                                      passages: passageBuffer.baseAddress.map { $0 + first }, passage_count: release.passages.count,
                                      date: base + field.date.at, date_len: field.date.length,
                                      date_source: base + field.dateSource.at, date_source_len: field.dateSource.length))
                first += release.passages.count
            }
            return raw.withUnsafeBufferPointer(body)
        }
    }
}

extension ReleaseRecord {
    init(_ raw: cx_release_record) {
        self.init(contentHash: raw.content_hash, size: Int(clamping: raw.size), modified: raw.modified,
                  passages: Int(raw.passages))
    }

    var raw: cx_release_record {
        cx_release_record(content_hash: contentHash, size: UInt64(max(0, size)), modified: modified,
                          passages: UInt32(clamping: passages))
    }
}

/// A UTF-8 buffer's bytes as the bridge's `const char *`.
func cString(_ buffer: UnsafeBufferPointer<UInt8>) -> UnsafePointer<CChar>? {
    buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
}

func string(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> String {
    guard let pointer, length > 0 else { return "" }
    return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
}

