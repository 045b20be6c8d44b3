import ArgumentParser
import Presse

struct SynonymsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Print the synonyms, a line a word: WORD = SYNONYM, SYNONYM... (a synonyms file).")

    @OptionGroup var indexOptions: IndexOptions

    func run() throws {
        let entries = try running { () throws(PresseError) in try Synonyms(store: indexOptions.chosenStore()).list() }
        System.writeOutput(entries.map { "\($0.word) = \($0.synonyms.joined(separator: ", "))\n" }.joined())
    }
}
