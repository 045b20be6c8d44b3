// `presse serve` started as a user starts it, and a plain HTTP/1.1 client over a socket: the
// requests the tests send (invalid UTF-8, `..` in a path, an overlong line) must reach the
// server as written, which a URL type or curl would normalise or refuse.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// One answer: status, headers (names lowercased) and body.
struct HTTPAnswer: CustomStringConvertible {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    var description: String { "HTTP \(status) \(headers) \(text.prefix(1_500))" }

    /// The body as a JSON object (the API's answers and errors), or nil.
    var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    /// An error answer's message.
    var errorMessage: String? { (object?["error"] as? [String: Any])?["message"] as? String }
}

/// A `presse serve` process on a free loopback port. Its properties never change, and each
/// request is a connection of its own: threads of a test may share it.
final class RunningServer: @unchecked Sendable {
    let command: RunningCommand
    let port: Int

    /// Starts `presse serve --port 0 ARGUMENTS` in the sandbox and waits for the address it
    /// prints.
    init(_ sandbox: Sandbox, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        command = try sandbox.start(["serve", "--port", "0"] + arguments)
        let deadline = Date().addingTimeInterval(60)
        var found: Int?
        while found == nil && Date() < deadline && command.isRunning {
            let printed = (try? String(contentsOf: command.outURL, encoding: .utf8)) ?? ""
            if let range = printed.range(of: " at http://") {
                // "…at http://127.0.0.1:PORT/": the port is after the address's last colon.
                let address = printed[range.upperBound...].prefix { $0 != "/" }
                found = address.split(separator: ":").last.flatMap { Int($0) }
            } else {
                pause(0.02)
            }
        }
        guard let found else {
            let result = command.wait(timeout: 5)
            throw SandboxError("presse serve did not print its address: \(result)")
        }
        port = found
    }

    /// Sends a raw request (the request line's target as given) and reads the answer.
    func request(_ method: String, _ target: String, headers: [String: String] = [:], body: Data = Data()) throws -> HTTPAnswer {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return try HTTPAnswer.parse(exchange(Data(head.utf8) + body))
    }

    func get(_ target: String) throws -> HTTPAnswer { try request("GET", target) }

    /// Writes `bytes` to a new connection and reads until the server closes it.
    func exchange(_ bytes: Data, timeout: Int = 30) throws -> Data {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw SandboxError("socket: \(errno)") }
        defer { close(socket) }
        var wait = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SandboxError("cannot connect to 127.0.0.1:\(port): errno \(errno)") }
        var sent = 0
        let all = [UInt8](bytes)
        while sent < all.count {
            let n = all[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // the server may answer (413, 400) and close before reading it all
            sent += n
        }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(socket, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received.append(contentsOf: buffer[..<n])
        }
        return received
    }

    /// Stops the server with `signal` and waits for it.
    func stop(_ signal: Int32 = SIGTERM, timeout: TimeInterval = 30) -> CommandResult {
        command.kill(signal)
        return command.wait(timeout: timeout)
    }
}

extension HTTPAnswer {
    static func parse(_ data: Data) throws -> HTTPAnswer {
        let bytes = [UInt8](data)
        guard let end = bytes.indices.dropLast(3).first(where: { bytes[$0...$0 + 3] == [13, 10, 13, 10] }) else {
            throw SandboxError("no HTTP answer, only \(data.count) bytes: \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw SandboxError("bad status line \(head[0])") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(bytes[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = unchunked(body) }
        return HTTPAnswer(status: status, headers: headers, body: body)
    }

    private static func unchunked(_ data: Data) -> Data {
        let bytes = [UInt8](data)
        var out = Data()
        var position = 0
        while position < bytes.count {
            guard let lineEnd = bytes[position...].indices.dropLast().first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                  let size = Int(String(decoding: bytes[position..<lineEnd], as: UTF8.self), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            out.append(contentsOf: bytes[start..<min(bytes.count, start + size)])
            position = start + size + 2
        }
        return out
    }
}

/// Requests sent to a server one after another on a thread of their own, while a test does
/// something else (indexes, rebuilds): `finish()` stops them and tells how many were sent and
/// which did not answer 200.
final class SteadyRequests: @unchecked Sendable {
    private let stop = Shared(false)
    private let failures = Shared<[String]>([])
    private let requests = Shared(0)
    private let thread: Thread

    init(_ server: RunningServer, path: String) {
        let (stop, failures, requests) = (self.stop, self.failures, self.requests)
        thread = Thread {
            while !stop.read({ $0 }) {
                do {
                    let answer = try server.get(path)
                    if answer.status != 200 { failures.update { $0.append("\(answer)") } }
                } catch {
                    failures.update { $0.append("\(error)") }
                }
                requests.update { $0 += 1 }
            }
        }
        thread.start()
    }

    func finish() -> (requests: Int, failures: [String]) {
        stop.update { $0 = true }
        while !thread.isFinished { pause(0.01) }
        return (requests.read { $0 }, failures.read { $0 })
    }
}
