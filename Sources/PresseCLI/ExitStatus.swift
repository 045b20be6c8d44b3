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
    case partial = 4
    /// Another writer holds the index (see --wait).
    case locked = 5
}

/// A failure with its one-line message and exit status.
struct CommandFailure: Error {
    var message: String
    var status: ExitStatus

    init(_ message: String, _ status: ExitStatus) {
        self.message = message
        self.status = status
    }

    init(_ error: PresseError) {
        message = error.message
        switch error.kind {
        case .indexLocked: status = .locked
        case .invalidArgument, .querySyntax: status = .usage
        case .badInput: status = .partial
        default: status = .indexError
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
