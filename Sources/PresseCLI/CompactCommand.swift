import ArgumentParser
import Presse

struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Rewrite the index without free space (Xapian's compactor); readers go on meanwhile.",
        discussion: """
            An index built by one writer (--jobs 1), or grown by many adds and syncs, takes about \
            twice the space it needs. The compacted copy replaces it in one step.
            """)

    @OptionGroup var indexOptions: IndexOptions

    @Option(name: .long, help: ArgumentHelp("Wait up to this many seconds for another writer to finish.", valueName: "seconds"))
    var wait: Double = 0

    func validate() throws {
        guard wait >= 0 else { throw ValidationError("--wait takes a number of seconds, 0 or more") }
    }

    func run() throws {
        let indexer = Indexer(store: indexOptions.chosenStore(), jobs: 1, wait: wait)
        let summary = try running { () throws(PresseError) in try indexer.compact() }
        System.writeOutput(summary.line + "\n")
    }
}
