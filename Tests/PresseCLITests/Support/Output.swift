// The documented JSON of `presse search --json`, `stats --json` and `inspect --json`, and
// helpers that turn a run's output into those shapes or fail the test.
import Foundation
import XCTest

struct SearchOutput: Decodable {
    var query: String
    var total: Int
    /// Whether `total` is counted (true) or Xapian's estimate.
    var total_exact: Bool
    var offset: Int
    var limit: Int
    var hits: [Hit]
    /// With --timings only.
    var took_ms: Double?
    /// "Did you mean": the query with its unknown words corrected; `suggestion_shown` when the
    /// hits are the suggestion's (the query found nothing).
    var suggestion: String?
    var suggestion_shown: Bool?
    /// With --facets only: releases per language, year and source folder.
    var facets: Facets?
    /// The languages the query was read in when it was translated (cross-language search).
    var translated_from: [String]?
    /// Several indexes searched as one: the shards this answer is without.
    var shards_left_out: [String]?

    struct Facets: Decodable {
        var lang: [String: Int]
        var year: [String: Int]
        var source: [String: Int]
    }

    struct Hit: Decodable {
        var rank: Int
        var score: Double
        var path: String
        var title: String
        var lang: String
        var passage: String
        var highlights: [[Int]]
        var passage_index: Int
        var more_passages: Int
        var start: Int
        var end: Int
        /// "YYYY-MM-DD" and "metadata", "text" or "file" (null for a release without a date).
        var date: String?
        var date_source: String?
        /// Words matched through translation (cross-language search), apart from highlights.
        var translated: [Word]?

        struct Word: Decodable {
            var start: Int
            var end: Int
            var word: String
            var via: String
            var from: String
        }

        /// The highlighted pieces of the passage, cut from its UTF-8 bytes; nil for a range
        /// that is malformed, out of bounds or not on character boundaries.
        var highlightedWords: [String?] {
            let bytes = Array(passage.utf8)
            return highlights.map { pair in
                guard pair.count == 2, pair[0] >= 0, pair[0] < pair[1], pair[1] <= bytes.count else { return nil }
                return String(validating: bytes[pair[0]..<pair[1]], as: UTF8.self)
            }
        }
    }

    /// Hits per path, in order of first appearance.
    var paths: [String] { hits.map(\.path) }
    /// The hits' dates, "none" for a release without one.
    var dates: [String] { hits.map { $0.date ?? "none" } }
}

struct StatsOutput: Decodable {
    var index: String
    var releases: Int
    var passages: Int
    var languages: [String: Int]
    var size_bytes: Int
    var last_update: String?

    /// The JSON names the release count "documents".
    enum CodingKeys: String, CodingKey {
        case index, releases = "documents", passages, languages, size_bytes, last_update
    }
}

struct InspectOutput: Decodable {
    var path: String
    var title: String
    var passages: [Passage]
    /// The text's furniture: never indexed, never the title.
    var dropped: [Dropped]

    struct Dropped: Decodable {
        var reason: String
        var start: Int
        var end: Int
        var text: String
    }
    var format: String
    var date: String?
    var date_source: String?

    struct Passage: Decodable {
        var lang: String
        var start: Int
        var end: Int
        var text: String
    }
}

enum JSONLine {
    static func decode<T: Decodable>(_ type: T.Type, _ line: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(line.utf8))
    }

    /// True when the line is one JSON object, whatever its fields.
    static func isObject(_ line: String) -> Bool {
        guard let value = try? JSONSerialization.jsonObject(with: Data(line.utf8)) else { return false }
        return value is [String: Any]
    }
}

// MARK: - Text comparison

/// Lowercased, accents removed ("Über" → "uber", "coopération" → "cooperation").
func folded(_ text: String) -> String {
    text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
}

/// The query's words, folded: letters and digits only.
func queryWords(_ query: String) -> [String] {
    folded(query).split { !$0.isLetter && !$0.isNumber }.map(String.init)
}

/// True when `highlighted` is a form of one of the query's words: the same word up to an
/// inflected ending (stemming matches "renewing" with "renewal", "Firmengründung" with
/// "Firmengründer"), compared without case or accents.
/// A word may carry an apostrophe (English "Osaka’s", French "l’accord"): one of its parts
/// must be the query's word.
func isFormOfQueryWord(_ highlighted: String, _ query: String) -> Bool {
    let apostrophes: Set<Character> = ["'", "’"]
    let word = folded(highlighted)
    guard !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || apostrophes.contains($0) }) else { return false }
    let parts = word.split { apostrophes.contains($0) }.map(String.init)
    return queryWords(query).contains { candidate in
        parts.contains { part in
            let common = zip(part, candidate).prefix { $0 == $1 }.count
            return common >= max(3, min(part.count, candidate.count) - 3)
        }
    }
}

