import ArgumentParser
import Presse

/// Options every subcommand that touches an index shares.
struct IndexOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The index folder (default: $PRESSE_INDEX, else ./Index).", valueName: "dir"))
    var index: String?

    /// The index the command works on. Once chosen, a crash inside Xapian (a damaged table)
    /// is reported as one line naming it, with exit status 3.
    func chosenStore() -> IndexStore { Self.chosenStore(index) }

    static func chosenStore(_ index: String?) -> IndexStore {
        let store = IndexStore.resolve(index)
        store.reportCrashesAsDamage(status: ExitStatus.indexError.rawValue)
        return store
    }
}

/// Options of the commands that write.
struct WriterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Wait up to this many seconds for another writer to finish.", valueName: "seconds"))
    var wait: Double = 0

    @Flag(name: .shortAndLong, help: "Print only the final summary.")
    var quiet = false

    func validate() throws {
        guard wait >= 0 else { throw ValidationError("--wait takes a number of seconds, 0 or more") }
    }
}

/// Prints what an indexing command did: skipped files as one-line warnings on stderr, the
/// summary on stdout; and picks the exit status.
func report(_ summary: IndexSummary, quiet: Bool) -> ExitStatus {
    for (path, reason) in summary.skipped {
        // A read error's reason starts with the path, which the line names already.
        let reason = reason.hasPrefix(path + ": ") ? String(reason.dropFirst(path.count + 2)) : reason
        System.writeError("presse: skipped \(FileSystem.oneLine(FileSystem.display(path))): \(FileSystem.oneLine(reason))\n")
    }
    for (path, reason) in summary.notes where !quiet {
        System.writeError("presse: \(FileSystem.oneLine(FileSystem.display(path))): \(FileSystem.oneLine(reason))\n")
    }
    print(summary.line)
    return summary.skipped.isEmpty ? .ok : .partial
}
