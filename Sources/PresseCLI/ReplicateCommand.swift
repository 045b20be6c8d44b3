import ArgumentParser
import Presse

/// `presse replicate`: keeps a read-only copy of an index on this machine in step with its
/// master, `presse replicate-serve` on the machine that writes it (issue 17). The copy is
/// searched and served as any index (`presse search --index`, `presse serve --index`) while
/// it is updated.
struct ReplicateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicate",
        abstract: "Keep a read-only copy of an index in step with its master (presse replicate-serve), until Ctrl-C.",
        discussion: "Xapian's replication: the changesets the copy lacks, or the whole index when they are not kept. No authentication or encryption: keep it on a private network or in a tunnel.")

    @OptionGroup var indexOptions: IndexOptions

    @Option(name: .long, help: ArgumentHelp("The master: `presse replicate-serve`'s address.", valueName: "host:port"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("Ask the master every this many seconds, instead of being sent each commit as it is made (for a link that drops quiet connections).", valueName: "seconds"))
    var interval: Double?

    @Flag(name: .long, help: "Bring the copy in step once, then exit (status 3 when the master cannot be reached).")
    var once = false

    @Flag(name: .shortAndLong, help: "No line per update: only failures, and the first update.")
    var quiet = false

    func validate() throws {
        guard Replica.Master(from) != nil else { throw ValidationError("--from takes HOST:PORT (a port from 1 to 65535), not '\(from)'") }
        if let interval, !(interval > 0 && interval <= 86_400) { throw ValidationError("--interval takes a number of seconds above 0, up to 86400") }
    }

    func run() throws {
        let store = indexOptions.chosenStore()
        let master = Replica.Master(from)!
        let replica: Replica
        do {
            replica = try Replica(store: store, master: master, interval: interval)
        } catch let error where error.kind == .indexLocked {
            throw CommandFailure(error.message, .locked)  // another `presse replicate`: nothing to wait for
        } catch {
            throw CommandFailure(error)
        }
        let shown = FileSystem.display(store.path)
        let quiet = self.quiet
        if !once {
            System.writeError("presse: replicating \(master) into \(shown) (Ctrl-C stops)\n")
            StopSignals.install { replica.stop() }
        }
        var updates = 0
        do {
            try replica.run(once: once) { event in
                switch event {
                case .updated(let update):
                    updates += 1
                    if !quiet || updates == 1 { System.writeError("presse: \(Self.line(update, master: master))\n") }
                case .unreachable(let reason):
                    System.writeError("presse: master \(master) is unreachable (\(reason)): trying again every \(Int(Replica.retrySeconds)) s\n")
                case .failed(let reason):
                    System.writeError("presse: replication from \(master) failed (\(reason)): trying again every \(Int(Replica.retrySeconds)) s\n")
                case .back:
                    System.writeError("presse: master \(master) answers again\n")
                }
            }
        } catch {
            throw CommandFailure(error)
        }
        // Stopped by SIGINT or SIGTERM, or --once done: exit 0.
    }

    /// "copied 10.0.0.5:7400 whole: revision 12, 2100 releases", "1 changeset applied:
    /// revision 13, 2101 releases", "in step with 10.0.0.5:7400: revision 13, 2101 releases".
    /// (No time: a master waits for a change before it answers, so an exchange's length says
    /// nothing.)
    static func line(_ update: Replica.Update, master: Replica.Master) -> String {
        let state = "revision \(update.revision), \(update.releases) release\(update.releases == 1 ? "" : "s")"
        if update.fullCopies > 0 {
            let more = update.changesets > 0 ? " and \(update.changesets) changeset\(update.changesets == 1 ? "" : "s") applied" : ""
            return "copied \(master) whole\(more): \(state)"
        }
        if update.changesets > 0 {
            return "\(update.changesets) changeset\(update.changesets == 1 ? "" : "s") applied: \(state)"
        }
        return "in step with \(master): \(state)"
    }
}
