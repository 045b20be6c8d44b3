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

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard !host.isEmpty else { throw ValidationError("--host needs an address") }
    }

    func run() throws {
        let store = indexOptions.chosenStore()
        let server = try running { () throws(PresseError) in try ShardServer(store: store, host: host, port: port) }
        System.writeOutput("serving \(FileSystem.display(store.path)) on \(host):\(port)\n")
        try running { () throws(PresseError) in try server.run() }
    }
}
