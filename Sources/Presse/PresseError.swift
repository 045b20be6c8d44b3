internal import CXapian

/// Every failure Presse reports: a kind that callers can match, a one-line message that says
/// what happened, and the path or query that caused it (GRDB's habit). What to do about it
/// ("run `presse index`", "pass --wait SECONDS") is the front end's to say: the command line
/// adds it by kind (PresseCLI/ExitStatus.swift), a server would say it otherwise.
public struct PresseError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case indexNotFound, indexLocked, indexCorrupt, notAnIndex, indexVersion, indexModified
        case invalidArgument, outOfMemory
        /// A file or folder could not be read or written (an errno failure, or Xapian's
        /// DatabaseError on the index's files).
        case io
        /// A remote shard could not be reached, or did not answer in time (issue 17).
        case shardUnavailable
        case other
    }

    public let kind: Kind
    public let message: String
    public let context: String?

    public init(_ kind: Kind, _ message: String, context: String? = nil) {
        self.kind = kind
        self.message = message
        self.context = context
    }

    public var description: String { message }

    /// True for the failures that mean "the index itself is the problem".
    public var isIndexError: Bool {
        switch kind {
        case .indexNotFound, .indexCorrupt, .notAnIndex, .indexVersion, .indexModified, .io: true
        default: false
        }
    }
}

extension PresseError {
    /// The bridge's status as a PresseError; `detail` is the bridge's own message, `context`
    /// the index path (or query) the call worked on.
    static func fromBridge(_ status: cx_status, detail: String, context: String?) -> PresseError {
        let path = context ?? "the index"
        let (kind, message): (Kind, String) = switch status {
        case CX_NOT_FOUND: (.indexNotFound, "no index at \(path)")
        case CX_LOCKED: (.indexLocked, "index \(path) is locked by another writer")
        case CX_CORRUPT: (.indexCorrupt, "index \(path) is damaged (\(detail))")
        case CX_OPENING: (.notAnIndex, "\(path) is not a Presse index (\(detail))")
        case CX_VERSION: (.indexVersion, "index \(path) was written in a format this Presse cannot read (\(detail))")
        case CX_MODIFIED: (.indexModified, "index \(path) kept changing while being read")
        case CX_INVALID_ARGUMENT: (.invalidArgument, detail)
        case CX_OUT_OF_MEMORY: (.outOfMemory, "out of memory while working on \(path)")
        case CX_IO: (.io, "index \(path): \(detail)")
        case CX_NETWORK: (.shardUnavailable, detail)
        default: (.other, "\(path): \(detail)")
        }
        return PresseError(kind, message, context: context)
    }
}
