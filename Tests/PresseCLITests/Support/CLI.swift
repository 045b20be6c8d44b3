// Running the `presse` binary as a process, the way a user or a script does.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest

/// What one run of `presse` did.
struct CommandResult: CustomStringConvertible {
    var arguments: [String]
    /// The exit status, or the signal's number when `signaled`.
    var status: Int32
    var signaled: Bool
    var timedOut: Bool
    var stdoutData: Data
    var stderrData: Data

    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    var stderr: String { String(decoding: stderrData, as: UTF8.self) }
    /// Non-empty lines of stdout.
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    /// Non-empty lines of stderr.
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    /// Exited by itself (no signal, no timeout) with this status.
    func exited(_ expected: Int32) -> Bool { !signaled && !timedOut && status == expected }
    /// Exited by itself with one of these statuses.
    func exited(in expected: Set<Int32>) -> Bool { !signaled && !timedOut && expected.contains(status) }

    var description: String {
        let how = timedOut ? "timed out" : signaled ? "killed by signal \(status)" : "exit \(status)"
        let shownArguments = arguments.map { $0.count > 120 ? String($0.prefix(117)) + "..." : $0 }
        func clip(_ text: String) -> String { text.count > 1_500 ? String(text.prefix(1_500)) + "…" : text }
        return "presse \(shownArguments.joined(separator: " ")) → \(how)\n--- stdout:\n\(clip(stdout))\n--- stderr:\n\(clip(stderr))"
    }
}

enum PresseCLI {
    // MARK: - Locating things

    /// The package root: this file is Tests/PresseCLITests/Support/CLI.swift.
    static let packageRoot: URL = {
        let fromSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: fromSource.appendingPathComponent("Package.swift").path) {
            return fromSource
        }
        // The sources moved since the build: walk up from the test bundle instead.
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory }
            directory = directory.deletingLastPathComponent()
        }
        return fromSource
    }()

    /// The sample releases shipped with the package.
    static var corpusFolder: URL { packageRoot.appendingPathComponent("Corpus") }

    static let sampleNames = [
        "000_f5fcedb73f7cb6a5.txt", "001_d92cbe41fad504f3.txt", "002_c79c31d9bc64ada6.txt",
        "003_e2dcaa9c9b2fc9a4.txt", "004_2ded532425e893fb.txt",
    ]

    /// Candidate places for the binary, best first: $PRESSE_BINARY, beside the test bundle
    /// (the build's products folder), then the package's .build/debug.
    static var binaryCandidates: [String] {
        if let explicit = ProcessInfo.processInfo.environment["PRESSE_BINARY"], !explicit.isEmpty {
            return [explicit]  // asked for this one: no other
        }
        var candidates: [String] = []
        for anchor in [Bundle.main.executableURL, Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])] {
            guard let anchor else { continue }
            var directory = anchor.deletingLastPathComponent()
            // macOS puts the tests in a .xctest bundle: Foo.xctest/Contents/MacOS/Foo.
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent("presse").path)
                directory = directory.deletingLastPathComponent()
            }
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/presse").path)
        return candidates
    }

    static let binary: String? = binaryCandidates.first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The binary, or an error (which fails the test) that says how to get one.
    static func requireBinary() throws -> String {
        guard let binary else {
            throw SandboxError("""
                the presse binary is missing (looked at \(binaryCandidates.joined(separator: ", "))): \
                build it with `swift build --build-tests` before running PresseCLITests, or set PRESSE_BINARY
                """)
        }
        return binary
    }

    // MARK: - Running

    /// Starts `presse` with its output going to files in `scratch`; the caller waits.
    static func start(_ arguments: [String], in directory: URL, scratch: URL,
                      environment extra: [String: String] = [:]) throws -> RunningCommand {
        let binary = try requireBinary()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["PRESSE_INDEX"] = nil  // every test names its index
        environment["NO_COLOR"] = "1"
        environment.merge(extra) { $1 }
        process.environment = environment
        let id = UUID().uuidString
        let outURL = scratch.appendingPathComponent(".out-\(id)")
        let errURL = scratch.appendingPathComponent(".err-\(id)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? out.close()
        try? err.close()
        return RunningCommand(process: process, arguments: arguments, outURL: outURL, errURL: errURL)
    }
}

/// A `presse` process started in the background.
final class RunningCommand {
    let process: Process
    let arguments: [String]
    let outURL: URL
    let errURL: URL
    private(set) var killed = false

    init(process: Process, arguments: [String], outURL: URL, errURL: URL) {
        self.process = process
        self.arguments = arguments
        self.outURL = outURL
        self.errURL = errURL
    }

    var isRunning: Bool { process.isRunning }
    var pid: Int32 { process.processIdentifier }

    func kill(_ signal: Int32 = SIGKILL) {
        guard process.isRunning else { return }
        killed = true
        _ = Glibc.kill(process.processIdentifier, signal)
    }

    /// Stops the process (SIGSTOP) where it is, holding whatever it holds (a writer's lock),
    /// until `resume`; true once the kernel reports it stopped, false if it had already ended.
    func stop() -> Bool {
        guard process.isRunning, Glibc.kill(process.processIdentifier, SIGSTOP) == 0 else { return false }
        for _ in 0..<500 {
            if isStopped { return true }
            if !process.isRunning { return false }
            usleep(10_000)
        }
        return false
    }

