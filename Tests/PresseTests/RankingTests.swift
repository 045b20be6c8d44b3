import Foundation
import Testing
@testable import Presse

/// Ranking on a release's whole text, the passage shown, exact forms and German compounds.
struct RankingTests {
    /// Indexes `releases` (file name → text) and returns a searcher over them.
    private func index(_ releases: [String: String]) throws -> (TemporaryFolder, Searcher) {
        let folder = TemporaryFolder()
        for (name, text) in releases { folder.write("corpus/" + name, text) }
        let store = IndexStore(path: folder.path + "/index")
        _ = try Indexer(store: store, jobs: 1).sync([folder.path + "/corpus"])
        return (folder, try Searcher(store: store))
    }

    private func names(_ results: SearchResults) -> [String] {
        results.hits.map { ($0.path as NSString).lastPathComponent }
    }

    @Test func aReleaseIsRankedOnAllOfItsPassages() throws {
        // "spread" holds both words in two paragraphs; "single" holds one word, more often,
        // in one paragraph. Ranked by its best paragraph alone, "single" came first.
        let filler = "The delegation met partners from many regions during the week of the fair."
        let (_, searcher) = try index([
            "spread.txt": "Annual report\n\nThe zebrafish platform opened in spring.\n\n\(filler)\n\nA new incubator for startups was announced, next to the zebrafish platform.",
            "single.txt": "Lab news\n\nThe zebrafish zebrafish zebrafish facility.\n\n\(filler)\n\nNothing else happened.",
        ])
        let results = try searcher.search("zebrafish incubator")
        #expect(names(results) == ["spread.txt", "single.txt"])
        // The passage shown is the one that holds both words, and the other matching one is
        // counted.
        let top = try #require(results.hits.first)
        #expect(top.passage.hasPrefix("A new incubator"), "\(top.passage)")
        #expect(top.morePassages == 1)
        // Asked for no hits: the count alone.
        let none = try searcher.search("zebrafish incubator", options: SearchOptions(limit: 0))
        #expect(none.hits.isEmpty && none.total == 2)
    }

    @Test func thePassageThatHoldsThePhraseIsShown() throws {
        let (_, searcher) = try index([
            "r.txt": "Title line\n\nThe partnership was successful in many ways, the report says.\n\nIt was a successful partnership between two clusters.\n\nOther news follows here.",
        ])
        let hit = try #require(try searcher.search("\"successful partnership\"").hits.first)
        #expect(hit.passage.hasPrefix("It was a successful partnership"))
        let all = try searcher.search("\"successful partnership\"", options: SearchOptions(allPassages: true))
        #expect(all.hits.count == 1, "only the passage with the phrase: \(all.hits.map(\.passage))")
    }

    @Test func anExactFormRanksItsExactMatchFirst() throws {
        let (_, searcher) = try index([
            "accented.txt": "Profile\n\nPlease send your résumé to the cluster office before Friday.",
            "plain.txt": "Profile\n\nPlease send your resume to the cluster office before Friday.",
        ])
        #expect(names(try searcher.search("résumé")) == ["accented.txt", "plain.txt"])
        #expect(names(try searcher.search("resume")) == ["plain.txt", "accented.txt"])
        let (_, inflected) = try index([
            "plural.txt": "Notes\n\nThe clusters signed new partnerships with Osaka this week.",
            "singular.txt": "Notes\n\nThe clusters signed a new partnership with Osaka this week.",
        ])
        #expect(names(try inflected.search("partnerships")) == ["plural.txt", "singular.txt"])
        #expect(names(try inflected.search("partnership")) == ["singular.txt", "plural.txt"])
    }

