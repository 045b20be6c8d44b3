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
            switch ReleaseReader.prepare(path: path, status: status) {
            case .skipped(_, let reason):
                System.writeError("presse: skipped \(file): \(reason)\n")
                failed = true
            case .ready(let release):
                print(json ? jsonObject(file, release) : text(file, release), terminator: json ? "\n" : "")
            }
        }
        if failed { throw ExitCode(ExitStatus.partial.rawValue) }
    }

    private func text(_ file: String, _ release: PreparedRelease) -> String {
        var out = "\(file)\n  title: \(release.title)\n"
        for passage in release.passages {
            let preview = Rendering.marked(passage.text, [], style: .plain)
            let shown = preview.count > 100 ? String(preview.prefix(97)) + "..." : preview
            out += "  [\(passage.ordinal)] \(passage.language.rawValue.padding(3)) \(passage.start)-\(passage.end)  \(shown)\n"
        }
        return out + "\n"
    }

    private func jsonObject(_ file: String, _ release: PreparedRelease) -> String {
        let passages = release.passages.map {
            "{\"lang\":\(Rendering.quoted($0.language.rawValue)),\"start\":\($0.start),\"end\":\($0.end),\"text\":\(Rendering.quoted($0.text))}"
        }
        return "{\"path\":\(Rendering.quoted(file)),\"title\":\(Rendering.quoted(release.title)),\"passages\":[\(passages.joined(separator: ","))]}"
    }
}
