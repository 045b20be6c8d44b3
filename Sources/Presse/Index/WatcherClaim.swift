internal import CXapian
import Glibc

/// A watcher's claim on an index: the file `.watching` in the index folder, locked with
/// flock(2) for as long as the watcher runs and holding its process id. The kernel drops the
/// lock when the process ends, however it ends (SIGKILL too), so a stale file claims nothing.
/// It tells a second watcher that the index is already watched, and tells other writers that
/// the writer lock they find taken is a watcher's, held only while it commits: worth waiting
/// for (IndexStore.openWriter). The name is hidden: `presse watch .` syncs the folder holding
/// the index before the index's own files exist, and hidden files are no releases.
///
/// While the watcher holds the writer lock, it also holds a lock on the claim's first byte
/// (markWriting): a writer that waited in vain can then say who held the lock.
final class WatcherClaim {
    private let descriptor: Int32

    /// Claims the index for this process; fails when another watcher holds it.
    init(_ store: IndexStore) throws(PresseError) {
        if case .failure(let error) = FileSystem.makeDirectory(store.path) {
            throw PresseError(.io, "cannot create the index folder: \(error.message)", context: store.path)
        }
        let path = store.watcherClaimPath
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystem.errnoError(path) }
        var attempts = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            // watcherProcess() takes the lock shared for an instant to see whether anyone holds
            // it: a holder that cannot be named may be only that look, so try again a few times.
            let holder = store.watcherProcess()
            attempts += 1
            guard holder == nil && attempts < 20 else {
                close(descriptor)
                throw PresseError(.indexLocked, "index \(store.path) is already watched by another `presse watch`"
                                  + (holder.map { " (process \($0))" } ?? ""), context: store.path)
            }
            usleep(10_000)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit { close(descriptor) }  // closing drops the locks

    /// Says, while `writing`, that the watcher holds the index's writer lock (for messages
    /// only: a failure to say so changes nothing else).
    func markWriting(_ writing: Bool) { _ = cx_byte_lock(descriptor, writing ? 1 : 0) }
}

extension IndexStore {
    var watcherClaimPath: String { path + "/.watching" }

    /// The process id of the watcher holding this index, if one does; nil when none does (or
    /// when it is this process, or it has not yet written its id).
    func watcherProcess() -> Int32? {
        let descriptor = open(watcherClaimPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 { return nil }  // nobody holds it
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        let text = String(decoding: bytes.prefix(max(count, 0)), as: UTF8.self)
        guard let pid = Int32(text.split(separator: "\n").first ?? ""), pid > 0, pid != getpid() else { return nil }
        return pid
    }

    /// Whether the watcher holding this index holds its writer lock now (WatcherClaim.markWriting).
    func watcherIsWriting() -> Bool {
        let descriptor = open(watcherClaimPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return cx_byte_locked(descriptor) == 1
    }

    /// How long a writer waits, without --wait, for a watcher to finish its commit.
    static let watcherGrace = 30.0
}
