import Foundation
import Testing
@testable import Presse

/// A release read back whole (`presse serve`'s release view) and the reader pool that follows
/// the index as writers change it.
@Suite(.serialized)
final class StoredReleaseTests {
    let folder = TemporaryFolder()
    let store: IndexStore

    init() throws {
        store = IndexStore(path: folder.path + "/index")
        _ = try Indexer(store: store, jobs: 1).sync([SampleCorpus.folder])
    }

    @Test func aHitsReleaseIsItsStoredPassagesInOrder() throws {
        let searcher = try Searcher(store: store)
        let hit = try #require(try searcher.search("Firmengründung").hits.first)
        let release = try #require(try searcher.release(id: Rendering.releaseID(hit)))
        #expect(release.path == hit.path)
        #expect(release.title == hit.title)
        #expect(release.passages.count == hit.passageCount)
        #expect(release.passages[hit.passageIndex].text == hit.passage)
        #expect(release.passages[hit.passageIndex].start == hit.start)
        #expect(release.passages.map(\.start) == release.passages.map(\.start).sorted())
        #expect(release.languages.map(\.language) == [.english, .german])
        #expect(Rendering.json(release).hasPrefix("{\"id\":\"\(release.id)\""))
    }

    @Test(arguments: ["../../etc/passwd", "/etc/passwd", "", "0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0", "0123456789abcdef"])
    func anythingButAKnownKeyFindsNothing(id: String) throws {
        #expect(try Searcher(store: store).release(id: id) == nil)
    }

    @Test func thePoolFollowsCommits() throws {
        let pool = SearcherPool(store: store, keep: 2)
        let before = try pool.withSearcher { searcher throws(PresseError) in try searcher.search("zebrafish").total }
        #expect(before == 0)
        let file = folder.write("zebra.txt", "Zebrafish research in Lyon\n\nThe zebrafish consortium announced a partnership.\n")
        let stamp = store.revisionStamp()
        _ = try Indexer(store: store, jobs: 1).add([file])
        #expect(store.revisionStamp() != stamp)
        let after = try pool.withSearcher { searcher throws(PresseError) in try searcher.search("zebrafish").total }
        #expect(after == 1)
    }

    @Test func noIndexHasNoStamp() {
        #expect(IndexStore(path: folder.path + "/none").revisionStamp() == "")
    }
}
