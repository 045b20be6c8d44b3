import ArgumentParser
import Presse

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add or replace releases, all in one transaction.")

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var writerOptions: WriterOptions

    @Argument(help: "Release files.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one file to add") }
    }

    func run() throws {
        let indexer = Indexer(store: indexOptions.chosenStore(), jobs: 1, wait: writerOptions.wait)
        let summary = try running { () throws(PresseError) in try indexer.add(files) }
        let status = report(summary, quiet: writerOptions.quiet)
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
