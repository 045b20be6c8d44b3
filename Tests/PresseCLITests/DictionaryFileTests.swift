import Foundation
import XCTest

/// A reader keeps the index's compression dictionary as a file in the database's folder
/// (`presse-dictionary-ID`, derived from the metadata, mapped instead of read: release_data.cpp).
/// The metadata stays the truth: a damaged or cut file must change no answer, and is written
/// whole again. Checked on the benchmark slice (2,100 releases: enough for a dictionary).
final class DictionaryFileTests: XCTestCase {
    private var sandbox: Sandbox!

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-dictionary-file")
        try sandbox.unpackFixture("bench-slice-2100.tar.gz")
    }

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    func testADamagedOrCutDictionaryFileChangesNoAnswerAndIsWrittenAgain() throws {
        let built = try sandbox.run(["index", "--quiet", "--index", "index", "--jobs", "1", "corpus"])
        XCTAssertTrue(built.exited(0), "\(built)")
        let database = sandbox.url("index/db-1")
        func dictionaryFiles() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: database.path).filter { $0.hasPrefix("presse-dictionary-") }
        }
        XCTAssertEqual(try dictionaryFiles(), [], "the writer leaves none")

        let arguments = ["search", "--index", "index", "--batch", "corpus.queries.tsv", "--json", "--limit", "5"]
        let first = try sandbox.run(arguments)
        XCTAssertTrue(first.exited(0), "\(first)")
        let files = try dictionaryFiles()
        XCTAssertEqual(files.count, 1, "the first reader keeps the dictionary: \(files)")
        let file = database.appendingPathComponent(try XCTUnwrap(files.first))
        let whole = try Data(contentsOf: file)
        XCTAssertGreaterThan(whole.count, 100_000)
        let inode = { (try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int) }
        let before = try inode()
        XCTAssertEqual(try sandbox.run(arguments).stdout, first.stdout, "read from the file")
        XCTAssertEqual(try inode(), before, "a whole file is used as it is, not written again")

        var damaged = whole
        damaged.replaceSubrange(50_000..<50_016, with: Data(repeating: 0x41, count: 16))
        for broken in [damaged, whole.prefix(60_000), Data()] {
            try broken.write(to: file)
            let again = try sandbox.run(arguments)
            XCTAssertTrue(again.exited(0), "\(again)")
            XCTAssertEqual(again.stdout, first.stdout, "a file of \(broken.count) bytes is not used")
            XCTAssertEqual(try Data(contentsOf: file), whole, "written whole again")
        }
        XCTAssertEqual(try dictionaryFiles().count, 1, "nothing left aside")

        // Not a file at all: a FIFO of that name is not opened for reading (which would wait
        // for a writer forever), and a file takes its place.
        try FileManager.default.removeItem(at: file)
        XCTAssertEqual(mkfifo(file.path, 0o644), 0)
        let past = try sandbox.run(arguments, timeout: 60)
        XCTAssertTrue(past.exited(0), "\(past)")
        XCTAssertEqual(past.stdout, first.stdout, "a FIFO is not used")
        XCTAssertEqual(try Data(contentsOf: file), whole, "a file again")
    }
}
