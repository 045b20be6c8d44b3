import ArgumentParser
import Presse

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show how files would be split into passages and which language each gets, without indexing.")

    @Flag(name: .long, help: "One JSON object per file, one per line.")
    var json = false

    @Argument(help: "Release files.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one file to inspect") }
    }

    func run() throws {
        var failed = false
        var learnt: [String: RepeatedLines] = [:]
        for file in files {
            let path = FileSystem.absolute(file)
            let status: FileSystem.Status
            switch FileSystem.status(path) {
            case .failure(let error):
                System.writeError("presse: \(error.message)\n")
                failed = true
                continue
            case .success(let found): status = found
            }
            // The folder's furniture, learnt from its releases as `presse index` would.
            let folder = RepeatedLines.folder(of: path)
            if learnt[folder] == nil { learnt[folder] = RepeatedLines.learn(folderOf: path) }
            switch ReleaseReader.prepare(path: path, status: status, repeated: learnt[folder]!) {
            case .skipped(_, let reason):
                System.writeError("presse: skipped \(file): \(reason)\n")
                failed = true
            case .ready(let release):
                System.writeOutput(json ? Rendering.json(release, shownAs: file) + "\n" : Rendering.text(release, shownAs: file))
            }
        }
        if failed { throw ExitCode(ExitStatus.partial.rawValue) }
    }
}
