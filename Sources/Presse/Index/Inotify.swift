import Glibc

/// Linux inotify, on Glibc directly (man 7 inotify): one descriptor, a watch per folder, and
/// the events read from it in batches. Not thread-safe: FolderWatcher's loop is its one user.
final class Inotify {
    /// One event: `name` is the entry inside the watched folder ("" for the folder itself).
    struct Event {
        var watch: Int32
        var mask: UInt32
        var name: String

        func has(_ flag: Int32) -> Bool { mask & UInt32(bitPattern: flag) != 0 }
        var isDirectory: Bool { has(IN_ISDIR) }
        /// The kernel's queue overflowed: events were lost (watch is -1).
        var isOverflow: Bool { has(IN_Q_OVERFLOW) }
    }

    /// What a release folder is watched for: files written, closed after writing, touched,
    /// moved in or out, deleted; the folder itself deleted or moved. A symbolic link to a
    /// folder is followed, as the indexer's walk follows it.
    static let folderMask = UInt32(bitPattern: IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_MOVED_FROM
        | IN_MOVED_TO | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    let descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: 256 << 10)

    init() throws(PresseError) {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw PresseError(.io, "cannot start watching folders (inotify): \(Inotify.errnoText())") }
    }

    deinit { close(descriptor) }

    /// Watches a folder; the watch's number, or the reason it cannot be watched.
    func watch(_ folder: String) -> Result<Int32, PresseError> {
        let watch = inotify_add_watch(descriptor, folder, Self.folderMask)
        guard watch < 0 else { return .success(watch) }
        let reason = errno == ENOSPC
            ? "the system's limit of inotify watches is reached (raise fs.inotify.max_user_watches)"
            : Self.errnoText()
        return .failure(PresseError(.io, "\(folder): \(reason)", context: folder))
    }

    func unwatch(_ watch: Int32) { inotify_rm_watch(descriptor, watch) }

    /// The events waiting now; [] when there are none (the descriptor does not block).
    func read() -> [Event] {
        var events: [Event] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return events }
            buffer.withUnsafeBytes { raw in
                // struct inotify_event: int wd; uint32_t mask, cookie, len; char name[len]
                // (NUL-padded).
                var offset = 0
                while offset + 16 <= count {
                    let watch = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameBytes = raw[(offset + 16)..<min(offset + 16 + length, count)].prefix { $0 != 0 }
                    events.append(Event(watch: watch, mask: mask, name: String(decoding: nameBytes, as: UTF8.self)))
                    offset += 16 + length
                }
            }
        }
    }

    static func errnoText() -> String {
        let code = errno
        return strerror(code).map { String(cString: $0) } ?? "error \(code)"
    }
}
