import Foundation
import Testing
@testable import Presse

/// Add, re-add, change, remove and folder sync, through the library.
struct IncrementalTests {
    @Test func addReplaceRemove() throws {
        let folder = TemporaryFolder()
        let store = IndexStore(path: folder.path + "/index")
        let indexer = Indexer(store: store, jobs: 1)
        let file = folder.write("corpus/release.txt", "Zanzibar cluster news\n\nThe zanzibar cluster signed an agreement.")

        var summary = try indexer.add([file])
        #expect(summary.added == 1)
        let passages = try Searcher(store: store).statistics().passages

        summary = try indexer.add([file])
        #expect(summary.added == 0 && summary.replaced == 0 && summary.unchanged == 1)
        #expect(try Searcher(store: store).statistics().passages == passages)

        folder.write("corpus/release.txt", "Zanzibar cluster news\n\nThe quokka programme replaced everything.")
        summary = try indexer.add([file])
        #expect(summary.replaced == 1)
        var searcher = try Searcher(store: store)
        #expect(try searcher.search("quokka").hits.count == 1)
        #expect(try searcher.search("agreement").hits.isEmpty)
        #expect(try searcher.statistics().releases == 1)

        summary = try indexer.remove([file])
        #expect(summary.removed == 1)
        searcher = try Searcher(store: store)
        #expect(try searcher.search("quokka").hits.isEmpty)
        #expect(try searcher.statistics().passages == 0)
        #expect(try indexer.remove([file]).removed == 0)
    }

    @Test func aReleaseRecordLivesAndChangesWithItsDocument() throws {
        let folder = TemporaryFolder()
        let database = try XapianDatabase(path: folder.path + "/db", mode: .create)
        let path = "/corpus/odd name\twith tab.txt"
        // Every bit of the hash and a time before the epoch survive the value's encoding.
        let record = ReleaseRecord(contentHash: 0xfedc_ba98_7654_3210, size: 26, modified: -1_700_000_000_123, passages: 1)
        let passage = Passage(ordinal: 0, text: "a quokka passage", start: 0, end: 16, language: .english)
        try database.beginTransaction()
        try database.addRelease(PreparedRelease(path: path, record: record, title: "Title", passages: [passage]))
        try database.commitTransaction()
        let key = ReleaseRecord.key(for: path)
        #expect(try database.records() == [key: record])
        #expect(try database.findRelease(key: key, withPath: true)?.path == path)
        #expect(try database.findRelease(key: ReleaseRecord.key(for: "/elsewhere.txt")) == nil)
        #expect(try database.findRelease(key: key)?.path == "", "the path is read only when asked")

        // A touched file: only the record changes.
        var touched = record
        touched.modified = 1_800_000_000_000_000_000
        try database.touchRelease(key: key, record: touched)
        try database.commit()
        #expect(try database.records()[key] == touched)
        #expect(try database.findRelease(key: key, withPath: true)?.path == path)

        try database.deleteRelease(key: key)
        try database.commit()
        #expect(try database.records().isEmpty)
    }

    @Test func aReleaseComesBackFromItsDocumentAsItWasWritten() throws {
        // The release data stores only what the text and the other values do not already say
        // (schema.cpp): a title that opens the first passage, and byte ranges longer or
        // shorter than their text (a web page's markup), must come back exact.
        let folder = TemporaryFolder()
        let store = IndexStore(path: folder.path + "/index")
        let database = try store.openWriter(wait: 0)
        let cases: [(path: String, title: String, passages: [(String, Int, Int)])] = [
            ("/r/opening.txt", "Zebra release", [("Zebra release announces zebras.", 0, 31), ("More zebras.", 33, 45)]),
            ("/r/elsewhere.html", "A headline of its own", [("Zebra text in markup.", 120, 400), ("Zebra tail.", 90, 95)]),
            ("/r/untitled.txt", "", [("Zebra without a title.", 7, 29)]),
        ]
        try database.beginTransaction()
        for release in cases {
            let passages = release.passages.enumerated().map { index, passage in
                Passage(ordinal: index, text: passage.0, start: passage.1, end: passage.2, language: .english)
            }
            let record = ReleaseRecord(contentHash: 1, size: 500, modified: 0, passages: passages.count)
            try database.addRelease(PreparedRelease(path: release.path, record: record, title: release.title, passages: passages))
        }
        try database.commitTransaction()
        let searcher = try Searcher(store: store)
        var options = SearchOptions(limit: 20, allPassages: true)
        options.highlight = false
        let hits = try searcher.search("zebra OR zebras", options: options).hits
        for release in cases {
            for (index, passage) in release.passages.enumerated() {
                let hit = hits.first { $0.path == release.path && $0.passageIndex == index }
                #expect(hit?.title == release.title, "\(release.path)")
                #expect(hit?.passage == passage.0)
                #expect(hit.map { [$0.start, $0.end] } == [passage.1, passage.2], "\(release.path) passage \(index)")
            }
        }
    }

