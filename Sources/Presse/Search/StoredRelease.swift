/// A release read back from the index, whole: what `presse serve` shows at
/// `/api/releases/{id}` and on its release page.
public struct StoredReleaseContents: Sendable {
    /// The release key (ReleaseRecord.key: a hash of its absolute path, 16 hex digits).
    public var id: String
    public var path: String
    public var title: String
    public var date: ReleaseDate?
    /// In the release's order; page furniture was never stored.
    public var passages: [StoredPassage]

    /// Passages per language, most first (ties by code): the release's language mix.
    public var languages: [(language: Language, passages: Int)] {
        var counts: [Language: Int] = [:]
        for passage in passages { counts[passage.language, default: 0] += 1 }
        return counts.map { ($0.key, $0.value) }
            .sorted { $0.passages != $1.passages ? $0.passages > $1.passages : $0.language.rawValue < $1.language.rawValue }
    }
}

public struct StoredPassage: Sendable {
    public var language: Language
    /// Byte offsets in the release's text, as in a search hit's `start` and `end`.
    public var start: Int
    public var end: Int
    public var text: String
}

extension Searcher {
    /// The release of this id (a search hit's `Rendering.releaseID`), or nil. An id that is
    /// not a release key (a path, `../..`) finds nothing: only the index's stored data is read.
    public func release(id: String) throws(PresseError) -> StoredReleaseContents? {
        guard Self.isReleaseID(id) else { return nil }
        return try database.readRelease(key: id)
    }

    /// 16 lowercase hex digits, as ReleaseRecord.key makes them.
    public static func isReleaseID(_ text: String) -> Bool {
        text.utf8.count == 16 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}

extension Rendering {
    /// A hit's release id, for `/api/releases/{id}`: its key, from its stored (absolute) path.
    public static func releaseID(_ hit: SearchHit) -> String { ReleaseRecord.key(for: hit.path) }

    /// A stored release as one JSON object: its id, path, title, date, language mix and
    /// passages, each passage as `presse inspect --json` gives it (lang, start, end, text).
    public static func json(_ release: StoredReleaseContents) -> String {
        let languages = release.languages.map { "\(quoted($0.language.rawValue)):\($0.passages)" }
        let passages = release.passages.map {
            "{\"lang\":\(quoted($0.language.rawValue)),\"start\":\($0.start),\"end\":\($0.end),\"text\":\(quoted($0.text))}"
        }
        return "{\"id\":\(quoted(release.id)),\"path\":\(quoted(FileSystem.display(release.path))),\"title\":\(quoted(release.title))"
            + ",\"date\":\(release.date.map { quoted($0.date.iso) } ?? "null")"
            + ",\"date_source\":\(release.date.map { quoted($0.source.rawValue) } ?? "null")"
            + ",\"languages\":{\(languages.joined(separator: ","))},\"passages\":[\(passages.joined(separator: ","))]}"
    }
}
