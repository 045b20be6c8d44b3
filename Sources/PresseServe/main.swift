import ArgumentParser
import Glibc
import Presse
import PresseServer

/// `presse serve`, as `presse` execs it (PresseCLI/ServeCommand.swift): a binary of its own so
/// that the server's libraries cost a one-shot `presse search` nothing.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presse serve",
        abstract: "Serve a search page and a JSON API over the index.",
        discussion: """
            Listens on 127.0.0.1 unless --host names another address. Writes (POST and DELETE \
            /api/releases) are off unless --allow-writes and --token-file are given. Stops \
            gracefully on SIGINT or SIGTERM.
            """)

    @Option(name: .long, help: ArgumentHelp("The index folder (default: $PRESSE_INDEX, else ./Index).", valueName: "dir"))
    var index: String?

    @Option(name: .long, help: "The address to listen on; anything but loopback is reachable from other machines.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port (0: any free one, printed).")
    var port = 8080

    @Flag(name: .long, help: "Accept uploads and deletions (needs --token-file).")
    var allowWrites = false

    @Option(name: .long, help: ArgumentHelp("A file holding the bearer token writes must send.", valueName: "file"))
    var tokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Where uploaded releases are kept (default: the index folder's name + \"-uploads\").", valueName: "dir"))
    var uploads: String?

    @Flag(name: .long, help: "Keep the index in step with FOLDERs while serving, as presse watch does.")
    var watch = false

    @Argument(help: "With --watch, the folders to watch (default: Corpus).")
    var folders: [String] = []

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if allowWrites && tokenFile == nil { throw ValidationError("--allow-writes needs --token-file FILE (the token writes must send)") }
        if tokenFile != nil && !allowWrites { throw ValidationError("--token-file goes with --allow-writes") }
        if !folders.isEmpty && !watch { throw ValidationError("folders go with --watch (the folders to keep the index in step with)") }
    }

    func run() async throws {
        let store = IndexStore.resolve(index)
        // A damaged table that crashes Xapian ends the server with one line, as it ends a search.
        store.reportCrashesAsDamage(status: 3)
        // A replica (issue 17) is written by its master's changes only.
        if store.isReplica && (allowWrites || watch) {
            throw ValidationError("\(store.path) is a replica, read-only: serve it without --allow-writes and --watch "
                + "(write the master's index)")
        }
        // Before any thread: setenv is not safe while another thread reads the environment.
        store.keepChangesetsIfAsked()
        var settings = ServerSettings(store: store, uploads: uploads)
        settings.host = host
        settings.port = port
        if let tokenFile {
            settings.writeToken = try Self.token(from: tokenFile)
        }
        if !settings.isLoopback {
            System.writeError("presse: warning: listening on \(host): other machines can reach this server"
                              + (settings.writeToken != nil ? " and, with the token, change the index" : "") + "\n")
        }
        if !watch, case .failure(let error) = Result(catching: { () throws(PresseError) in try Searcher(store: store) }) {
            System.writeError("presse: warning: \(error.message); answering 503 until it can be opened\n")
        }
        // The watcher is made before the listener: a missing folder is a usage error, not a
        // server that silently watches nothing.
        let background = watch ? [WatcherService(try Self.watcher(store: store, folders: folders.isEmpty ? ["Corpus"] : folders))] : []
        do {
            try await PresseServer.run(settings, background: background, listening: { address in
                System.writeOutput("presse: serving \(store.path) at http://\(address)/ (Ctrl-C stops)\n")
            })
        } catch {
            System.writeError("presse: cannot serve on \(host):\(port): \(error)\n")
            throw ExitCode(6)
        }
    }

    /// `presse watch`'s watcher, logging as it does (one line per change on stderr).
    static func watcher(store: IndexStore, folders: [String]) throws -> FolderWatcher {
        do {
            return try FolderWatcher(store: store, folders: folders) { event in
                if case .synced(let summary) = event { System.writeError("presse: \(summary.line)\n") }
                if let line = event.logLine(quiet: false) { System.writeError(line + "\n") }
            }
        } catch {
            System.writeError("presse: \(FileSystem.oneLine(error.message))\n")
            throw ExitCode(error.kind == .invalidArgument ? 2 : 3)
        }
    }

    /// The token: the file's first line, without surrounding whitespace; at least 16 bytes.
    static func token(from path: String) throws -> String {
        guard case .success(let bytes) = FileSystem.read(path) else {
            throw ValidationError("cannot read the token file \(path)")
        }
        let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        let token = line.trimmingCharacters(in: " \t\r")
        guard token.utf8.count >= 16 else { throw ValidationError("the token in \(path) is shorter than 16 characters") }
        return token
    }
}

/// Usage errors are one line with exit status 2, as in every `presse` command.
@main
enum ServeMain {
    static func main() async {
        do {
            var command = try ServeCommand.parseAsRoot()
            if let serve = command as? ServeCommand {
                try await serve.run()
            } else {
                try command.run()
            }
        } catch let status as ExitCode {
            exit(status.rawValue)
        } catch {
            let code = ServeCommand.exitCode(for: error)
            if code == .success { ServeCommand.exit(withError: error) }  // --help
            let message = ServeCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad arguments"
            System.writeError("presse: \(message) (see presse serve --help)\n")
            exit(2)
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
