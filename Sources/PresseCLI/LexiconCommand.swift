import ArgumentParser
import Presse

/// `presse lexicon`: builds (or rebuilds) the translation lexicon of cross-language search
/// ahead of the first search that would build it, and says where it is.
struct LexiconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexicon",
        abstract: "Build the translation lexicon (from Debian's FreeDict dictionaries and message catalogs) and print where it is.",
        discussion: """
            The lexicon is kept in $PRESSE_CACHE_DIR, else $XDG_CACHE_HOME/presse, else ~/.cache/presse; the \
            dictionaries are read from $PRESSE_DICTIONARIES, else /usr/share/dictd, the message catalogs from \
            $PRESSE_CATALOGS, else /usr/share/locale. A search builds it on first use; this builds it again.
            """)

    func run() throws {
        let (path, dictionaries) = TranslationLexicon.paths()
        let summary = try running { () throws(PresseError) in
            try TranslationLexicon.build(dictionaries: dictionaries, into: path)
        }
        System.writeOutput("\(FileSystem.display(summary.path)): \(summary.entries) entries, "
                           + "\(Rendering.megabytes(summary.bytes)) MB, built in \(Rendering.decimal(summary.seconds, places: 1)) s "
                           + "(\(summary.dictionaries) dictionaries; \(summary.pairs) message pairs of \(summary.catalogs) catalogs)\n")
    }
}
