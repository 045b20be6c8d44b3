/// The text of a release saved as an e-mail (.eml, RFC 5322 with MIME): its subject as the
/// title, and its text part (else its HTML part, read as a web page), with quoted-printable
/// and base64 undone and the part's charset decoded.
public enum MailText {
    /// Multiparts inside multiparts that are read; real mail nests three or four.
    static let maximumNesting = 32

    public static func isMail(path: String) -> Bool { path.lowercased().hasSuffix(".eml") }

    /// The subject (nil when there is none), the text, and the Date: header as written (nil
    /// when there is none; DateRules read it); nil when no part holds text.
    public static func extract(_ bytes: [UInt8]) -> (subject: String?, text: String, date: String?)? {
        let message = Part(bytes[...])
        let subject = message.header("subject").map(decodedWords).map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        guard let text = message.text() else { return nil }
        return (subject?.isEmpty == false ? subject : nil, text, message.header("date"))
    }

    /// Why `extract` found no text, in one line: a multipart body without its boundary, or
    /// whose boundary never opens a part (a broken MIME structure), else no text part.
    public static func whyUnreadable(_ bytes: [UInt8]) -> String {
        let message = Part(bytes[...])
        guard message.mediaType.hasPrefix("multipart/") else { return "an e-mail without a text part" }
        guard let boundary = message.parameter("boundary"), !boundary.isEmpty else {
            return "an e-mail whose multipart body declares no boundary"
        }
        if split(message.body, boundary: boundary).isEmpty {
            return "an e-mail whose MIME boundary (\(boundary.prefix(70))) never opens a part"
        }
        return "an e-mail without a text part"
    }

    /// A message or one of its parts: headers, unfolded and keyed in lower case, and body.
    struct Part {
        var headers: [(name: String, value: String)] = []
        var body: ArraySlice<UInt8>

        init(_ bytes: ArraySlice<UInt8>) {
            // The headers end at the first empty line.
            var lines: [String] = []
            var index = bytes.startIndex, lineStart = index
            body = bytes[bytes.endIndex...]
            while index < bytes.endIndex {
                guard bytes[index] == 0x0A else { index += 1; continue }
                var line = bytes[lineStart..<index]
                if line.last == 0x0D { line = line.dropLast() }
                index += 1
                if line.isEmpty { body = bytes[index...]; break }
                let text = String(decoding: line, as: UTF8.self)
                if (line.first == 0x20 || line.first == 0x09), !lines.isEmpty {
                    lines[lines.count - 1] += " " + trimmed(text)  // a folded header
                } else {
                    lines.append(text)
                }
                lineStart = index
            }
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.append((line[..<colon].lowercased(), trimmed(line[line.index(after: colon)...])))
            }
        }

        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

        /// The media type ("text/plain") and one of its parameters.
        var mediaType: String {
            (header("content-type") ?? "text/plain").split(separator: ";").first.map { trimmed($0).lowercased() } ?? "text/plain"
        }

        func parameter(_ name: String) -> String? {
            for piece in (header("content-type") ?? "").split(separator: ";").dropFirst() {
                let pair = piece.split(separator: "=", maxSplits: 1).map { trimmed($0) }
                if pair.count == 2, pair[0].lowercased() == name { return String(pair[1].filter { $0 != "\"" }) }
            }
            return nil
        }

        /// The body with its transfer encoding undone.
        var decodedBody: [UInt8] {
            switch (header("content-transfer-encoding") ?? "").lowercased() {
            case "base64":
                return MailText.unbase64(body)
            case "quoted-printable":
                return MailText.unquoted(body)
            default:
                return Array(body)
            }
        }

