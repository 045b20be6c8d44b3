internal import CXapian
import Glibc

/// The translation lexicon of cross-language search: Debian's FreeDict dictionaries (English,
/// French and German, each way), with the word translations learnt from the system's message
/// catalogs (Sources/CXapian/catalogs.h), compiled once into a file the bridge maps into memory
/// (Sources/CXapian/lexicon.cpp). It lives in the user's cache, not in the index: it is the
/// same for every index, and it must not count in an index's size.
public enum TranslationLexicon {
    /// Where the compiled lexicon is kept (`$PRESSE_CACHE_DIR`, else `$XDG_CACHE_HOME/presse`,
    /// else `~/.cache/presse`) and where the dictionaries are read from (`$PRESSE_DICTIONARIES`,
    /// else `/usr/share/dictd`).
    public static func paths() -> (lexicon: String, dictionaries: String) {
        var lexicon = cx_bytes(), dictionaries = cx_bytes()
        defer { cx_bytes_free(&lexicon); cx_bytes_free(&dictionaries) }
        var error = cx_error()
        defer { cx_error_clear(&error) }
        guard cx_lexicon_paths(&lexicon, &dictionaries, &error) == CX_OK else { return ("", "/usr/share/dictd") }
        return (string(lexicon.data, lexicon.length), string(dictionaries.data, dictionaries.length))
    }

    public struct Summary: Sendable {
        public var path: String
        public var entries: Int
        public var bytes: Int
        /// Dictionaries read; message catalogs learnt from, and their distinct message pairs.
        public var dictionaries: Int
        public var catalogs: Int
        public var pairs: Int
        public var seconds: Double
    }

    /// Compiles the dictionaries, and what the message catalogs teach, into the lexicon (replacing
    /// it). Throws `.notFound` naming a missing dictionary.
    public static func build(dictionaries: String, into path: String) throws(PresseError) -> Summary {
        guard !path.isEmpty else {
            throw PresseError(.invalidArgument, "no place for the translation lexicon: set PRESSE_CACHE_DIR or HOME")
        }
        let started = monotonicSeconds()
        var summary = cx_lexicon_summary()
        var error = cx_error()
        defer { cx_error_clear(&error) }
        let status = cx_lexicon_build(dictionaries, path, &summary, &error)
        guard status == CX_OK else {
            let detail = error.message.map { String(cString: $0) } ?? String(cString: cx_status_to_string(status))
            throw PresseError(.io, "cannot build the translation lexicon: \(detail)")
        }
        return Summary(path: path, entries: Int(summary.entries), bytes: Int(summary.bytes),
                       dictionaries: Int(summary.dictionaries), catalogs: Int(summary.catalogs), pairs: Int(summary.pairs),
                       seconds: monotonicSeconds() - started)
    }

    /// Whether searches can translate.
    public enum State: Sendable, Equatable {
        case ready(path: String)
        /// Why not, in one line ("the FreeDict dictionaries are not installed...").
        case unavailable(String)
    }

    /// The lexicon, opened once per process: built first when there is none (or one of an
    /// earlier format), with a line on stderr at a terminal, since that takes seconds once.
    /// Never throws: a search without a lexicon is still a search, in each language's own words.
    public static let shared: State = prepare { if isatty(2) != 0 { System.writeError($0) } }

    static func prepare(announce: (String) -> Void) -> State {
        let (path, dictionaries) = paths()
        func ready() -> Bool {
            var error = cx_error()
            defer { cx_error_clear(&error) }
            return !path.isEmpty && cx_lexicon_check(path, &error) == CX_OK
        }
        if ready() { return .ready(path: path) }
        // Processes that all find no lexicon (a batch of one-shot searches on a new machine)
        // build it once: the first takes the lock, the others wait for it and find its lexicon.
        let lock = path.isEmpty ? -1 : lockFile(path + ".lock")
        defer { if lock >= 0 { close(lock) } }
        if ready() { return .ready(path: path) }
        announce("presse: building the translation lexicon from \(dictionaries) (once)...\n")
        do {
            let summary = try build(dictionaries: dictionaries, into: path)
            announce("presse: built \(FileSystem.display(summary.path)) (\(Rendering.megabytes(summary.bytes)) MB, "
                     + "\(Rendering.decimal(summary.seconds, places: 1)) s)\n")
        } catch {
            return .unavailable("\(error.message); searching without translation")
        }
        var reopened = cx_error()
        defer { cx_error_clear(&reopened) }
        guard cx_lexicon_check(path, &reopened) == CX_OK else {
            let detail = reopened.message.map { String(cString: $0) } ?? "unreadable"
            return .unavailable("the translation lexicon cannot be opened (\(detail)); searching without translation")
        }
        return .ready(path: path)
    }

    /// An exclusive lock on `path` (created, with its folder), held until the descriptor is
    /// closed; -1 when it cannot be had (the build then goes ahead unlocked).
    private static func lockFile(_ path: String) -> Int32 {
        // mkdir -p of the cache folder.
        var folder = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/").dropLast() {
            folder += "/" + part
            _ = FileSystem.makeDirectory(folder)
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return -1 }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { close(fd); return -1 }
        }
        return fd
    }
}
