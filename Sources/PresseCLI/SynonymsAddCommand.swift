import ArgumentParser
import Presse

struct SynonymsAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Make WORD also find each SYNONYM (a word or a phrase), or add a file's lines.",
        discussion: "A file has a line a word: WORD = SYNONYM, SYNONYM... (# starts a comment).")

    @OptionGroup var indexOptions: IndexOptions

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another writer.", valueName: "seconds"))
    var wait: Double = 0

    @Option(name: .long, help: ArgumentHelp("A synonyms file: WORD = SYNONYM, SYNONYM... a line.", valueName: "file"))
    var file: String?

    @Argument(help: "WORD SYNONYM... (quote a phrase: \"Munich biotech cluster\").")
    var words: [String] = []

    func validate() throws {
        guard wait >= 0 else { throw ValidationError("--wait takes a number of seconds, 0 or more") }
        if file == nil && words.count < 2 { throw ValidationError("give WORD and at least one SYNONYM, or --file FILE") }
        if file != nil && !words.isEmpty { throw ValidationError("give either WORD SYNONYM... or --file, not both") }
    }

    func run() throws {
        let synonyms = Synonyms(store: indexOptions.chosenStore(), wait: wait)
        let count = try running { () throws(PresseError) -> Int in
            if let file {
                guard case .success(let bytes) = FileSystem.read(file) else {
                    throw PresseError(.invalidArgument, "cannot read the synonyms file", context: file)
                }
                return try synonyms.add(Synonyms.parse(String(decoding: bytes, as: UTF8.self), file: file))
            }
            return try synonyms.add([(words[0], Array(words.dropFirst()))])
        }
        System.writeOutput("\(count) \(count == 1 ? "synonym" : "synonyms") added\n")
    }
}
