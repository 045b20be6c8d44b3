internal import CXapian

/// The text of a release saved as a web page, through libxml2's HTML parser (which recovers
/// from real-world markup as browsers do): the headline, and the page's text one block
/// (paragraph, heading, list item, table row) a paragraph, without what a page wraps around
/// a release (scripts, styles, navigation, header, footer, forms, asides).
public enum HTMLText {
    /// True for a file named .html, .htm or .xhtml, or whose first bytes open an HTML document
    /// (a page saved without its extension).
    public static func isHTML(path: String, bytes: [UInt8]) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".xhtml") { return true }
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 || bytes[start] == 0x0A || bytes[start] == 0x0D {
            start += 1
        }
        let head = String(decoding: bytes[start..<min(bytes.count, start + 15)], as: UTF8.self).lowercased()
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html")
    }

    /// A page read: its headline (nil when it has none with words), its text (blocks separated
    /// by blank lines), the furniture among them (the bridge's cx_html_text decides both),
    /// and its raw metadata (each <meta>'s name and content, each <time>'s datetime, JSON-LD
    /// scripts: DateRules read them).
    public struct Page: Sendable {
        public var headline: String?
        public var text: String
        public var dropped: [DroppedText]
        public var metadata: [(name: String, value: String)]

        /// The text without its furniture, for a reader that has no use for offsets (an
        /// e-mail's HTML part).
        public var keptText: String { Boilerplate.kept(text, dropping: dropped) }
    }

    /// nil when libxml2 cannot read the bytes at all.
    public static func extract(_ bytes: [UInt8]) -> Page? {
        try? read(bytes).get()
    }

    /// As `extract`, with the bridge's reason when the page cannot be read (libxml2 cannot
    /// parse it, or it nests deeper than libxml2 follows).
    public static func read(_ bytes: [UInt8]) -> Result<Page, PresseError> {
        // A page without a declared charset is read as UTF-8 when it is valid UTF-8 (libxml2
        // would assume Latin-1), else left to libxml2 (its <meta charset>, else Latin-1).
        let utf8: Int32 = String(validating: bytes, as: UTF8.self) != nil ? 1 : 0
        var headline = cx_bytes(), text = cx_bytes(), metadata = cx_bytes(), dropped = cx_bytes(), error = cx_error()
        defer {
            cx_bytes_free(&headline)
            cx_bytes_free(&text)
            cx_bytes_free(&metadata)
            cx_bytes_free(&dropped)
            cx_error_clear(&error)
        }
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cx_html_text(chars.baseAddress, chars.count, utf8, &headline, &text, &metadata, &dropped, &error)
            }
        }
        guard status == CX_OK else {
            return .failure(PresseError(.invalidArgument, error.message.map { String(cString: $0) } ?? "HTML that cannot be read"))
        }
        let title = string(headline.data, headline.length)
        let body = string(text.data, text.length)
        let utf8Body = Array(body.utf8)
        // "START\tEND\tREASON" a line; a malformed line is left out rather than trusted.
        let pieces: [DroppedText] = string(dropped.data, dropped.length).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 2)
            guard fields.count == 3, let start = Int(fields[0]), let end = Int(fields[1]),
                  0 <= start, start < end, end <= utf8Body.count else { return nil }
            return DroppedText(start: start, end: end, reason: String(fields[2]),
                               text: String(decoding: utf8Body[start..<end], as: UTF8.self))
        }
        // "name\0value\0" pairs.
        let fields = string(metadata.data, metadata.length).utf8.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        let pairs = stride(from: 0, to: fields.count - 1, by: 2).map { (name: fields[$0], value: fields[$0 + 1]) }
        return .success(Page(headline: title.isEmpty ? nil : title, text: body, dropped: pieces, metadata: pairs))
    }
}
