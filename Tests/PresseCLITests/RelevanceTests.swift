import Foundation
import XCTest

/// Known-item relevance on a small committed slice of the relevance benchmark
/// (Benchmarks/relevance): man pages and Debian Reference sections in English, French and
/// German, each query with one right answer. Fails when a language's MRR@10 falls more than
/// 0.01 below the baseline committed beside the slice; when ranking improves, raise the
/// baseline to the figures this test prints.
final class RelevanceTests: XCTestCase {
    private var sandbox: Sandbox!
    private static let fixtures = PresseCLI.packageRoot.appendingPathComponent("Tests/Fixtures")
    private static let tolerance = 0.01

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-relevance")
        try sandbox.unpackFixture("relevance-slice.tar.gz")
    }

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    func testMRRDoesNotFallBelowTheBaseline() throws {
        let baseline = try Self.baseline()
        // LANG<TAB>QUERY<TAB>ANSWER, the answer relative to the slice's folder.
        let queries = try String(contentsOf: sandbox.url("relevance-slice.queries.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(queries.count, 150, "the slice's queries")
        try sandbox.write("batch.tsv", queries.map { "\($0[0])\t\($0[1])\n" }.joined())

        let index = try sandbox.run(["index", "--index", sandbox.index.path, "--quiet", "--jobs", "2", "relevance-slice"])
        XCTAssertTrue(index.exited(0), "\(index)")
        let search = try sandbox.run(["search", "--index", sandbox.index.path, "--batch", "batch.tsv", "--json", "--limit", "10"])
        XCTAssertTrue(search.exited(in: [0, 1]), "\(search)")
        let answers = try search.stdoutLines.map { try JSONLine.decode(SearchOutput.self, $0) }
        XCTAssertEqual(answers.count, queries.count, "one answer per query: \(search)")

        var reciprocalRanks: [String: [Double]] = [:]
        for (query, answer) in zip(queries, answers) {
            let target = sandbox.url("relevance-slice/\(query[2])").path
            let rank = answer.hits.prefix(10).firstIndex { sandbox.absolute($0.path) == target }
            reciprocalRanks[query[0], default: []].append(rank.map { 1 / Double($0 + 1) } ?? 0)
        }
        var report = ["MRR@10 on Tests/Fixtures/relevance-slice.tar.gz (baseline in relevance-slice.baseline.tsv):"]
        for language in ["en", "fr", "de"] {
            let ranks = try XCTUnwrap(reciprocalRanks[language], "no \(language) queries in the slice")
            let mrr = ranks.reduce(0, +) / Double(ranks.count)
            let expected = try XCTUnwrap(baseline[language], "no \(language) line in the baseline")
            report.append(String(format: "  %@  %.4f  (baseline %.4f, %+.4f, %d queries)", language, mrr, expected, mrr - expected, ranks.count))
            // (1e-9: one query falling from rank 1 to 2 in 50 costs exactly 0.01, which passes.)
            XCTAssertGreaterThanOrEqual(mrr, expected - Self.tolerance - 1e-9,
                                        """
                                        \(language) MRR@10 \(String(format: "%.4f", mrr)) fell more than \(Self.tolerance) below the \
                                        baseline \(expected): this change ranks the right answers lower (the whole benchmark: \
                                        scripts/bench --relevance)
                                        """)
        }
        if reciprocalRanks.keys.contains(where: { !["en", "fr", "de"].contains($0) }) {
            XCTFail("the slice has queries in other languages: \(reciprocalRanks.keys.sorted())")
        }
        report.append("When ranking improves, put the new figures in Tests/Fixtures/relevance-slice.baseline.tsv.")
        print(report.joined(separator: "\n"))
    }

    /// A short page is the top of a longer one: the search leaves unread the releases whose
    /// passages cannot lift them onto the page (PassageScorer::bound), and a page of 3 must
    /// still hold the first 3 of a page of 20, with the same scores and passages.
    func testAShortPageIsTheTopOfALongerOne() throws {
        let queries = try String(contentsOf: sandbox.url("relevance-slice.queries.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        try sandbox.write("batch.tsv", queries.map { "\($0[0])\t\($0[1])\n" }.joined())
        let index = try sandbox.run(["index", "--index", sandbox.index.path, "--quiet", "--jobs", "2", "relevance-slice"])
        XCTAssertTrue(index.exited(0), "\(index)")
        func answers(limit: Int) throws -> [SearchOutput] {
            let search = try sandbox.run(["search", "--index", sandbox.index.path, "--batch", "batch.tsv", "--json",
                                          "--limit", String(limit)])
            XCTAssertTrue(search.exited(in: [0, 1]), "\(search)")
            return try search.stdoutLines.map { try JSONLine.decode(SearchOutput.self, $0) }
        }
        let short = try answers(limit: 3), long = try answers(limit: 20)
        XCTAssertEqual(short.count, queries.count)
        XCTAssertEqual(long.count, queries.count)
        var compared = 0
        for (s, l) in zip(short, long) {
            let top = Array(l.hits.prefix(3))
            XCTAssertEqual(s.hits.map(\.path), top.map(\.path), "the first releases of \"\(s.query)\"")
            XCTAssertEqual(s.hits.map(\.passage), top.map(\.passage), "the passages shown for \"\(s.query)\"")
            for (a, b) in zip(s.hits, top) { XCTAssertEqual(a.score, b.score, accuracy: 1e-9, "\"\(s.query)\"") }
            compared += s.hits.count
        }
        XCTAssertGreaterThan(compared, 300, "most queries find three releases")
    }

    /// A release's opening states what it is about (kLeadPassages, search_parts.h): of two
    /// releases with the same paragraphs in another order, the one that says it in its lead
    /// ranks first, though it is indexed after the other (which a tie would put first); the
    /// other still shows the paragraph that answers, far down.
    func testTheReleaseThatSaysItInItsLeadRanksFirst() throws {
        let answer = "The cluster signs a research partnership with the Osaka biotechnology incubator."
        let others = ["The delegation visited three laboratories during the week.",
                      "A workshop on regulatory affairs closed the programme.",
                      "Members can register for the next mission until March.",
                      "The newsletter will report on the results in the spring.",
                      "Contact the secretariat for the travel arrangements."]
        func release(_ paragraphs: [String]) -> String { "News from the cluster\n\n" + paragraphs.joined(separator: "\n\n") + "\n" }
        try sandbox.write("lead/a-later.txt", release(others + [answer]))
        try sandbox.write("lead/b-lead.txt", release([answer] + others))
        let index = try sandbox.run(["index", "--index", sandbox.index.path, "--quiet", "--jobs", "1", "lead"])
        XCTAssertTrue(index.exited(0), "\(index)")
        let (result, output) = try searchJSON(sandbox, ["research partnership osaka incubator"])
        XCTAssertTrue(result.exited(0), "\(result)")
        XCTAssertEqual(output.hits.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["b-lead.txt", "a-later.txt"], "\(result)")
        XCTAssertGreaterThan(output.hits[0].score, output.hits[1].score)
        XCTAssertEqual(output.hits.last?.passage.trimmingCharacters(in: .whitespacesAndNewlines), answer, "the paragraph that answers is shown")
    }

    /// LANG<TAB>MRR a line; `#` starts a comment.
    private static func baseline() throws -> [String: Double] {
        let url = fixtures.appendingPathComponent("relevance-slice.baseline.tsv")
        var figures: [String: Double] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            guard fields.count == 2, let mrr = Double(fields[1]) else { throw SandboxError("bad baseline line: \(line)") }
            figures[String(fields[0])] = mrr
        }
        return figures
    }
}