    func resume() { _ = Glibc.kill(process.processIdentifier, SIGCONT) }

    /// The process's state in /proc is "T" (stopped).
    var isStopped: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[close...].dropFirst(2).first == "T"
    }

    /// Waits for the process (killing it after `timeout` seconds) and collects its output.
    func wait(timeout: TimeInterval = 300) -> CommandResult {
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                _ = Glibc.kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        let stdoutData = (try? Data(contentsOf: outURL)) ?? Data()
        let stderrData = (try? Data(contentsOf: errURL)) ?? Data()
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        return CommandResult(arguments: arguments, status: process.terminationStatus,
                             signaled: process.terminationReason == .uncaughtSignal, timedOut: timedOut,
                             stdoutData: stdoutData, stderrData: stderrData)
    }
}

// MARK: - A test's own folder

/// A temporary folder for one test: its index, its fixtures, and the working directory of
/// every `presse` it runs. Removed when the test ends.
final class Sandbox: @unchecked Sendable {  // immutable; each run is its own process
    let root: URL

    init(_ name: String = "presse-cli") throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath()
        let folder = base.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Presse resolves paths without following links; keep ours in the same form.
        root = URL(fileURLWithPath: realPath(folder.path))
    }

    /// The index folder most tests use.
    var index: URL { root.appendingPathComponent("index") }

    func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// Makes a folder (and its parents) inside the sandbox.
    @discardableResult
    func folder(_ relative: String) throws -> URL {
        let url = url(relative)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> URL {
        try write(relative, Data(text.utf8))
    }

    @discardableResult
    func write(_ relative: String, _ data: Data) throws -> URL {
        let url = url(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url
    }

    /// Copies the package's sample releases into `relative`; returns the copies.
    @discardableResult
    func copySamples(to relative: String, only names: [String] = PresseCLI.sampleNames) throws -> [URL] {
        let target = try folder(relative)
        return try names.map { name in
            let source = PresseCLI.corpusFolder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: source.path) else {
                throw SandboxError("the sample release \(source.path) is missing")
            }
            let copy = target.appendingPathComponent(name)
            try FileManager.default.copyItem(at: source, to: copy)
            return copy
        }
    }

    /// Runs `presse` to the end, in the sandbox, with a timeout.
    func run(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 300) throws -> CommandResult {
        try PresseCLI.start(arguments, in: root, scratch: root, environment: environment).wait(timeout: timeout)
    }

    func run(_ arguments: String..., timeout: TimeInterval = 300) throws -> CommandResult {
        try run(arguments, timeout: timeout)
    }

    /// Starts `presse` in the background, in the sandbox.
    func start(_ arguments: [String]) throws -> RunningCommand {
        try PresseCLI.start(arguments, in: root, scratch: root)
    }

    /// A path as Presse shows it in results (relative to the working directory below it)
    /// turned back into an absolute one.
    func absolute(_ shown: String) -> String {
        shown.hasPrefix("/") ? shown : root.appendingPathComponent(shown).path
    }

    func remove() {
        // Give back permissions a test may have taken away, so the folder can be removed.
        if let walker = FileManager.default.enumerator(atPath: root.path) {
            for case let relative as String in walker {
                chmod(root.appendingPathComponent(relative).path, 0o755)
            }
        }
        try? FileManager.default.removeItem(at: root)
    }

    deinit { remove() }
}

struct SandboxError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// Seconds to sleep, without Foundation's run loop.
func pause(_ seconds: Double) { usleep(useconds_t(seconds * 1_000_000)) }

/// State shared between a test and a thread it starts, behind a lock.
final class Shared<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func read<T>(_ body: (Value) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(value) }
    func update(_ body: (inout Value) -> Void) { lock.lock(); defer { lock.unlock() }; body(&value) }
}

/// The first executable called `name` on $PATH (the tests unpack their fixtures with `tar`).
func executableInPath(_ name: String) throws -> String {
    let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    guard let found = folders.map({ "\($0)/\(name)" }).first(where: FileManager.default.isExecutableFile(atPath:)) else {
        throw SandboxError("no \(name) in $PATH (\(folders.joined(separator: ":"))): install it to unpack the fixture")
    }
    return found
}

/// Runs a tool from $PATH (`tar`, Xapian's `xapian-delve` and `xapian-metadata`) to its end:
/// its exit status and standard output.
@discardableResult
func runTool(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try executableInPath(name))
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
}

extension Sandbox {
    /// Unpacks a `Tests/Fixtures` archive into the sandbox's root.
    func unpackFixture(_ name: String) throws {
        let archive = PresseCLI.packageRoot.appendingPathComponent("Tests/Fixtures/" + name)
        guard try runTool("tar", ["-xzf", archive.path, "-C", root.path]).status == 0 else {
            throw SandboxError("cannot unpack \(archive.path)")
        }
    }
}

/// A TCP port nothing listens on now: bound to port 0 on loopback, read, and released.
func freePort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw SandboxError("no socket") }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
    }
    guard bound else { throw SandboxError("cannot bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
