import Foundation
import XCTest

/// Hostile and random queries: `presse search` answers every one with 0 or 1 and valid JSON,
/// never a crash, a usage error or an index error.
final class QueryFuzzTests: XCTestCase {
    private var sandbox: Sandbox!
    private var corpusWords: [String] = []

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-fuzz")
        let copies = try sandbox.copySamples(to: "corpus")
        let indexed = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(indexed.exited(0), "\(indexed)")
        var words = Set<String>()
        for copy in copies {
            let text = try String(contentsOf: copy, encoding: .utf8)
            for word in text.split(whereSeparator: { $0.isWhitespace }) { words.insert(String(word)) }
        }
        corpusWords = words.sorted()
    }

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    /// One query as one argument; `--` first, so a query that starts with "-" is a query.
    private func assertAnswers(_ query: String, file: StaticString = #filePath, line: UInt = #line) throws -> SearchOutput? {
        let result = try sandbox.run(["search", "--index", sandbox.index.path, "--json", "--", query])
        XCTAssertTrue(result.exited(in: [0, 1]), "query \(query.debugDescription.prefix(200)): \(result)", file: file, line: line)
        assertMessagesArePresse(result, file: file, line: line)
        XCTAssertLessThanOrEqual(result.stderrLines.count, 1, "at most one warning: \(result)", file: file, line: line)
        XCTAssertEqual(result.stdoutLines.count, 1, "one JSON line: \(result)", file: file, line: line)
        guard let text = result.stdoutLines.first, let output = try? JSONLine.decode(SearchOutput.self, text) else {
            XCTFail("not the documented JSON for \(query.debugDescription.prefix(200)): \(result)", file: file, line: line)
            return nil
        }
        XCTAssertEqual(output.query, query, "the answer names its query", file: file, line: line)
        XCTAssertEqual(result.exited(0), !output.hits.isEmpty, "exit 0 with hits, 1 without: \(result)", file: file, line: line)
        for hit in output.hits {
            XCTAssertFalse(hit.highlightedWords.contains(nil), "highlights \(hit.highlights) are not UTF-8 ranges of the passage",
                           file: file, line: line)
        }
        return output
    }

    func testHostileQueries() throws {
        let long = (0..<4_000).map { corpusWords[$0 * 7 % corpusWords.count] }.joined(separator: " ")
        let queries = [
            "\"unclosed", "(((", ")))", "AND", "OR OR", "NOT", "*", "title:", "lang:", "foo:bar", "+", "-",
            "\"", "\"\"", "()", "osaka AND", "OR osaka", "NOT osaka", "osaka NOT", "-osaka", "+osaka -munich",
            "osaka NEAR", "NEAR/3", "osaka ADJ/2 munich", "lang:xx osaka", "title:(", "title:\"", "*osaka", "os*ka",
            "\\", "\\\"", "'", "’", "«»", "lang:fr lang:de", "--json", "-x",
            String(long.prefix(20_000)),
            String(repeating: "a", count: 20_000),
            String(repeating: "(osaka OR ", count: 500) + String(repeating: ")", count: 500),
            "🚀", "👩‍🔬 partnership 🇯🇵", "大阪 ミュンヘン", "Ωμέγα", "שלום", "e\u{301}te\u{301}", "ﬁnance", "İstanbul",
            "\u{200B}osaka\u{200D}", "\u{FEFF}", "\u{1}\u{7}", "\u{1}\u{7}osaka\u{1B}[31m", "\u{7F}", "osaka\tmunich",
        ]
        for query in queries {
            _ = try assertAnswers(query)
        }
    }

    func testFieldsAndPhrasesWork() throws {
        // The documented syntax does what it says.
        let french = try XCTUnwrap(try assertAnswers("lang:fr osaka"))
        XCTAssertFalse(french.hits.isEmpty)
        XCTAssertEqual(Set(french.hits.map(\.lang)), ["fr"], "lang:fr restricts to French passages")

        let titled = try XCTUnwrap(try assertAnswers("title:munich"))
        XCTAssertFalse(titled.hits.isEmpty)
        for hit in titled.hits {
            XCTAssertTrue(hit.title.contains("Munich"), "title: matches titles: \(hit.title)")
        }

        let phrase = try XCTUnwrap(try assertAnswers("\"continue their successful partnership\""))
        XCTAssertEqual(phrase.hits.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["002_c79c31d9bc64ada6.txt"])

        let excluded = try XCTUnwrap(try assertAnswers("osaka -munich"))
        XCTAssertFalse(excluded.hits.isEmpty)
        for hit in excluded.hits {
            XCTAssertFalse(folded(hit.passage).contains("munich"), "-munich excludes passages with Munich: \(hit.passage.prefix(100))")
        }

        let wildcard = try XCTUnwrap(try assertAnswers("yokoh*"))
        XCTAssertFalse(wildcard.hits.isEmpty, "a trailing * matches word starts")
        for hit in wildcard.hits {
            XCTAssertTrue(hit.highlightedWords.contains { $0.map(folded)?.hasPrefix("yokoh") == true },
                          "the words a wildcard matched are highlighted: \(hit.highlights) in \(hit.passage.prefix(80))")
        }
        let titleWildcard = try XCTUnwrap(try assertAnswers("title:yokoh*"))
        XCTAssertEqual(titleWildcard.hits.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["000_f5fcedb73f7cb6a5.txt"],
                       "title:word* expands over title words only")
    }

    // MARK: - Random queries through one process

    private static let operators = ["AND", "OR", "NOT", "XOR", "NEAR", "ADJ", "NEAR/2", "AND NOT", "+", "-", "*", "title:", "lang:",
                                    "lang:fr", "lang:de", "lang:en", "foo:"]
    private static let punctuation = ["\"", "(", ")", ".", ",", ";", ":", "!", "?", "'", "’", "«", "»", "–", "—", "/", "\\",
                                      "@", "#", "$", "%", "^", "&", "=", "~", "`", "|", "<", ">", "[", "]", "{", "}", "…"]
    private static let unicode = ["🚀", "👩‍🔬", "🇯🇵", "大阪", "ミュンヘン", "Ωμέγα", "שלום", "مرحبا", "e\u{301}", "ﬁ", "İ", "ß",
                                  "\u{200B}", "\u{200D}", "\u{00A0}", "\u{2028}", "\u{FEFF}", "\u{1}", "\u{7}", "\u{1B}", "\u{7F}",
                                  "Ｏｓａｋａ", "\u{10FFFF}", "\u{E000}", "ǅ", "Æ", "œ"]
    /// The documented LANG<TAB> prefixes; no other tab appears in a generated line.
    private static let languages = ["fr\t", "de\t", "en\t"]

    private func randomQuery(_ random: inout SeededRandom) -> String {
        func pick(_ list: [String]) -> String { list[Int(random.next() % UInt64(list.count))] }
        var parts: [String] = []
        let length = 1 + Int(random.next() % 8)
        for _ in 0..<length {
            switch random.next() % 10 {
            case 0...4: parts.append(corpusWords[Int(random.next() % UInt64(corpusWords.count))])
            case 5, 6: parts.append(pick(Self.operators))
            case 7, 8: parts.append(pick(Self.punctuation))
            default: parts.append(pick(Self.unicode))
            }
        }
        // Glue some parts together: "(word", "title:word", "word*", "\"word".
        var query = ""
        for part in parts {
            if !query.isEmpty && random.next() % 3 != 0 { query += " " }
            query += part
        }
        if random.next() % 6 == 0 { query = pick(Self.languages) + query }
        return query
    }

    func testRandomQueriesInOneBatch() throws {
        var random = SeededRandom(seed: 20_240_601)
        var lines: [String] = []
        while lines.count < 2_000 {
            let query = randomQuery(&random)
            // A batch line holds no line break, and a blank line is skipped by design.
            guard !query.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }),
                  !query.allSatisfy(\.isWhitespace) else { continue }
            lines.append(query)
        }
        let batch = try sandbox.write("queries.txt", lines.joined(separator: "\n") + "\n")
        let result = try sandbox.run(["search", "--index", sandbox.index.path, "--json", "--limit", "5", "--batch", batch.path],
                                     timeout: 120)
        XCTAssertTrue(result.exited(0), "the batch runs to the end: \(result)")
        assertMessagesArePresse(result)
        // Split on the byte, not on Character: the answers are JSON, where a line break is escaped.
        let answers = result.stdoutData.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(answers.count, lines.count, "one JSON line per query")

        var failures = 0
        for (line, answer) in zip(lines, answers) {
            var language: String?
            var query = line
            if let tab = line.firstIndex(of: "\t") {
                language = String(line[..<tab])
                query = String(line[line.index(after: tab)...])
            }
            guard let output = try? JSONLine.decode(SearchOutput.self, answer) else {
                XCTFail("not the documented JSON for \(line.debugDescription): \(answer.prefix(300))")
                failures += 1
                if failures > 10 { break } else { continue }
            }
            var ok = output.query == query
            XCTAssertEqual(output.query, query, "answers come in the order of the queries")
            for hit in output.hits {
                if hit.highlightedWords.contains(nil) {
                    XCTFail("\(line.debugDescription): highlights \(hit.highlights) are not UTF-8 ranges of the passage")
                    ok = false
                }
                if let language, hit.lang != language {
                    XCTFail("\(line.debugDescription): a \(hit.lang) hit for a \(language) query")
                    ok = false
                }
            }
            if !ok {
                failures += 1
                if failures > 10 { break }
            }
        }
    }
}