    @Test func aGermanCompoundIsFoundByItsParts() throws {
        let (_, searcher) = try index([
            "de.txt": "Neuigkeiten\n\nDie Firmengründung wurde im Mai mit dem Biotechnologieunternehmen aus München gefeiert. Weitere Details folgen in Kürze.",
            "en.txt": "News\n\nThe company was founded in May. More details will follow soon.",
        ])
        for (query, compound) in [("Gründung", "Firmengründung"), ("Unternehmen", "Biotechnologieunternehmen"),
                                  ("Biotechnologie", "Biotechnologieunternehmen")] {
            // In German words only: translated, "Gründung" also finds the English "founded".
            let hits = try searcher.search(query, options: SearchOptions(translate: false)).hits
            #expect(try searcher.search(query).hits.contains { $0.path.hasSuffix("de.txt") && $0.language == .german },
                    "translation does not lose the compound: \(query)")
            #expect(hits.map { ($0.path as NSString).lastPathComponent } == ["de.txt"], "query \(query)")
            let hit = try #require(hits.first)
            #expect(hit.language == .german)
            // The compound that holds the query's word is what is highlighted.
            let marked = hit.highlights.map { String(decoding: Array(hit.passage.utf8)[$0], as: UTF8.self) }
            #expect(marked.contains(compound), "query \(query): \(marked)")
        }
        // A part stands next to no word: no phrase joins it to the words around its compound.
        #expect(try searcher.search("\"Gründung wurde\"").hits.isEmpty)
        let (_, region) = try index(["r.txt": "Wachstum Region Bayern: die Firmengründung im Mai war ein Erfolg für alle Beteiligten."])
        #expect(try region.search("Gründung").hits.count == 1)
        #expect(try region.search("\"Gründung Region\"").hits.isEmpty, "a part placed at the passage's first word")
        #expect(try searcher.search("\"Firmengründung wurde\"").hits.count == 1)
        // The compound itself ranks its own spelling above its parts written apart.
        let (_, apart) = try index([
            "compound.txt": "Neuigkeiten\n\nDas Biotechnologieunternehmen aus München wächst weiter und stellt neue Mitarbeiter ein.",
            "apart.txt": "Neuigkeiten\n\nDas Unternehmen für Biotechnologie aus München wächst weiter und stellt neue Mitarbeiter ein.",
        ])
        #expect(names(try apart.search("Biotechnologieunternehmen")) == ["compound.txt", "apart.txt"])
    }

    /// `title:` finds a word in a release's title, whether the title opens the release's text
    /// (found by positions there: schema 7) or stands apart from it (an e-mail's subject,
    /// found by title terms), and not a word of the text below the title.
    @Test func titleFindsTitlesThatOpenTheTextAndThoseThatDoNot() throws {
        let (_, searcher) = try index([
            "opening.txt": "Kyoto biotech alliance renewed\n\nThe cluster renewed its alliance with partners in Osaka, a biotech hub.",
            "subject.eml": "From: press@example.org\nSubject: Osaka biotech alliance announced\nContent-Type: text/plain; charset=utf-8\n\nThe cluster signed an agreement with partners in Kyoto.\n",
            "body.txt": "Annual notes\n\nA biotech alliance between Kyoto and Osaka was discussed at the fair.",
        ])
        #expect(names(try searcher.search("title:kyoto")) == ["opening.txt"])
        #expect(names(try searcher.search("title:osaka")) == ["subject.eml"])
        #expect(Set(names(try searcher.search("title:biotech"))) == ["opening.txt", "subject.eml"])
        #expect(Set(names(try searcher.search("title:allianc*"))) == ["opening.txt", "subject.eml"])
        #expect(names(try searcher.search("title:partners")).isEmpty, "a word of the text only")
        #expect(Set(names(try searcher.search("title:\"biotech alliance\""))) == ["opening.txt", "subject.eml"])
        #expect(names(try searcher.search("title:\"alliance biotech\"")) == ["subject.eml"],
                "a subject line has no positions: its words together stand for the phrase")
        // A title word found by position ranks and shows its release like any word.
        let hit = try #require(try searcher.search("title:kyoto renewed").hits.first)
        #expect(hit.passage.hasPrefix("Kyoto biotech alliance renewed"), "\(hit.passage)")
    }
}
