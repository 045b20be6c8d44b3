import Foundation
import Testing
@testable import Presse

/// The C bridge's error paths: each failure family arrives as its own PresseError kind.
struct BridgeErrorTests {
    @Test func aMissingDatabaseIsNotFound() {
        #expect(throws: PresseError.self) { try XapianDatabase(path: "/nonexistent/presse-index", mode: .read) }
        do {
            _ = try XapianDatabase(path: "/nonexistent/presse-index", mode: .read)
        } catch {
            #expect(error.kind == .indexNotFound)
            #expect(error.message.contains("/nonexistent/presse-index"))
        }
    }

    @Test func aSecondWriterIsLocked() throws {
        let folder = TemporaryFolder()
        let first = try XapianDatabase(path: folder.path + "/db", mode: .create)
        do {
            _ = try XapianDatabase(path: folder.path + "/db", mode: .write)
            Issue.record("a second writer opened a locked database")
        } catch {
            #expect(error.kind == .indexLocked)
        }
        _ = first
    }

    @Test func aFolderThatIsNotAnIndexIsReported() throws {
        let folder = TemporaryFolder()
        folder.write("notes.txt", "not an index")
        do {
            _ = try IndexStore(path: folder.path).openReader()
            Issue.record("opened a folder that holds no index")
        } catch {
            #expect(error.kind == .indexNotFound)
        }
    }

    @Test func anEmptyReleaseKeyIsAnInvalidArgument() throws {
        let folder = TemporaryFolder()
        let database = try XapianDatabase(path: folder.path + "/db", mode: .create)
        let passage = Passage(ordinal: 0, text: "some words", start: 0, end: 10, language: .english)
        let record = ReleaseRecord(contentHash: 1, size: 10, modified: 0, passages: 1)
        try database.addRelease(PreparedRelease(path: "/r.txt", record: record, title: "", passages: [passage]))
        do {
            try database.deleteRelease(key: "")
            Issue.record("an empty release key was accepted")
        } catch {
            #expect(error.kind == .invalidArgument)
        }
    }

    @Test func badQuerySyntaxFallsBackToTheWords() throws {
        let folder = TemporaryFolder()
        let store = IndexStore(path: folder.path + "/index")
        let file = folder.write("release.txt", "Osaka partnership renewed.\n\nThe partnership between Osaka and Munich was renewed today.")
        _ = try Indexer(store: store, jobs: 1).add([file])
        let searcher = try Searcher(store: store)
        // Syntax Xapian rejects, or reads as a phrase to the end that finds nothing: the words.
        for query in ["\"unclosed osaka", "osaka AND"] {
            let results = try searcher.search(query)
            #expect(results.hits.count == 1, "query \(query)")
            #expect(results.fellBack, "query \(query)")
        }
        // Read as it was typed: no fallback.
        for query in ["foo:bar osaka", "osaka NOT berlin", "((( osaka", String(repeating: "osaka ", count: 3_000)] {
            let results = try searcher.search(query)
            #expect(results.hits.count == 1, "query \(query.prefix(30))")
            #expect(!results.fellBack, "query \(query.prefix(30))")
        }
        // Nothing to search for: no hits, and no error.
        for query in ["NOT", "*", "title:", "AND OR"] {
            #expect(try searcher.search(query).hits.isEmpty, "query \(query)")
        }
    }

    @Test func corruptTablesAreReportedNotCrashed() throws {
        let folder = TemporaryFolder()
        let store = IndexStore(path: folder.path + "/index")
        let file = folder.write("release.txt", "Osaka partnership renewed today between two clusters.")
        _ = try Indexer(store: store, jobs: 1).add([file])
        let enumerator = FileManager.default.enumerator(atPath: store.path)!
        for case let name as String in enumerator where name.hasSuffix(".glass") {
            let handle = FileHandle(forWritingAtPath: store.path + "/" + name)!
            handle.truncateFile(atOffset: 3)
            handle.closeFile()
        }
        do {
            let searcher = try Searcher(store: store)
            _ = try searcher.search("osaka")
            Issue.record("a truncated index answered")
        } catch {
            #expect(error.isIndexError)
            #expect(error.message.contains(store.path))
        }
    }

    @Test func anIndexOfAnotherSchemaIsRefusedNotSearchedWrongly() throws {
        let folder = TemporaryFolder()
        let store = IndexStore(path: folder.path + "/index")
        let file = folder.write("release.txt", "Osaka partnership renewed today between two clusters.")
        _ = try Indexer(store: store, jobs: 1).add([file])
        #expect(try Searcher(store: store).search("partnerships").hits.count == 1)
        // As an earlier Presse left it: its queries would be parsed for terms it does not hold.
        do {
            let writer = try XapianDatabase(path: store.path, mode: .write)
            try writer.setMetadata("presse_schema", "1")
            try writer.commit()
        }
        for open in [{ _ = try Searcher(store: store) }, { _ = try Indexer(store: store, jobs: 1).add([file]) }] {
            do {
                try open()
                Issue.record("opened an index of another schema")
            } catch let error as PresseError {
                #expect(error.kind == .indexVersion)
                #expect(error.message.contains("schema 1"), "\(error.message)")
            }
        }
        // Rebuilt from its folder: the old database is locked, not read, and replaced.
        let rebuilt = try Indexer(store: store, jobs: 1).rebuild([folder.path + "/release.txt"])
        #expect(rebuilt.added == 1)
        #expect(try Searcher(store: store).search("partnerships").hits.count == 1)
    }

    @Test func anIndexOfAnotherFormatVersionIsReported() throws {
        let folder = TemporaryFolder()
        let store = IndexStore(path: folder.path + "/index")
        let file = folder.write("release.txt", "Osaka partnership renewed today between two clusters.")
        _ = try Indexer(store: store, jobs: 1).add([file])
        // iamglass starts with "\x0f\x0dXapian Glass" and then the format version: change it as a
        // newer Xapian would have written it.
        let versionFile = store.path + "/db-1/iamglass"
        var bytes = [UInt8](FileManager.default.contents(atPath: versionFile)!)
        #expect(Array(bytes[2..<14]) == Array("Xapian Glass".utf8))
        bytes[15] ^= 0x01
        FileManager.default.createFile(atPath: versionFile, contents: Data(bytes))
        do {
            _ = try Searcher(store: store)
            Issue.record("opened an index of another format")
        } catch {
            #expect(error.kind == .indexVersion)
            #expect(error.message.contains(store.path))
        }
    }
}
