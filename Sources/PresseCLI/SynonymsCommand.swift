import ArgumentParser
import Presse

/// `presse synonyms add|list|remove`: the user's synonyms and abbreviations, kept in the index.
struct SynonymsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synonyms",
        abstract: "Synonyms and abbreviations a query's words also find (kept in the index).",
        subcommands: [SynonymsAddCommand.self, SynonymsListCommand.self, SynonymsRemoveCommand.self])
}
