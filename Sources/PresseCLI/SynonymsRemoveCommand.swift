import ArgumentParser
import Presse

struct SynonymsRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a word's synonyms: the ones named, or all of them.")

    @OptionGroup var indexOptions: IndexOptions

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another writer.", valueName: "seconds"))
    var wait: Double = 0

    @Argument(help: "WORD [SYNONYM...]")
    var words: [String] = []

    func validate() throws {
        guard wait >= 0 else { throw ValidationError("--wait takes a number of seconds, 0 or more") }
        guard !words.isEmpty else { throw ValidationError("name the word whose synonyms to remove") }
    }

    func run() throws {
        let synonyms = Synonyms(store: indexOptions.chosenStore(), wait: wait)
        let removed = try running { () throws(PresseError) -> Int in
            if words.count == 1 { return try synonyms.remove(words[0], synonym: nil) }
            var removed = 0
            for synonym in words.dropFirst() { removed += try synonyms.remove(words[0], synonym: synonym) }
            return removed
        }
        System.writeOutput("\(removed) \(removed == 1 ? "synonym" : "synonyms") removed\n")
        if removed == 0 { throw ExitCode(ExitStatus.nothingFound.rawValue) }
    }
}
