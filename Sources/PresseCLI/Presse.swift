import ArgumentParser
import Glibc
import Presse

/// The `presse` command: each subcommand parses its arguments, calls the Presse library and
/// maps failure to an exit status (see ExitStatus).
struct Presse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presse",
        abstract: "Full-text search of press releases in English, French and German, by passage.",
        subcommands: [IndexCommand.self, AddCommand.self, RemoveCommand.self, WatchCommand.self, SearchCommand.self, ShardServeCommand.self,
                      ReplicateServeCommand.self, ReplicateCommand.self, CompactCommand.self,
                      StatsCommand.self, InspectCommand.self, LexiconCommand.self, SynonymsCommand.self, ServeCommand.self])
}

@main
enum Main {
    static func main() {
        do {
            // `presse serve …` goes to the server binary as typed, --help included.
            if CommandLine.arguments.count >= 2 && CommandLine.arguments[1] == "serve" {
                try ServeCommand.exec(Array(CommandLine.arguments.dropFirst(2)))
            }
            if let oneShot = OneShotSearch.arguments(CommandLine.arguments) {
                try SearchCommand.search(oneShot)
                return
            }
            var command = try Presse.parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            System.writeError("presse: \(FileSystem.oneLine(failure.message))\n")
            exit(failure.status.rawValue)
        } catch let status as ExitCode {
            exit(status.rawValue)  // a documented status (nothing found, partial): no message
        } catch {
            let code = Presse.exitCode(for: error)
            if code == .success {
                Presse.exit(withError: error)  // --help, --version
            }
            if code == .validationFailure {
                // ArgumentParser would print usage over several lines with exit 64; Presse
                // keeps to one line and its documented usage status.
                let message = Presse.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad arguments"
                System.writeError("presse: \(message) (see presse --help)\n")
                exit(ExitStatus.usage.rawValue)
            }
            Presse.exit(withError: error)
        }
    }
}
