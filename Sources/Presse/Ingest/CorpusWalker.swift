/// Finds the release files under the paths a user names: folders recursively (hidden entries
/// and temporaries skipped: isReleaseName), symbolic links followed once, loops and unreadable
/// entries reported, not fatal.
public struct CorpusWalk: Sendable {
    /// Regular files with the status the walk read, so nobody stats them twice.
    public var files: [(path: String, status: FileSystem.Status)] = []
    public var problems: [(path: String, reason: String)] = []
    /// The absolute roots that exist: only releases below these may be removed by a sync.
    public var roots: [String] = []
}

public enum CorpusWalker {
    /// Whether a folder entry may be a release: not hidden (`.draft.txt`, vim's `.x.swp`,
    /// gedit's `.goutputstream-*`, emacs's `.#x` lock), and not an editor's or a browser's
    /// temporary (`x~` backups, emacs's `#x#` autosaves, Word's `~$x.docx` owner files, `.swp`,
    /// `.tmp`, unfinished downloads `.part`, `.crdownload`). The one filter of `index` and
    /// `watch`, so that the two agree.
    public static func isReleaseName(_ name: String) -> Bool {
        if name.hasPrefix(".") || name.hasSuffix("~") || name.hasPrefix("~$") || (name.hasPrefix("#") && name.hasSuffix("#")) {
            return false
        }
        let lower = name.lowercased()
        return ![".swp", ".tmp", ".part", ".crdownload"].contains { lower.hasSuffix($0) }
    }

    /// Whether a folder holds an index (`presse index .` keeps it inside the folder it
    /// indexes): it is not walked, nor watched.
    public static func holdsIndex(_ names: [String]) -> Bool { names.contains("XAPIANDB") || names.contains("iamglass") }

    public static func walk(_ paths: [String]) -> CorpusWalk {
        var walk = CorpusWalk()
        var visited = Set<[UInt64]>()
        for path in paths {
            let absolute = FileSystem.absolute(path)
            switch FileSystem.status(absolute) {
            case .failure(let error):
                walk.problems.append((absolute, reason(error)))
            case .success(let status):
                walk.roots.append(absolute)
                if status.isDirectory {
                    visit(absolute, status, &walk, &visited)
                } else if status.isRegularFile {
                    walk.files.append((absolute, status))
                } else {
                    walk.problems.append((absolute, "not a regular file"))
                }
            }
        }
        return walk
    }

    private static func visit(_ directory: String, _ status: FileSystem.Status, _ walk: inout CorpusWalk,
                              _ visited: inout Set<[UInt64]>) {
        guard visited.insert([status.device, status.inode]).inserted else {
            walk.problems.append((directory, "symbolic-link loop (folder already visited)"))
            return
        }
        let names: [String]
        switch FileSystem.entries(directory) {
        case .failure(let error):
            walk.problems.append((directory, reason(error)))
            return
        case .success(let list): names = list
        }
        // An index kept inside the folder it indexes (`presse index .`) is not a release.
        if holdsIndex(names) { return }
        for name in names where !name.hasPrefix(".") {
            let path = directory + "/" + name
            switch FileSystem.status(path) {
            case .failure(let error):
                walk.problems.append((path, reason(error)))
            case .success(let child):
                if child.isDirectory {
                    visit(path, child, &walk, &visited)
                } else if child.isRegularFile && isReleaseName(name) {
                    walk.files.append((path, child))
                }
            }
        }
    }

    static func reason(_ error: PresseError) -> String {
        // FileSystem's messages are "path: strerror"; keep the strerror part.
        if let path = error.context, error.message.hasPrefix(path + ": ") {
            return String(error.message.dropFirst(path.count + 2))
        }
        return error.message
    }
}
