/// Every failure Presse reports: a kind that callers can match, a one-line message that says
/// what happened and what to do, and the path or query that caused it (GRDB's habit).
public struct PresseError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case indexNotFound, indexLocked, indexCorrupt, notAnIndex, indexVersion, indexModified
        case querySyntax, invalidArgument, outOfMemory, io, badInput, other
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
