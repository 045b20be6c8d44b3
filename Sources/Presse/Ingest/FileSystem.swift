import Glibc

/// The few file-system calls Presse needs, on Glibc directly: one-shot searches start faster
/// without Foundation, and indexing wants plain stat/readdir in its loops.
public enum FileSystem {
    public struct Status: Sendable, Equatable {
        public var size: Int
        /// Modification time in nanoseconds since the epoch.
        public var modified: Int64
        public var isDirectory: Bool
        public var isRegularFile: Bool
        public var device: UInt64
        public var inode: UInt64
    }

    /// stat(2), following symbolic links; nil with errno's text when it fails.
    public static func status(_ path: String) -> Result<Status, PresseError> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(errnoError(path)) }
        let mode = info.st_mode & S_IFMT
        return .success(Status(
            size: Int(info.st_size),
            modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            isDirectory: mode == S_IFDIR, isRegularFile: mode == S_IFREG,
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public static func isDirectory(_ path: String) -> Bool {
        if case .success(let s) = status(path) { return s.isDirectory }
        return false
    }

    /// Reads a whole file.
    public static func read(_ path: String) -> Result<[UInt8], PresseError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(errnoError(path)) }
        defer { close(fd) }
        var info = stat()
        let expected = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        // One byte more than the file holds: the read that finds its end then has room, and a
        // 200 MB release is not copied into a grown array (the peak was twice its size).
        var bytes = [UInt8](repeating: 0, count: max(expected, 0) + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(65_536, bytes.count / 2))) }
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(errnoError(path))
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return .success(bytes)
    }

    /// Writes a file atomically: a temporary beside it, fsync, then rename over the target.
    public static func writeAtomically(_ path: String, contents: String) -> Result<Void, PresseError> {
        writeAtomically(path, bytes: Array(contents.utf8))
    }

    /// The same with bytes (`presse serve`'s uploads).
    public static func writeAtomically(_ path: String, bytes: [UInt8]) -> Result<Void, PresseError> {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(errnoError(temporary)) }
        var ok = true
        var bytes = bytes
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n <= 0 { if errno == EINTR { continue }; ok = false; break }
            written += n
        }
        if ok && fsync(fd) != 0 { ok = false }
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let error = errnoError(path)
            unlink(temporary)
            return .failure(error)
        }
        return .success(())
    }

    /// Entries of a directory (without . and ..), sorted by name.
    public static func entries(_ path: String) -> Result<[String], PresseError> {
        guard let dir = opendir(path) else { return .failure(errnoError(path)) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names.sorted())
    }

    public static func makeDirectory(_ path: String) -> Result<Void, PresseError> {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return .success(()) }
        return .failure(errnoError(path))
    }

    /// rm -r, for Presse's own scratch and retired database folders only.
    public static func removeTree(_ path: String) {
        if case .success(let s) = status(path), s.isDirectory, case .success(let names) = entries(path) {
            for name in names { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Read once: Presse never changes directory, and display() runs for every hit.
    public static let currentDirectory: String = {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// An absolute path with . and .. resolved lexically (symbolic links are kept, so a
    /// release keeps the name the user gave it).
    public static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : currentDirectory + "/" + path
        // Split on the byte "/", as the kernel does: no grapheme breaking (which made this a
        // few percent of a one-shot search), and a combining mark after a slash is no part of it.
        var parts: [ArraySlice<UInt8>] = []
        let bytes = Array(full.utf8)
        for part in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if part.elementsEqual(".".utf8) { continue }
            if part.elementsEqual("..".utf8) { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 1)
        for part in parts {
            out.append(UInt8(ascii: "/"))
            out.append(contentsOf: part)
        }
        return out.isEmpty ? "/" : String(decoding: out, as: UTF8.self)
    }

    /// A path relative to the current directory when it lies below it, for display.
    public static func display(_ path: String) -> String {
        let cwd = currentDirectory
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }

    /// Text with its control characters replaced by "?", so that a line break in a file name
    /// cannot split a message or a result line (JSON escapes them instead).
    public static func oneLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }

    static func errnoError(_ path: String) -> PresseError {
        let code = errno
        let text = strerror(code).map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) } ?? "error \(code)"
        return PresseError(.io, "\(path): \(text)", context: path)
    }
}
