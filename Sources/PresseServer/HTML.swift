/// Text from releases and queries as HTML. Templates escape what they print ({{name}});
/// only a passage with its highlights is built here, each piece escaped, and printed raw
/// ({{{passage}}}).
enum HTML {
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A passage with the query's words in `<mark>` and words found through translation in
    /// `<mark class="translated">` (with the query words they translate as a tooltip). Ranges
    /// are UTF-8 byte offsets, as the search gives them; one that overlaps the last or is out
    /// of bounds is skipped, as the terminal rendering does.
    static func marked(_ text: String, highlights: [Range<Int>], translated: [(range: Range<Int>, source: String)] = []) -> String {
        let bytes = Array(text.utf8)
        let marks = (highlights.map { (range: $0, source: String?.none) } + translated.map { (range: $0.range, source: Optional($0.source)) })
            .sorted { $0.range.lowerBound < $1.range.lowerBound }
        var out = ""
        var position = 0
        func piece(_ range: Range<Int>) -> String { escaped(String(decoding: bytes[range], as: UTF8.self)) }
        for mark in marks where mark.range.lowerBound >= position && mark.range.upperBound <= bytes.count {
            out += piece(position..<mark.range.lowerBound)
            if let source = mark.source {
                out += "<mark class=\"translated\" title=\"translation of: \(escaped(source))\">" + piece(mark.range) + "</mark>"
            } else {
                out += "<mark>" + piece(mark.range) + "</mark>"
            }
            position = mark.range.upperBound
        }
        return out + piece(position..<bytes.count)
    }

    /// A query string for a link, each value percent-encoded.
    static func query(_ pairs: [(String, String)]) -> String {
        pairs.filter { !$0.1.isEmpty }.map { "\($0.0)=\(percentEncoded($0.1))" }.joined(separator: "&")
    }

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
            }
        }
        return out
    }
}
