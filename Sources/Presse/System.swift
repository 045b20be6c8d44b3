internal import CXapian
import Glibc

/// Facts about the machine and the clock, without Foundation.
public enum System {
    public static var coreCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    public static func unixTime() -> Int { Int(time(nil)) }

    /// "2026-11-22 10:04:31 UTC".
    public static func formatUTC(_ seconds: Int) -> String {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) UTC"
    }

    /// Standard output, unbuffered: a search's results, written whole. (`print` would first
    /// ask, through dynamic casts, how to print a String; a command that uses this does not
    /// also print, so nothing waits in print's buffer.)
    public static func writeOutput(_ text: String) { writeAll(1, text) }

    /// Standard error, unbuffered: progress and one-line messages.
    public static func writeError(_ text: String) { writeAll(2, text) }

    private static func writeAll(_ descriptor: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) != 0 }

    /// A pipe whose ends are close-on-exec from their creation (pipe2 with O_CLOEXEC): a child
    /// spawned by another thread in between (pdftotext) inherits neither. False on failure.
    public static func makePipe(_ ends: inout [Int32], nonblocking: Bool = false) -> Bool {
        ends.withUnsafeMutableBufferPointer { cx_pipe_cloexec($0.baseAddress, nonblocking ? 1 : 0) } == 0
    }
}
