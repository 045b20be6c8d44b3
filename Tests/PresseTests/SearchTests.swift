import Foundation
import Testing
@testable import Presse

/// Searching the sample corpus through the library, in each language.
@Suite(.serialized)
final class SearchTests {
    let folder = TemporaryFolder()
    let store: IndexStore
    let searcher: Searcher

    init() throws {
        store = IndexStore(path: folder.path + "/index")
        _ = try Indexer(store: store, jobs: 1).sync([SampleCorpus.folder])
        searcher = try Searcher(store: store)
    }

    private func first(_ query: String, _ language: Language? = nil) throws -> SearchHit? {
        try searcher.search(query, options: SearchOptions(language: language)).hits.first
    }

    @Test(arguments: [
        ("renewing partnerships", SampleCorpus.munichOsaka, Language.english),
        ("coopérations accrues", SampleCorpus.bioXclusters, .french),
        ("cooperations accrues", SampleCorpus.bioXclusters, .french),
        ("Firmengründung", SampleCorpus.munichOsaka, .german),
        ("firmengrundungen", SampleCorpus.munichOsaka, .german),
        ("uber die biom", SampleCorpus.munichOsaka, .german),
    ])
    func findsTheRightReleaseFirst(query: String, release: String, language: Language) throws {
        let hit = try #require(try first(query))
        #expect(hit.path.hasSuffix(release))
        #expect(hit.language == language)
    }

    @Test func aLanguageRestrictsAndStemsTheQuery() throws {
        let results = try searcher.search("cooperation", options: SearchOptions(language: .french))
        #expect(results.hits.first?.path.hasSuffix(SampleCorpus.bioXclusters) == true)
        #expect(results.hits.allSatisfy { $0.language == .french })
    }

    @Test func aHitIsAHighlightedPassage() throws {
        let hit = try #require(try first("coopérations accrues"))
        let release = SampleCorpus.text(SampleCorpus.bioXclusters)
        #expect(hit.passage.utf8.count < release.utf8.count)
        let bytes = Array(hit.passage.utf8)
        let words = hit.highlights.map { String(decoding: bytes[$0], as: UTF8.self).lowercased() }
        #expect(words.contains("coopération"))
        #expect(words.contains("accrue"))
        #expect(release.contains(hit.passage))
    }

    @Test func oneHitPerReleaseUnlessAllPassagesAreAsked() throws {
        let collapsed = try searcher.search("osaka", options: SearchOptions(limit: 50))
        #expect(Set(collapsed.hits.map(\.path)).count == collapsed.hits.count)
        #expect(collapsed.hits.contains { $0.morePassages > 0 })
        let all = try searcher.search("osaka", options: SearchOptions(limit: 50, allPassages: true))
        #expect(all.hits.count > collapsed.hits.count)
    }

    @Test func fieldsAndOperatorsWork() throws {
        #expect(try searcher.search("lang:de biom").hits.allSatisfy { $0.language == .german })
        #expect(try first("title:yokohama")?.path.hasSuffix("000_f5fcedb73f7cb6a5.txt") == true)
        // Phrases match on stems, as in Elasticsearch's language analyzers: "successful
        // partnerships" is the phrase in another inflection; the words apart are not.
        let phrase = try searcher.search("\"successful partnership\"", options: SearchOptions(limit: 50, allPassages: true))
        #expect(phrase.hits.count >= 2)
        for hit in phrase.hits {
            #expect(hit.passage.lowercased().contains("successful partnership"), "\(hit.passage.prefix(80))")
            #expect(!hit.highlights.isEmpty, "a phrase hit is highlighted: \(hit.passage.prefix(80))")
        }
        let reversed = try searcher.search("\"partnership successful\"")
        #expect(reversed.hits.isEmpty)
        #expect(try searcher.search("osaka -munich -japon", options: SearchOptions(limit: 50)).hits.allSatisfy { !$0.passage.contains("Munich") })
    }

    @Test func statisticsCountReleasesAndLanguages() throws {
        let stats = try searcher.statistics()
        #expect(stats.releases == 5)
        #expect(stats.passages == stats.passagesPerLanguage.values.reduce(0, +))
        #expect((stats.passagesPerLanguage[.german] ?? 0) >= 2)
        #expect((stats.passagesPerLanguage[.french] ?? 0) >= 2)
        #expect(stats.lastUpdate != nil)
    }
}
