import ArgumentParser
import Glibc
import Presse

/// `presse replicate-serve`: the master's side of replicas (issue 17): serves the index to
/// `presse replicate` on other machines over Xapian's replication protocol.
struct ReplicateServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicate-serve",
        abstract: "Serve an index to its replicas (presse replicate) over Xapian's replication protocol, until Ctrl-C.",
        discussion: "Keep changesets (`presse index --changesets N`) so that replicas get what changed, not the whole index. No authentication or encryption: keep it on a private network or in a tunnel.")

    @OptionGroup var indexOptions: IndexOptions

    @Option(name: .long, help: "The TCP port to listen on (0: any free one, printed).")
    var port: Int = 7400

    @Option(name: .long, help: ArgumentHelp("The address to listen on (default: loopback only).", valueName: "address"))
    var host: String = "127.0.0.1"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard !host.isEmpty else { throw ValidationError("--host needs an address") }
    }

    func run() throws {
        let store = indexOptions.chosenStore()
        let server = try running { () throws(PresseError) in try ReplicationServer(store: store, host: host, port: port) }
        let shown = FileSystem.display(store.path)
        if store.keptChangesets() == nil {
            System.writeError("presse: warning: index \(shown) keeps no changesets: each change reaches replicas as a copy of the "
                + "whole index; keep them with `presse index --changesets N`\n")
        }
        if !["127.0.0.1", "::1", "localhost"].contains(host) {
            System.writeError("presse: warning: listening on \(host): other machines can copy the index, without authentication\n")
        }
        System.writeOutput("serving \(shown) to replicas on \(host):\(server.port) (Ctrl-C stops)\n")
        // Nothing to finish on a stop: a replica cut mid-transfer keeps its copy as it was
        // and asks again (Xapian applies a changeset whole or not at all). So the handler ends
        // the process itself (_exit is async-signal-safe), with status 0.
        for number in [SIGINT, SIGTERM] { signal(number) { _ in _exit(0) } }
        try running { () throws(PresseError) in try server.run() }
    }
}