        /// The text this part stands for: a text part's, else an HTML part's, else the first
        /// of its sub-parts that has any (a multipart/alternative's plain text first). Parts
        /// nested deeper than maximumNesting are not read: a crafted e-mail of thousands of
        /// nested multiparts would otherwise exhaust the stack.
        func text(depth: Int = 0) -> String? {
            let type = mediaType
            if type.hasPrefix("multipart/") {
                guard depth < MailText.maximumNesting, let boundary = parameter("boundary") else { return nil }
                let parts = MailText.split(body, boundary: boundary).map(Part.init)
                let ordered = parts.filter { $0.mediaType == "text/plain" } + parts.filter { $0.mediaType != "text/plain" }
                return ordered.lazy.compactMap { $0.text(depth: depth + 1) }.first
            }
            guard type == "text/plain" || type == "text/html" else { return nil }
            if (header("content-disposition") ?? "").lowercased().hasPrefix("attachment") { return nil }
            let bytes = decodedBody
            if type == "text/html" { return HTMLText.extract(bytes)?.keptText }
            let charset = (parameter("charset") ?? "utf-8").lowercased()
            let text = charset == "utf-8" || charset == "us-ascii" ? String(decoding: bytes, as: UTF8.self)
                                                                   : TextDecoding.windows1252(bytes[...])
            return text.allSatisfy(\.isWhitespace) ? nil : text
        }
    }

    /// The parts between `--boundary` lines, up to `--boundary--`.
    static func split(_ body: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let marker = Array(("--" + boundary).utf8)
        var parts: [ArraySlice<UInt8>] = []
        var start: Int?
        var index = body.startIndex
        while index < body.endIndex {
            let atLineStart = index == body.startIndex || body[index - 1] == 0x0A
            if atLineStart, body[index...].starts(with: marker) {
                if let start { parts.append(body[start..<max(start, index - 1)]) }
                let after = index + marker.count
                if body[after...].starts(with: [0x2D, 0x2D]) { return parts }  // the closing boundary
                guard let lineEnd = body[after...].firstIndex(of: 0x0A) else { return parts }
                start = lineEnd + 1
                index = lineEnd + 1
                continue
            }
            index += 1
        }
        if let start { parts.append(body[start...]) }
        return parts
    }

    /// Base64 undone; bytes outside its alphabet (line ends) are passed over. (Foundation's
    /// decoder would link all of Foundation into the command, doubling a search's start-up.)
    static func unbase64(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count * 3 / 4)
        var buffer: UInt32 = 0, bits = 0
        for byte in body {
            let value: UInt32
            switch byte {
            case 0x41...0x5A: value = UInt32(byte - 0x41)
            case 0x61...0x7A: value = UInt32(byte - 0x61 + 26)
            case 0x30...0x39: value = UInt32(byte - 0x30 + 52)
            case 0x2B: value = 62
            case 0x2F: value = 63
            default: continue  // padding, line ends
            }
            buffer = buffer << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }

    /// Quoted-printable undone: `=XX` bytes and `=` soft line breaks.
    static func unquoted(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var index = body.startIndex
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x41...0x46: byte - 0x37
            case 0x61...0x66: byte - 0x57
            default: nil
            }
        }
        while index < body.endIndex {
            let byte = body[index]
            if byte == 0x3D {
                let rest = body[(index + 1)...]
                if rest.starts(with: [0x0D, 0x0A]) { index += 3; continue }
                if rest.starts(with: [0x0A]) { index += 2; continue }
                if rest.count >= 2, let high = hex(rest[rest.startIndex]), let low = hex(rest[rest.startIndex + 1]) {
                    out.append(high << 4 | low)
                    index += 3
                    continue
                }
            }
            out.append(byte)
            index += 1
        }
        return out
    }

    static func trimmed<S: StringProtocol>(_ text: S) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// RFC 2047 encoded words in a header (`=?utf-8?B?...?=`, `=?iso-8859-1?Q?...?=`) decoded.
    static func decodedWords(_ header: String) -> String {
        var out = ""
        var rest = Substring(header)
        while let start = rest.firstRange(of: "=?") {
            out += rest[..<start.lowerBound]
            let inner = rest[start.upperBound...]
            let pieces = inner.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard pieces.count == 4, pieces[3].hasPrefix("="), let encoding = pieces[1].first else {
                out += "=?"
                rest = inner
                continue
            }
            let charset = pieces[0].lowercased(), payload = pieces[2]
            var bytes: [UInt8]
            if encoding == "B" || encoding == "b" {
                bytes = unbase64(Array(payload.utf8)[...])
            } else {
                bytes = unquoted(Array(payload.utf8.map { $0 == 0x5F ? 0x20 : $0 })[...])
            }
            out += charset == "utf-8" ? String(decoding: bytes, as: UTF8.self) : TextDecoding.windows1252(bytes[...])
            rest = pieces[3].dropFirst()
            // Whitespace between two encoded words is not part of the text.
            if rest.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("=?") { rest = rest.drop(while: { $0 == " " || $0 == "\t" }) }
        }
        return out + rest
    }
}
