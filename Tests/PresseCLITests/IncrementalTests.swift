import Foundation
import XCTest

/// Keeping an index in step with its files through `presse add`, `remove` and `index`.
final class IncrementalTests: XCTestCase {
    private var sandbox: Sandbox!

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-incremental")
        try sandbox.copySamples(to: "corpus")
        let indexed = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(indexed.exited(0), "\(indexed)")
        assertSummary(indexed, added: 5, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
    }

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    private var index: String { sandbox.index.path }

    /// The number of passages `inspect` makes of these files: what the index must hold.
    private func passageCount(_ files: [URL], file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let outputs = try inspect(sandbox, files.map(\.path), file: file, line: line)
        XCTAssertEqual(outputs.count, files.count, "inspect prints one line per file", file: file, line: line)
        return outputs.reduce(0) { $0 + $1.passages.count }
    }

    private func files(in folder: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: sandbox.url(folder), includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.path < $1.path }
    }

    /// A large release's stored text stays in the document data, not in the value slot whose
    /// lowest and highest values every later commit writes again (schema.h,
    /// kLargestReleaseValue); small ones are in the slot. Both read back whole.
    func testALargeReleaseIsStoredApartAndReadBack() throws {
        // Words that do not repeat, so the zstd frame stays large (about 200 KB of text).
        var random = SeededRandom(seed: 11)
        let words = (0..<30_000).map { _ in String((0..<6).map { _ in Character(UnicodeScalar(UInt8(97 + random.next() % 26))) }) }
        let paragraphs = stride(from: 0, to: words.count, by: 100).map { words[$0..<min($0 + 100, words.count)].joined(separator: " ") + "." }
        try sandbox.write("corpus/large.txt", "A very long annual report\n\n" + paragraphs.joined(separator: "\n\n") + "\n")
        let added = try sandbox.run("add", "--index", index, "corpus/large.txt")
        XCTAssertTrue(added.exited(0), "\(added)")

        let last = try searchJSON(sandbox, ["--json", "--all-passages", "--limit", "1000", words[29_990]]).1
        XCTAssertEqual(last.hits.map(\.path), ["corpus/large.txt"], "its last passage is searched and shown")
        XCTAssertTrue(last.hits.first?.passage.contains(words[29_999]) ?? false, "\(last.hits.first?.passage.suffix(80) ?? "")")

        // Where each release's data is: the document data of the large one only.
        func delve(_ arguments: [String]) throws -> String { try runTool("xapian-delve", arguments + [index + "/XAPIANDB"]).output }
        var withData: [Int] = []
        for record in 1...6 {
            // "Data for record #N:\n<data>\nTerm List for record #N: ..."
            let listing = try delve(["-r", String(record), "-d"])
            let data = listing.components(separatedBy: "Term List for record")[0].split(separator: "\n").dropFirst()
            if !data.joined().isEmpty { withData.append(record) }
        }
        XCTAssertEqual(withData, [6], "only the large release (the sixth document) keeps its data in the document data")
        let values = try delve(["-V4"])
        XCTAssertEqual(values.matches(of: #/ (\d+):/#).map { Int($0.1)! }.sorted(), [1, 2, 3, 4, 5], values.prefix(300) + "")
    }

    /// Every hit of `query` over all passages.
    private func allHits(_ query: String, file: StaticString = #filePath, line: UInt = #line) throws -> (CommandResult, SearchOutput) {
        try searchJSON(sandbox, ["--all-passages", "--limit", "1000", query], file: file, line: line)
    }

    private let original = """
        Tamarind vessels reach the harbour of Quokkalantern

        The harbour authority of Quokkalantern announced today that twelve tamarindvessel ships will call at the port \
        this spring, bringing spices and dried fruit from the southern coast.

        Further announcements will follow in the coming weeks, the authority said in a short statement.

        """

    private let appended = """

        In a second statement the authority added that the zanzibarwombat ferry will also resume its weekly crossing \
        to the islands at the start of the summer season.

        """

    /// `presse compact` rewrites the index without free space and switches to the copy: the
    /// same answers, less disk, one database folder, and the index goes on growing after it.
    func testCompactKeepsEveryAnswer() throws {
        let queries = ["osaka", "\"successful partnership\"", "coopération", "Firmengründung", "yokoh*"]
        func answers() throws -> [String] {
            try queries.map { query in
                let (_, output) = try allHits(query)
                return output.hits.map { "\($0.score) \($0.path) \($0.passage_index) \($0.highlights)" }.joined(separator: "|")
            }
        }
        let before = try answers(), statsBefore = try stats(sandbox)
        let result = try sandbox.run("compact", "--index", index)
        XCTAssertTrue(result.exited(0), "\(result)")
        XCTAssertTrue(result.stdout.hasPrefix("compacted: ") && result.stdout.contains(" MB -> "), "\(result)")
        XCTAssertEqual(try answers(), before, "the compacted index answers as before")
        let statsAfter = try stats(sandbox)
        XCTAssertEqual(statsAfter.releases, statsBefore.releases)
        XCTAssertEqual(statsAfter.passages, statsBefore.passages)
        XCTAssertLessThan(statsAfter.size_bytes, statsBefore.size_bytes, "compaction frees space")
        let entries = try FileManager.default.contentsOfDirectory(atPath: index).filter { $0.hasPrefix("db-") }
        XCTAssertEqual(entries, ["db-2"], "the old database is gone, the stub names the copy")

        // The compacted index takes new releases and changes as before.
        let added = try sandbox.write("more/new.txt", "Compactprobe release\n\nA new release about Osaka added after compaction.")
        XCTAssertTrue(try sandbox.run("add", "--index", index, added.path).exited(0))
        XCTAssertEqual(try allHits("compactprobe").1.hits.count, 1)

        // No index there: one line, the index status, and nothing created.
        let nowhere = sandbox.url("nowhere")
        let missing = try sandbox.run("compact", "--index", nowhere.path)
        XCTAssertTrue(missing.exited(3), "\(missing)")
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, "one line: \(missing)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: nowhere.path), "compact creates no index")
    }

    func testAddReaddChangeRemove() throws {
        let before = try stats(sandbox)
        XCTAssertEqual(before.releases, 5)
        XCTAssertEqual(before.passages, try passageCount(try files(in: "corpus")))

        // Add one file.
        let release = try sandbox.write("extra/harbour.txt", original)
        let firstPassages = try passageCount([release])
        XCTAssertGreaterThan(firstPassages, 0)
        let added = try sandbox.run("add", "--index", index, release.path)
        XCTAssertTrue(added.exited(0), "\(added)")
        assertSummary(added, added: 1, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        var now = try stats(sandbox)
        XCTAssertEqual(now.releases, before.releases + 1, "add: one more release")
        XCTAssertEqual(now.passages, before.passages + firstPassages, "add: its passages")
        let (_, found) = try allHits("tamarindvessel")
        XCTAssertEqual(found.hits.map { sandbox.absolute($0.path) }, [release.path])

        // The same file again: nothing changes.
        let again = try sandbox.run("add", "--index", index, release.path)
        XCTAssertTrue(again.exited(0), "\(again)")
        assertSummary(again, added: 0, replaced: 0, removed: 0, unchanged: 1, skipped: 0)
        now = try stats(sandbox)
        XCTAssertEqual(now.releases, before.releases + 1, "re-adding an unchanged file keeps one release")
        XCTAssertEqual(now.passages, before.passages + firstPassages, "re-adding an unchanged file adds no passages")

        // Changed content: replaced, the new word found, the old text once.
        let handle = try FileHandle(forWritingTo: release)
        handle.seekToEndOfFile()
        handle.write(Data(appended.utf8))
        try handle.close()
        let secondPassages = try passageCount([release])
        XCTAssertGreaterThan(secondPassages, firstPassages)
        let replaced = try sandbox.run("add", "--index", index, release.path)
        XCTAssertTrue(replaced.exited(0), "\(replaced)")
        assertSummary(replaced, added: 0, replaced: 1, removed: 0, unchanged: 0, skipped: 0)
        now = try stats(sandbox)
        XCTAssertEqual(now.releases, before.releases + 1, "a replaced release is still one release")
        XCTAssertEqual(now.passages, before.passages + secondPassages, "the old passages are gone, the new ones in")
        let (newResult, newWord) = try allHits("zanzibarwombat")
        XCTAssertTrue(newResult.exited(0), "the appended word is found: \(newResult)")
        XCTAssertEqual(newWord.hits.map { sandbox.absolute($0.path) }, [release.path])
        let (_, oldWord) = try allHits("tamarindvessel")
        XCTAssertEqual(oldWord.hits.count, 1, "the unchanged paragraph is indexed once, not once per version: \(oldWord.hits.map(\.passage))")

        // Remove: gone; removing again finds nothing to remove.
        let removed = try sandbox.run("remove", "--index", index, release.path)
        XCTAssertTrue(removed.exited(0), "\(removed)")
        assertSummary(removed, added: 0, replaced: 0, removed: 1, unchanged: 0, skipped: 0)
        now = try stats(sandbox)
        XCTAssertEqual(now.releases, before.releases)
        XCTAssertEqual(now.passages, before.passages)
        for word in ["zanzibarwombat", "tamarindvessel", "quokkalantern"] {
            let (gone, _) = try allHits(word)
            XCTAssertTrue(gone.exited(1), "\(word) is gone with its release: \(gone)")
        }
        let twice = try sandbox.run("remove", "--index", index, release.path)
        XCTAssertTrue(twice.exited(1), "removing a release that is not there exits 1: \(twice)")
        assertMessagesArePresse(twice)
    }

    func testRemoveAfterFileDeleted() throws {
        // A release can be removed by name after its file is gone.
        let release = try sandbox.write("extra/harbour.txt", original)
        XCTAssertTrue(try sandbox.run("add", "--index", index, release.path).exited(0))
        try FileManager.default.removeItem(at: release)
        let removed = try sandbox.run("remove", "--index", index, "extra/harbour.txt")
        XCTAssertTrue(removed.exited(0), "\(removed)")
        let (gone, _) = try allHits("tamarindvessel")
        XCTAssertTrue(gone.exited(1), "\(gone)")
        XCTAssertEqual(try stats(sandbox).releases, 5)
    }

    func testAddMissingFileIsReported() throws {
        let result = try sandbox.run("add", "--index", index, "extra/nothing-here.txt")
        XCTAssertTrue(result.exited(4), "a file that cannot be read is skipped, exit 4: \(result)")
        XCTAssertTrue(result.stderrLines.contains { $0.hasPrefix("presse: skipped") && $0.contains("nothing-here.txt") }, "\(result)")
        assertMessagesArePresse(result)
        XCTAssertEqual(try stats(sandbox).releases, 5)
    }

    func testFolderSync() throws {
        let corpus = sandbox.url("corpus")
        // A new file, a changed one, a deleted one, a touched one.
        try sandbox.write("corpus/005_new.txt", """
            A capybara orchestra tours the lakes

            The capybaraorchestra foundation presented its programme for the coming season in a crowded hall.

            """)
        let changed = corpus.appendingPathComponent("001_d92cbe41fad504f3.txt")
        let handle = try FileHandle(forWritingTo: changed)
        handle.seekToEndOfFile()
        handle.write(Data("\n\nThe marmaladeglacier delegation will return to Osaka next year.\n".utf8))
        try handle.close()
        try FileManager.default.removeItem(at: corpus.appendingPathComponent("004_2ded532425e893fb.txt"))
        let touched = corpus.appendingPathComponent("000_f5fcedb73f7cb6a5.txt")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(3_600)], ofItemAtPath: touched.path)

        let synced = try sandbox.run("index", "--index", index, "corpus")
        XCTAssertTrue(synced.exited(0), "\(synced)")
        assertSummary(synced, added: 1, replaced: 1, removed: 1, unchanged: 3, skipped: 0)

        let files = try files(in: "corpus")
        XCTAssertEqual(files.count, 5)
        let now = try stats(sandbox)
        XCTAssertEqual(now.releases, files.count, "every release once")
        XCTAssertEqual(now.passages, try passageCount(files), "every passage once")

        let (newResult, new) = try allHits("capybaraorchestra")
        XCTAssertTrue(newResult.exited(0), "\(newResult)")
        XCTAssertEqual(Set(new.hits.map { URL(fileURLWithPath: $0.path).lastPathComponent }), ["005_new.txt"])
        let (_, changedHits) = try allHits("marmaladeglacier")
        XCTAssertEqual(changedHits.hits.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["001_d92cbe41fad504f3.txt"])
        let (deleted, _) = try allHits("MedCity")
        XCTAssertTrue(deleted.exited(1), "the deleted release is gone: \(deleted)")
        // The changed release's old text: as many hits as passages that hold the word.
        let emiliaPassages = try inspect(sandbox, [changed.path]).first?.passages
            .filter { folded($0.text).contains("emilia") }.count ?? 0
        let (_, emilia) = try allHits("Emilia")
        XCTAssertEqual(emilia.hits.count, emiliaPassages, "no passage of the old version left behind")
        XCTAssertEqual(Set(emilia.hits.map { URL(fileURLWithPath: $0.path).lastPathComponent }), ["001_d92cbe41fad504f3.txt"])

        // Nothing changed since: everything unchanged.
        let again = try sandbox.run("index", "--index", index, "corpus")
        XCTAssertTrue(again.exited(0), "\(again)")
        assertSummary(again, added: 0, replaced: 0, removed: 0, unchanged: 5, skipped: 0)
        XCTAssertEqual(try stats(sandbox).releases, 5)
    }

    func testRenamedFileInFolderSync() throws {
        let corpus = sandbox.url("corpus")
        try FileManager.default.moveItem(at: corpus.appendingPathComponent("004_2ded532425e893fb.txt"),
                                         to: corpus.appendingPathComponent("renamed.txt"))
        let result = try sandbox.run("index", "--index", index, "corpus")
        XCTAssertTrue(result.exited(0), "\(result)")
        assertSummary(result, added: 1, replaced: 0, removed: 1, unchanged: 4, skipped: 0)
        let (_, found) = try allHits("MedCity")
        XCTAssertEqual(Set(found.hits.map { URL(fileURLWithPath: $0.path).lastPathComponent }), ["renamed.txt"],
                       "the release is found under its new name only")
        XCTAssertEqual(try stats(sandbox).releases, 5)
    }

    func testUnusualFileNames() throws {
        // Spaces, accents, quotes, a backslash, a tab and a line break in names: the JSON path is
        // the file's path, exactly. (The samples in corpus/ hold the same words under their names.)
        let names = ["Über uns – été \"q\" back\\slash.txt", "new\nline\ttab.txt"]
        let sources = ["002_c79c31d9bc64ada6.txt", "003_e2dcaa9c9b2fc9a4.txt"]
        try sandbox.folder("odd")
        for (name, source) in zip(names, sources) {
            try FileManager.default.copyItem(at: PresseCLI.corpusFolder.appendingPathComponent(source),
                                             to: sandbox.url("odd").appendingPathComponent(name, isDirectory: false))
        }
        let result = try sandbox.run("index", "--index", index, "odd")
        XCTAssertTrue(result.exited(0), "\(result)")
        assertSummary(result, added: 2, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        for (query, name) in [("Domdey", names[0]), ("Lyonbiopôle", names[1])] {
            let (_, output) = try allHits(query)
            XCTAssertFalse(output.hits.isEmpty, query)
            XCTAssertTrue(output.hits.contains { sandbox.absolute($0.path) == sandbox.url("odd").appendingPathComponent(name).path },
                          "\(query): \(output.paths)")
        }
        let removed = try sandbox.run("remove", "--index", index, sandbox.url("odd").appendingPathComponent(names[1]).path)
        XCTAssertTrue(removed.exited(0), "\(removed)")
    }

    func testSyncOfAnotherFolderKeepsTheFirst() throws {
        try sandbox.write("other/note.txt", "A short note about the harbour of Quokkalantern and its ferries.\n")
        let result = try sandbox.run("index", "--index", index, "other")
        XCTAssertTrue(result.exited(0), "\(result)")
        assertSummary(result, added: 1, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        XCTAssertEqual(try stats(sandbox).releases, 6, "releases outside the synced folder stay")
    }

    /// `cd releases; presse index .` keeps its index in ./Index, inside the folder it indexes:
    /// the index's own files are not releases.
    func testIndexInsideTheIndexedFolder() throws {
        try sandbox.copySamples(to: "press")
        let first = try sandbox.run("index", "--index", "press/Index", "press")
        XCTAssertTrue(first.exited(0), "\(first)")
        assertSummary(first, added: 5, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        let second = try sandbox.run("index", "--index", "press/Index", "press")
        XCTAssertTrue(second.exited(0), "the second run finds nothing new, and does not skip the index's own files: \(second)")
        assertSummary(second, added: 0, replaced: 0, removed: 0, unchanged: 5, skipped: 0)
        XCTAssertEqual(try stats(sandbox, index: sandbox.url("press/Index")).releases, 5)
        let (result, stub) = try searchJSON(sandbox, ["--no-suggest", "glass"], index: sandbox.url("press/Index"))
        XCTAssertTrue(result.exited(1), "the index's stub file is not a release: \(stub.paths)")
    }

    func testDefaultCorpusAndIndexFolders() throws {
        // `presse index` with no arguments reads ./Corpus into ./Index.
        try sandbox.copySamples(to: "Corpus", only: ["002_c79c31d9bc64ada6.txt", "003_e2dcaa9c9b2fc9a4.txt"])
        let result = try sandbox.run("index")
        XCTAssertTrue(result.exited(0), "\(result)")
        assertSummary(result, added: 2, replaced: 0, removed: 0, unchanged: 0, skipped: 0)
        let statsResult = try sandbox.run("stats", "--json")
        XCTAssertTrue(statsResult.exited(0), "\(statsResult)")
        let defaultStats = try XCTUnwrap(try? JSONLine.decode(StatsOutput.self, statsResult.stdout))
        XCTAssertEqual(defaultStats.releases, 2)
        XCTAssertEqual(defaultStats.index, sandbox.url("Index").path)
        XCTAssertEqual(defaultStats.languages.keys.sorted(), ["de", "en", "fr", "und"])
        XCTAssertEqual(defaultStats.languages.values.reduce(0, +), defaultStats.passages)
        XCTAssertGreaterThan(defaultStats.size_bytes, 0)
        XCTAssertNotNil(defaultStats.last_update)
    }
}
