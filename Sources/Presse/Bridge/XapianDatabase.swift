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

    private let handle: OpaquePointer
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

    deinit { cx_database_close(handle) }

    func reopen() throws(PresseError) {
        try bridged(path) { cx_database_reopen(handle, $0) }
    }

    func documentCount() throws(PresseError) -> UInt64 {
        var count: UInt64 = 0
        try bridged(path) { cx_document_count(handle, &count, $0) }
        return count
    }

    func termFrequency(_ term: String) throws(PresseError) -> UInt64 {
        var count: UInt64 = 0
        var term = term
        try bridged(path) { error in term.withUTF8 { cx_term_frequency(handle, $0.baseAddress, $0.count, &count, error) } }
        return count
    }

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

    /// Every metadata entry whose key starts with `prefix`.
    func metadataEntries(prefix: String) throws(PresseError) -> [(key: String, value: String)] {
        var pairs: OpaquePointer?
        var prefix = prefix
        try bridged(path) { error in prefix.withUTF8 { cx_metadata_list(handle, $0.baseAddress, $0.count, &pairs, error) } }
        defer { cx_pairs_free(pairs) }
        let count = cx_pairs_count(pairs)
        var entries: [(key: String, value: String)] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            var key: UnsafePointer<CChar>?, value: UnsafePointer<CChar>?
            var keyLength = 0, valueLength = 0
            cx_pairs_get(pairs, index, &key, &keyLength, &value, &valueLength)
            entries.append((string(key, keyLength), string(value, valueLength)))
        }
        return entries
    }

    func beginTransaction() throws(PresseError) { try bridged(path) { cx_begin_transaction(handle, $0) } }
    func commitTransaction() throws(PresseError) { try bridged(path) { cx_commit_transaction(handle, $0) } }
    func cancelTransaction() throws(PresseError) { try bridged(path) { cx_cancel_transaction(handle, $0) } }
    func commit() throws(PresseError) { try bridged(path) { cx_commit(handle, $0) } }

    /// Runs `body` in a Xapian transaction: all of its changes are committed together, or
    /// none are (cancelled on error; lost on a crash).
    func transaction<T>(_ body: () throws(PresseError) -> T) throws(PresseError) -> T {
        try beginTransaction()
        do {
            let value = try body()
            try commitTransaction()
            return value
        } catch {
            try? cancelTransaction()
            throw error
        }
    }

    func addPassage(text: String, title: String, releaseKey: String, info: String, language: Language,
                    firstOfRelease: Bool) throws(PresseError) {
        var text = text, title = title, key = releaseKey, info = info
        let code = language.rawValue
        try bridged(path) { error in
            text.withUTF8 { t in title.withUTF8 { ti in key.withUTF8 { k in info.withUTF8 { i in
                code.withCString { c in
                    var passage = cx_passage(
                        text: t.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, text_len: t.count,
                        title: ti.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, title_len: ti.count,
                        release_key: k.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, release_key_len: k.count,
                        info: i.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, info_len: i.count,
                        lang: c, first_of_release: firstOfRelease ? 1 : 0)
                    return cx_add_passage(handle, &passage, error)
                }
            } } } }
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
        try bridged(path) { error in
            query.withUTF8 { q in
                languages.withCString { l in
                    var raw = cx_search_request(
                        query: q.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                        query_len: q.count, languages: l, offset: UInt32(clamping: request.offset),
                        limit: UInt32(clamping: request.limit), collapse: request.collapse ? 1 : 0,
                        highlight: request.highlight ? 1 : 0)
                    return cx_search(handle, &raw, &results, error)
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
            var lang = hit.lang
            let code = withUnsafeBytes(of: &lang) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            hits.append(RawHit(
                weight: hit.weight, collapseCount: Int(hit.collapse_count),
                language: Language(rawValue: code) ?? .unknown,
                text: string(hit.text, hit.text_len), releaseKey: string(hit.release_key, hit.release_key_len),
                info: string(hit.info, hit.info_len), highlights: ranges))
        }
        return RawSearchResults(hits: hits, estimatedTotal: Int(cx_results_estimated(results)),
                                fellBack: cx_results_fell_back(results) != 0)
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
    var collapse: Bool
    var highlight: Bool
}

struct RawHit {
    var weight: Double
    var collapseCount: Int
    var language: Language
    var text: String
    var releaseKey: String
    var info: String
    var highlights: [Range<Int>]
}

struct RawSearchResults {
    var hits: [RawHit]
    var estimatedTotal: Int
    var fellBack: Bool
}

func string(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> String {
    guard let pointer, length > 0 else { return "" }
    return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
}

