import Presse

/// Exit statuses, the same for every subcommand (README "Exit status").
enum ExitStatus: Int32 {
    case ok = 0
    /// A search found nothing; `remove` found none of its files in the index.
    case nothingFound = 1
    case usage = 2
    /// The index is missing, damaged, not an index, or of an unreadable format.
    case indexError = 3
    /// Some input files were skipped (unreadable, binary, empty); the rest were indexed.
    /// Chosen from an IndexSummary's skipped files, never from an error's kind.
    case partial = 4
    /// Another writer holds the index (see --wait).
    case locked = 5
    /// `presse serve` cannot serve: the address cannot be bound (in use, not this
    /// machine's), or the presse-serve binary is missing.
    case cannotServe = 6
}

/// A failure with its one-line message and exit status.
struct CommandFailure: Error {
    var message: String
    var status: ExitStatus

    init(_ message: String, _ status: ExitStatus) {
        self.message = message
        self.status = status
    }

    /// The library's error as the command line reports it: its message, with what to do
    /// about it added here (the library says what happened, not which command to run).
    init(_ error: PresseError) {
        message = error.message + (Self.advice(error.kind).map { ": " + $0 } ?? "")
        switch error.kind {
        case .indexLocked: status = .locked
        case .invalidArgument: status = .usage
        // .io too: the I/O failures that end a command are the index's (creating its folder,
        // writing its stub, reading its tables); an unreadable release is skipped, not thrown.
        case .indexNotFound, .indexCorrupt, .notAnIndex, .indexVersion, .indexModified, .io, .outOfMemory, .other, .shardUnavailable:
            status = .indexError
        }
    }

    /// What to do, for the kinds where the command line knows.
    static func advice(_ kind: PresseError.Kind) -> String? {
        switch kind {
        case .indexNotFound: "run `presse index` first"
        case .indexLocked: "wait for it to finish, or pass --wait SECONDS"
        case .indexCorrupt, .indexVersion: "rebuild it with `presse index --rebuild FOLDER...`"
        case .indexModified: "try again"
        default: nil
        }
    }
}

/// Runs library code and turns its PresseError into a CommandFailure.
func running<T>(_ body: () throws(PresseError) -> T) throws(CommandFailure) -> T {
    do {
        return try body()
    } catch {
        throw CommandFailure(error)
    }
}
