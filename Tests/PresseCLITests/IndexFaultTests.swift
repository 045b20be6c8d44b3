import Foundation
import XCTest

/// A missing, foreign, damaged or misnamed index: exit 3 and one line on stderr that names
/// the index, never a crash.
final class IndexFaultTests: XCTestCase {
    private var sandbox: Sandbox!

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-faults")
        try sandbox.copySamples(to: "corpus")
    }

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    private func assertIndexError(_ arguments: [String], naming path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try sandbox.run(arguments)
        XCTAssertTrue(result.exited(3), "an index error is exit 3: \(result)", file: file, line: line)
        XCTAssertEqual(result.stderrLines.count, 1, "one line on stderr: \(result)", file: file, line: line)
        assertMessagesArePresse(result, file: file, line: line)
        XCTAssertTrue(result.stderr.contains(path), "the message names \(path): \(result)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", "nothing on stdout: \(result)", file: file, line: line)
    }

    /// The readers and, unless `writers` is false, the writers, on one bad index.
    private func assertEveryCommandFails(on index: String, writers: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        try assertIndexError(["search", "--index", index, "osaka"], naming: index, file: file, line: line)
        try assertIndexError(["search", "--index", index, "--json", "osaka"], naming: index, file: file, line: line)
        try assertIndexError(["stats", "--index", index], naming: index, file: file, line: line)
        try assertIndexError(["stats", "--index", index, "--json"], naming: index, file: file, line: line)
        try sandbox.write("batch.txt", "osaka\nfr\tcoopération\n")
        try assertIndexError(["search", "--index", index, "--json", "--batch", "batch.txt"], naming: index, file: file, line: line)
        if writers {
            try assertIndexError(["add", "--index", index, "corpus/000_f5fcedb73f7cb6a5.txt"], naming: index, file: file, line: line)
            try assertIndexError(["index", "--index", index, "corpus"], naming: index, file: file, line: line)
            try assertIndexError(["remove", "--index", index, "corpus/000_f5fcedb73f7cb6a5.txt"], naming: index, file: file, line: line)
        }
    }

    private func buildIndex() throws {
        let result = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(result.exited(0), "\(result)")
    }

    private func files(under folder: URL, named suffix: String) -> [URL] {
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        return (walker?.allObjects as? [URL] ?? []).filter { $0.lastPathComponent.hasSuffix(suffix) }
    }

    func testMissingIndex() throws {
        let missing = "/nonexistent-presse-\(UUID().uuidString.prefix(8))/index"
        // Readers only: a writer would create the index (and /nonexistent cannot be made).
        try assertEveryCommandFails(on: missing, writers: false)
        let inSandbox = sandbox.url("no-such-index").path
        try assertEveryCommandFails(on: inSandbox, writers: false)
        XCTAssertFalse(FileManager.default.fileExists(atPath: inSandbox), "a reader does not create an index")
    }

    func testWriterCannotCreateIndex() throws {
        let missing = "/nonexistent-presse-\(UUID().uuidString.prefix(8))/index"
        try assertIndexError(["index", "--index", missing, "corpus"], naming: missing)
        try assertIndexError(["add", "--index", missing, "corpus/000_f5fcedb73f7cb6a5.txt"], naming: missing)
    }

    func testFolderThatIsNotAnIndex() throws {
        let empty = try sandbox.folder("empty").path
        try assertEveryCommandFails(on: empty, writers: false)
        let documents = try sandbox.folder("documents")
        try sandbox.write("documents/notes.txt", "Some notes, not an index.\n")
        try assertEveryCommandFails(on: documents.path, writers: false)
    }

    func testDamagedIndex() throws {
        try buildIndex()
        let tables = files(under: sandbox.index, named: ".glass")
        XCTAssertFalse(tables.isEmpty, "the index holds glass tables: \(files(under: sandbox.index, named: ""))")
        for table in tables {
            let handle = try FileHandle(forUpdating: table)
            try handle.truncate(atOffset: 5)
            try handle.close()
        }
        try assertEveryCommandFails(on: sandbox.index.path)

        // The way out the message gives: a rebuild from the folder, switched to when done.
        let search = try sandbox.run("search", "--index", sandbox.index.path, "osaka")
        XCTAssertTrue(search.stderr.contains("presse index --rebuild"), "the message says how to rebuild: \(search)")
        let rebuilt = try sandbox.run("index", "--rebuild", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(rebuilt.exited(0), "\(rebuilt)")
        assertSummary(rebuilt, added: 5, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        XCTAssertTrue(try sandbox.run("search", "--index", sandbox.index.path, "osaka").exited(0))
        let folders = try FileManager.default.contentsOfDirectory(atPath: sandbox.index.path).filter { $0.hasPrefix("db-") }
        XCTAssertEqual(folders, ["db-2"], "the damaged database is removed")
        let again = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        assertSummary(again, added: 0, replaced: 0, removed: 0, unchanged: 5, skipped: 0)
    }

    /// Garbage inside the blocks of the posting-list table (a bad disk, a bad copy): whatever
    /// a search can still answer, it answers without crashing.
    func testGarbageInsideTableBlocks() throws {
        try buildIndex()
        let table = try XCTUnwrap(files(under: sandbox.index, named: "postlist.glass").first)
        var bytes = [UInt8](try Data(contentsOf: table))
        var random = SeededRandom(seed: 5)
        for block in stride(from: 0, to: bytes.count, by: 8_192) {
            for offset in (block + 100)..<min(block + 300, bytes.count) { bytes[offset] = UInt8(truncatingIfNeeded: random.next()) }
        }
        try Data(bytes).write(to: table)
        let index = sandbox.index.path
        var crashes: [CommandResult] = []
        var runs = 0
        for query in ["osaka", "partnership", "coopération", "Firmengründung"] {
            for mode in [["--json"], [], ["--all-passages"]] {
                let result = try sandbox.run(["search", "--index", index] + mode + [query])
                runs += 1
                guard result.exited(in: [0, 1, 3]) else {
                    crashes.append(result)
                    continue
                }
                XCTAssertLessThanOrEqual(result.stderrLines.count, 1, "\(result)")
                assertMessagesArePresse(result)
            }
        }
        if let first = crashes.first {
            let firstLine = first.stderrLines.prefix(4).joined(separator: " | ")
            XCTFail("\(crashes.count) of \(runs) searches on a damaged index did not answer 0, 1 or 3; the first: presse \(first.arguments.joined(separator: " ")) → \(first.signaled ? "signal" : "exit") \(first.status): \(firstLine)")
        }
        let statsResult = try sandbox.run("stats", "--index", index)
        XCTAssertTrue(statsResult.exited(in: [0, 3]), "\(statsResult)")
    }

    func testDamagedStub() throws {
        try buildIndex()
        try sandbox.write("index/XAPIANDB", "glass db-99\n")
        try assertEveryCommandFails(on: sandbox.index.path, writers: false)
        try sandbox.write("index/XAPIANDB", Data([0x00, 0xFF, 0x12, 0x0A, 0x41]))
        try assertEveryCommandFails(on: sandbox.index.path, writers: false)
    }

    func testFileGivenAsIndex() throws {
        let file = sandbox.url("corpus/000_f5fcedb73f7cb6a5.txt").path
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        try assertEveryCommandFails(on: file)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), before, "the file is left alone")
    }
}
