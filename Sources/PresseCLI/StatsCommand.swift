import ArgumentParser
import Presse

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Releases, passages per language, size and last update of an index.")

    @OptionGroup var indexOptions: IndexOptions

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func run() throws {
        let stats = try running { () throws(PresseError) in try Searcher(store: indexOptions.chosenStore()).statistics() }
        System.writeOutput(json ? Rendering.json(stats) + "\n" : Rendering.text(stats))
    }
}
