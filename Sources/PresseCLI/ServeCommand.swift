import ArgumentParser
import Glibc
import Presse

/// `presse serve`: runs the `presse-serve` binary built beside this one, with the same
/// arguments. The server (SwiftNIO, Hummingbird) is a binary of its own because linked into
/// `presse` it made every one-shot `presse search` start slower (README, "presse serve");
/// `presse` hands over with exec, so signals, exit status and output are the server's own.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a search page and a JSON API over the index (see presse serve --help).")

    @Argument(parsing: .captureForPassthrough, help: "presse serve's options: --index, --host, --port, --allow-writes, --token-file, --uploads.")
    var arguments: [String] = []

    func run() throws { try Self.exec(arguments) }

    /// Replaces this process with `presse-serve ARGUMENTS`; returns only by throwing.
    static func exec(_ arguments: [String]) throws(CommandFailure) -> Never {
        let server = serverPath()
        let argv = ["presse serve"] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(server, &cArguments)
        let reason = String(cString: strerror(errno))
        throw CommandFailure("cannot start \(server) (\(reason)): build it with `swift build --product presse-serve` beside presse",
                             .cannotServe)
    }

    /// presse-serve in this binary's own folder (from /proc/self/exe, whatever PATH says).
    static func serverPath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return "presse-serve" }
        let path = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return folder + "/presse-serve"
    }
}
