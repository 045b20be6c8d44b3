/// A request's query string read as the server needs it: names and values percent-decoded
/// to bytes and checked to be UTF-8, each name at most once. Read here rather than by a
/// general decoder, so that invalid UTF-8 (`q=%FF`), a repeated name and an unknown one are
/// each a 400 naming the parameter, never a value silently replaced.
struct QueryParameters {
    private(set) var values: [String: String] = [:]

    /// `allowed`: the names this endpoint takes; any other is a bad parameter.
    init(_ query: String?, allowed: [String]) throws(ServerError) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decoded(parts[0], what: "a parameter name")
            let value = try Self.decoded(parts.count > 1 ? parts[1] : "", what: "parameter '\(name)'")
            guard allowed.contains(name) else {
                throw .badParameter("unknown parameter '\(Self.shown(name))': this endpoint takes \(allowed.joined(separator: ", "))")
            }
            guard values[name] == nil else { throw .badParameter("parameter '\(name)' given twice") }
            values[name] = value
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// A parameter as an integer within `range`; `fallback` when it is absent.
    func integer(_ name: String, in range: ClosedRange<Int>, fallback: Int) throws(ServerError) -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw .badParameter("parameter '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(Self.shown(text))'")
        }
        return value
    }

    /// `true`, `1`, `yes`, `on` (a checkbox) or `false`, `0`, `no`, `off`; `fallback` when absent.
    func flag(_ name: String, fallback: Bool) throws(ServerError) -> Bool {
        guard let text = values[name] else { return fallback }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw .badParameter("parameter '\(name)' must be true or false, not '\(Self.shown(text))'")
        }
    }

    /// `+` is a space (HTML forms), `%XX` a byte; the bytes must be UTF-8.
    static func decoded(_ text: Substring, what: String) throws(ServerError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw .badParameter("\(what) has a malformed percent escape")
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw .badParameter("\(what) is not valid UTF-8")
        }
        guard !string.utf8.contains(0) else { throw .badParameter("\(what) holds a NUL byte") }
        return string
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// A value as an error message quotes it: one line, at most 40 characters.
    static func shown(_ text: String) -> String {
        let line = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return line.count > 40 ? String(line.prefix(37)) + "..." : line
    }
}
