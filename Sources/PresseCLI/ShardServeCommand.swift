import ArgumentParser
import Presse

/// `presse shard-serve`: one index served over Xapian's remote protocol, for `presse search`
/// elsewhere to search with others as one (issue 17).
struct ShardServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shard-serve",
        abstract: "Serve an index as a shard over Xapian's remote protocol (no authentication: keep it on a private network).",
        discussion: "Search it with `presse search --index LIST`, LIST a file with a `remote HOST:PORT` line per shard.")

    @OptionGroup var indexOptions: IndexOptions

    @Option(name: .long, help: "The TCP port to listen on.")
    var port: Int = 7300

    @Option(name: .long, help: ArgumentHelp("The address to listen on (default: loopback only).", valueName: "address"))
    var host: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("Connections served at once (each a process; a searching process holds one per thread); "
                                            + "one more is closed at once.", valueName: "n"))
    var maxConnections: Int = ShardServer.defaultMaxConnections

    func validate() throws {
        guard (1...4096).contains(maxConnections) else { throw ValidationError("--max-connections must be between 1 and 4096") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard !host.isEmpty else { throw ValidationError("--host needs an address") }
    }

    func run() throws {
        let store = indexOptions.chosenStore()
        let server = try running { () throws(PresseError) in try ShardServer(store: store, host: host, port: port, maxConnections: maxConnections) }
        System.writeOutput("serving \(FileSystem.display(store.path)) on \(host):\(port)\n")
        try running { () throws(PresseError) in try server.run() }
    }
}
