/// Turns a file's bytes into the text Presse indexes, or says why it should be skipped.
public enum TextDecoding {
    public enum Outcome: Equatable, Sendable {
        case text(String)
        case skipped(reason: String)
    }

    public static func decode(_ bytes: [UInt8]) -> Outcome {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }  // UTF-8 BOM
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C }) {
            return .skipped(reason: "empty")
        }
        if looksBinary(body) { return .skipped(reason: "binary, not text") }
        let text: String
        if let utf8 = String(validating: body, as: UTF8.self) {
            text = utf8
        } else {
            // Not UTF-8: archives of older releases are Windows-1252 (a superset of Latin-1's
            // printable range), so decode as that rather than drop or mangle the file.
            text = windows1252(body)
        }
        return .text(normalizeControls(text))
    }

    /// NUL bytes, or more than 2% control bytes (and more than a stray few), mean a PDF, an
    /// image or some other binary.
    static func looksBinary(_ bytes: ArraySlice<UInt8>) -> Bool {
        var controls = 0
        for byte in bytes.prefix(65_536) {
            if byte == 0 { return true }
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C { controls += 1 }
        }
        return controls > 8 && controls * 50 > min(bytes.count, 65_536)
    }

    /// Windows-1252's 0x80–0x9F block; the rest of the byte range is Latin-1.
    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    static func windows1252(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            let value: UInt32 = (0x80...0x9F).contains(byte) ? cp1252High[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? " ")
        }
        return String(scalars)
    }

    /// Line ends become \n, other control characters a space: the bridge marks highlights with
    /// control characters, and a terminal should never receive them from a release.
    static func normalizeControls(_ text: String) -> String {
        var needsWork = false
        for byte in text.utf8 where byte < 0x20 && byte != 0x0A && byte != 0x09 || byte == 0x7F {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        var previous: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case 0x0D: out.append(0x0A)
            case 0x0A: if previous != 0x0D { out.append(0x0A) }
            case 0x09: out.append(byte)
            case 0..<0x20, 0x7F: out.append(0x20)
            default: out.append(byte)
            }
            previous = byte
        }
        return String(decoding: out, as: UTF8.self)
    }
}
