import ArgumentParser
import Presse

struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove releases (every passage of each), all in one transaction.")

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var writerOptions: WriterOptions

    @Argument(help: "Release files, as they were indexed (they need not exist any more).")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one file to remove") }
    }

    func run() throws {
        let indexer = Indexer(store: indexOptions.chosenStore(), jobs: 1, wait: writerOptions.wait)
        let summary = try running { () throws(PresseError) in try indexer.remove(files) }
        _ = report(summary, quiet: false)
        if summary.removed == 0 { throw ExitCode(ExitStatus.nothingFound.rawValue) }
    }
}
