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
        let languages: [Language] = [.english, .french, .german, .unknown]
        let updated = stats.lastUpdate.map(System.formatUTC)
        if json {
            let perLanguage = languages.map { "\(Rendering.quoted($0.rawValue)):\(stats.passagesPerLanguage[$0] ?? 0)" }
            print("{\"index\":\(Rendering.quoted(stats.path)),\"documents\":\(stats.documents),\"passages\":\(stats.passages)"
                + ",\"languages\":{\(perLanguage.joined(separator: ","))},\"size_bytes\":\(stats.sizeBytes)"
                + ",\"last_update\":\(updated.map(Rendering.quoted) ?? "null")}")
            return
        }
        print("index        \(stats.path)")
        print("releases     \(stats.documents)")
        print("passages     \(stats.passages)")
        for language in languages {
            print("  \(language.rawValue.padding(4))       \(stats.passagesPerLanguage[language] ?? 0)")
        }
        print("size         \(megabytes(stats.sizeBytes)) MB")
        print("last update  \(updated ?? "never")")
    }

    private func megabytes(_ bytes: Int) -> String {
        let hundredths = (bytes * 100 + 524_288) / 1_048_576
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
