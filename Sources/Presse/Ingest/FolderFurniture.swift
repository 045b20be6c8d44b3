/// Learning a folder's repeated lines (RepeatedLines) from its releases, and keeping them in
/// the index: a sync learns them from the folder's files whenever it reads any of them; `add`
/// reads back what the last sync learnt (one metadata lookup, no folder listing); `inspect`
/// learns them from the file's folder as a sync would.
extension RepeatedLines {
    /// Metadata key prefix (schema.h): "B" and the folder's key (ReleaseRecord.key).
    static let metadataPrefix = "B"

    static func metadataKey(folder: String) -> String { metadataPrefix + ReleaseRecord.key(for: folder) }

    /// The folder a release belongs to: its path up to the last "/".
    public static func folder(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return "" }
        return String(path[..<slash])
    }

    /// Learns from the plain-text releases among `paths` (a sample of sampleSize): saved web
    /// pages that lost their markup are what carries a source's furniture as lines; pages
    /// and e-mails have their structure for that.
    public static func learn(paths: [String]) -> RepeatedLines {
        var texts: [String] = []
        // A file named as another format is not read (a PDF or a Word file may be large).
        for path in sample(paths) where ReleaseFormat.of(path: path, bytes: []) == .text {
            guard case .success(let status) = FileSystem.status(path), status.size <= ReleaseReader.maximumBytes,
                  case .success(let bytes) = FileSystem.read(path),
                  ReleaseFormat.of(path: path, bytes: bytes) == .text,
                  case .text(let text) = TextDecoding.decode(bytes) else { continue }
            texts.append(text)
        }
        return learn(from: texts)
    }

    /// Learns from the regular, visible files of the folder holding `path` (for `inspect`).
    public static func learn(folderOf path: String) -> RepeatedLines {
        let folder = folder(of: path)
        guard case .success(let names) = FileSystem.entries(folder) else { return RepeatedLines() }
        let files = names.filter { !$0.hasPrefix(".") }.map { folder + "/" + $0 }.filter {
            if case .success(let status) = FileSystem.status($0) { return status.isRegularFile }
            return false
        }
        return learn(paths: files)
    }
}

extension Indexer {
    /// The repeated lines of every folder that has files to read, learnt from all of the
    /// walk's files in that folder.
    func learnRepeatedLines(all files: [(path: String, status: FileSystem.Status)],
                            reading toRead: [(path: String, status: FileSystem.Status)]) -> [String: RepeatedLines] {
        let folders = Set(toRead.map { RepeatedLines.folder(of: $0.path) })
        guard !folders.isEmpty else { return [:] }
        var members: [String: [String]] = [:]
        for file in files {
            let folder = RepeatedLines.folder(of: file.path)
            if folders.contains(folder) { members[folder, default: []].append(file.path) }
        }
        return members.mapValues { RepeatedLines.learn(paths: $0) }
    }

    /// Keeps what was learnt for `add`; a folder with nothing repeated has its entry removed.
    func keep(_ learnt: [String: RepeatedLines], in database: XapianDatabase) throws(PresseError) {
        for (folder, lines) in learnt {
            try database.setMetadata(RepeatedLines.metadataKey(folder: folder), lines.encoded)
        }
    }

    /// What the last sync learnt for each folder of these files.
    func storedRepeatedLines(for paths: [String], in database: XapianDatabase) throws(PresseError) -> [String: RepeatedLines] {
        var result: [String: RepeatedLines] = [:]
        for folder in Set(paths.map(RepeatedLines.folder(of:))) {
            let value = try database.metadata(RepeatedLines.metadataKey(folder: folder))
            if !value.isEmpty { result[folder] = RepeatedLines(encoded: value) }
        }
        return result
    }

    func repeatedLines(for path: String) -> RepeatedLines {
        repeatedLines[RepeatedLines.folder(of: path)] ?? RepeatedLines()
    }
}
