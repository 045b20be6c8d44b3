import Foundation
import XCTest

/// `presse index --jobs 2` builds shards in parallel and merges them with Xapian's compactor;
/// the index it leaves must answer exactly as one writer's (`--jobs 1`) does. Checked on a
/// slice of the benchmark corpus (Tests/Fixtures), through the command line.
final class ParallelBuildTests: XCTestCase {
    private var sandbox: Sandbox!

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-parallel")
        try sandbox.unpackFixture("bench-slice-2100.tar.gz")
    }

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    func testParallelBuildAnswersAsOneWriterDoes() throws {
        let one = sandbox.url("one"), two = sandbox.url("two")
        let serial = try sandbox.run(["index", "--index", one.path, "--jobs", "1", "corpus"])
        let parallel = try sandbox.run(["index", "--index", two.path, "--jobs", "2", "corpus"])
        XCTAssertTrue(serial.exited(0), "\(serial)")
        XCTAssertTrue(parallel.exited(0), "\(parallel)")
        assertSummary(serial, added: 2_100, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        assertSummary(parallel, added: 2_100, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        // One writer fills the index's first database; the parallel build merges its shards
        // into a second one and switches the index to it.
        let stub = { (index: URL) in try String(contentsOf: index.appendingPathComponent("XAPIANDB"), encoding: .utf8) }
        XCTAssertEqual(try stub(one), "glass db-1\n")
        XCTAssertEqual(try stub(two), "glass db-2\n", "--jobs 2 on 2,100 files takes the shard build")
        XCTAssertEqual(try stats(sandbox, index: one).passages, try stats(sandbox, index: two).passages)

        // Every hit of every query, best passage per release and every passage, with scores.
        // Ties may come in another order (compaction renumbers documents, and Xapian breaks
        // ties by document number), so each answer is compared as a sorted list.
        for extra in [[], ["--all-passages"]] {
            let arguments = ["--batch", "corpus.queries.tsv", "--json", "--limit", "1000"] + extra
            let a = try sandbox.run(["search", "--index", one.path] + arguments)
            let b = try sandbox.run(["search", "--index", two.path] + arguments)
            XCTAssertTrue(a.exited(0) && b.exited(0), "\(a)\n\(b)")
            let left = try a.stdoutLines.map { try JSONLine.decode(SearchOutput.self, $0) }
            let right = try b.stdoutLines.map { try JSONLine.decode(SearchOutput.self, $0) }
            XCTAssertEqual(left.count, 60, "one answer per query: \(a)")
            XCTAssertEqual(left.count, right.count)
            var hits = 0
            for (x, y) in zip(left, right) {
                func ranked(_ output: SearchOutput) -> [String] {
                    output.hits.map { "\(Int(($0.score * 1e6).rounded())) \($0.path) \($0.passage_index) \($0.highlights)" }.sorted()
                }
                XCTAssertEqual(x.query, y.query)
                XCTAssertEqual(ranked(x), ranked(y), "query \(x.query) \(extra)")
                hits += x.hits.count
            }
            XCTAssertGreaterThan(hits, 60, "the queries find releases \(extra)")
        }
    }
}