// MARK: - Output as test values

extension XCTestCase {
    /// Runs a search with --json and decodes its answer; fails the test on an exit status
    /// other than 0/1, on a crash, on output that is not the documented JSON.
    func searchJSON(_ sandbox: Sandbox, _ arguments: [String], index: URL? = nil,
                    file: StaticString = #filePath, line: UInt = #line) throws -> (CommandResult, SearchOutput) {
        let result = try sandbox.run(["search", "--index", (index ?? sandbox.index).path, "--json"] + arguments)
        XCTAssertTrue(result.exited(in: [0, 1]), "search should answer with 0 or 1: \(result)", file: file, line: line)
        let lines = result.stdoutLines
        XCTAssertEqual(lines.count, 1, "search --json prints one line: \(result)", file: file, line: line)
        let output = try XCTUnwrap(lines.first.flatMap { try? JSONLine.decode(SearchOutput.self, $0) },
                                   "search --json output is not the documented JSON: \(result)", file: file, line: line)
        if result.exited(0) {
            XCTAssertFalse(output.hits.isEmpty, "exit 0 but no hits: \(result)", file: file, line: line)
        }
        if result.exited(1) {
            XCTAssertTrue(output.hits.isEmpty, "exit 1 (nothing found) but hits: \(result)", file: file, line: line)
        }
        return (result, output)
    }

    func stats(_ sandbox: Sandbox, index: URL? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> StatsOutput {
        let result = try sandbox.run(["stats", "--index", (index ?? sandbox.index).path, "--json"])
        XCTAssertTrue(result.exited(0), "stats failed: \(result)", file: file, line: line)
        return try XCTUnwrap(result.stdoutLines.first.flatMap { try? JSONLine.decode(StatsOutput.self, $0) },
                             "stats --json output is not the documented JSON: \(result)", file: file, line: line)
    }

    func inspect(_ sandbox: Sandbox, _ paths: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [InspectOutput] {
        let result = try sandbox.run(["inspect", "--json"] + paths)
        XCTAssertTrue(result.exited(0), "inspect failed: \(result)", file: file, line: line)
        return try result.stdoutLines.map { text in
            try XCTUnwrap(try? JSONLine.decode(InspectOutput.self, text),
                          "inspect --json line is not the documented JSON: \(text.prefix(300))", file: file, line: line)
        }
    }

    /// Every stderr line is one of Presse's messages.
    func assertMessagesArePresse(_ result: CommandResult, file: StaticString = #filePath, line: UInt = #line) {
        // A crash or a timeout is reported by the exit-status check; its backtrace is noise here.
        guard !result.signaled && !result.timedOut else { return }
        // A text search's "did you mean" goes to standard error too: part of its answer, not a message.
        for message in result.stderrLines where !message.hasPrefix("did you mean: ") {
            XCTAssertTrue(message.hasPrefix("presse: "), "stderr line without the presse: prefix: \(message.prefix(300)) in \(result)",
                          file: file, line: line)
        }
    }

    /// The "N added, N replaced, N removed, N unchanged, N skipped (…)" line's counts.
    func summaryCounts(_ result: CommandResult, file: StaticString = #filePath, line: UInt = #line) -> [String: Int] {
        guard let summary = result.stdoutLines.last(where: { $0.contains(" added, ") }) else {
            XCTFail("no summary line: \(result)", file: file, line: line)
            return [:]
        }
        var counts: [String: Int] = [:]
        let head = summary.split(separator: "(").first ?? ""
        for part in head.split(separator: ",") {
            let fields = part.split(separator: " ")
            if fields.count == 2, let number = Int(fields[0]) { counts[String(fields[1])] = number }
        }
        for key in ["added", "replaced", "removed", "unchanged", "skipped"] where counts[key] == nil {
            XCTFail("summary line lacks '\(key)': \(summary)", file: file, line: line)
        }
        return counts
    }

    /// Expects the summary's counts to be exactly these.
    func assertSummary(_ result: CommandResult, added: Int, replaced: Int, removed: Int, unchanged: Int, skipped: Int,
                       file: StaticString = #filePath, line: UInt = #line) {
        let counts = summaryCounts(result, file: file, line: line)
        let expected = ["added": added, "replaced": replaced, "removed": removed, "unchanged": unchanged, "skipped": skipped]
        XCTAssertEqual(counts, expected, "summary counts differ: \(result)", file: file, line: line)
    }
}