    @Test func folderSync() throws {
        let folder = TemporaryFolder()
        let store = IndexStore(path: folder.path + "/index")
        let indexer = Indexer(store: store, jobs: 1)
        let corpus = folder.path + "/corpus"
        for n in 1...4 { folder.write("corpus/r\(n).txt", "Release \(n)\n\nThe release number \(n) mentions token\(n) once.") }
        var summary = try indexer.sync([corpus])
        #expect(summary.added == 4)

        folder.write("corpus/r5.txt", "Release 5\n\nA new release mentions token5.")
        folder.write("corpus/r1.txt", "Release 1\n\nThe first release now mentions changedtoken.")
        try FileManager.default.removeItem(atPath: corpus + "/r2.txt")
        // Same content, new modification time: read and hashed, but not replaced.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: corpus + "/r3.txt")
        summary = try indexer.sync([corpus])
        #expect(summary.added == 1)
        #expect(summary.replaced == 1)
        #expect(summary.removed == 1)
        #expect(summary.unchanged == 2)

        // Nothing changed since: nothing is read.
        summary = try indexer.sync([corpus])
        #expect(summary.unchanged == 4 && summary.bytesRead == 0)

        let searcher = try Searcher(store: store)
        #expect(try searcher.statistics().releases == 4)
        #expect(try searcher.search("token2").hits.isEmpty)
        #expect(try searcher.search("changedtoken").hits.count == 1)
        #expect(try searcher.search("token1").hits.isEmpty)
    }

    @Test func parallelBuildMatchesSingleWriter() throws {
        let folder = TemporaryFolder()
        let words = SampleCorpus.text(SampleCorpus.munichOsaka).split(separator: " ").map(String.init)
        // Three folders of 100 releases: the walk and the shards take files from all of them.
        for n in 0..<300 {
            let body = (0..<40).map { words[($0 * 7 + n * 13) % words.count] }.joined(separator: " ")
            folder.write("corpus/\(n / 100)/r\(n).txt", "Release \(n)\n\nUnique\(n) \(body).")
        }
        let one = IndexStore(path: folder.path + "/one"), two = IndexStore(path: folder.path + "/two")
        let single = try Indexer(store: one, jobs: 1).sync([folder.path + "/corpus"])
        var twoJobs = Indexer(store: two, jobs: 2)
        twoJobs.shardThreshold = 100
        let parallel = try twoJobs.sync([folder.path + "/corpus"])
        #expect(!single.sharded && parallel.sharded)
        #expect(single.added == 300 && parallel.added == 300, "every release of every folder")
        #expect(single.passages == parallel.passages)
        let a = try Searcher(store: one), b = try Searcher(store: two)
        for query in ["partnership osaka", "Unique17", "Unique150", "Unique299", "biotech", "\"long-standing\"", "bayerische"] {
            // Every hit, with its score; ties may come in another order (compaction renumbers
            // documents, and Xapian breaks ties by document number).
            func ranked(_ searcher: Searcher) throws -> [String] {
                try searcher.search(query, options: SearchOptions(limit: 1_000)).hits
                    .map { "\(Int(($0.score * 1e6).rounded())) \($0.path) \($0.passageIndex)" }.sorted()
            }
            let left = try ranked(a)
            #expect(!left.isEmpty, "query \(query)")
            #expect(left == (try ranked(b)), "query \(query)")
        }
        // A re-run after a parallel build sees every release as unchanged.
        #expect(try twoJobs.sync([folder.path + "/corpus"]).unchanged == single.added)
    }
}
