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

    /// The headline (the first `<h1>`, else `<title>`; nil when neither has words), the
    /// text, blocks separated by blank lines, and the page's raw metadata (each <meta>'s name
    /// and content, each <time>'s datetime, JSON-LD scripts: DateRules read them), from the
    /// bridge's cx_html_text. nil when libxml2 cannot read the bytes at all.
    public static func extract(_ bytes: [UInt8]) -> (headline: String?, text: String, metadata: [(name: String, value: String)])? {
        try? read(bytes).get()
    }

    /// As `extract`, with the bridge's reason when the page cannot be read (libxml2 cannot
    /// parse it, or it nests deeper than libxml2 follows).
    public static func read(_ bytes: [UInt8]) -> Result<(headline: String?, text: String, metadata: [(name: String, value: String)]), PresseError> {
        // A page without a declared charset is read as UTF-8 when it is valid UTF-8 (libxml2
        // would assume Latin-1), else left to libxml2 (its <meta charset>, else Latin-1).
        let utf8: Int32 = String(validating: bytes, as: UTF8.self) != nil ? 1 : 0
        var headline = cx_bytes(), text = cx_bytes(), metadata = cx_bytes(), error = cx_error()
        defer {
            cx_bytes_free(&headline)
            cx_bytes_free(&text)
            cx_bytes_free(&metadata)
            cx_error_clear(&error)
        }
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cx_html_text(chars.baseAddress, chars.count, utf8, &headline, &text, &metadata, &error)
            }
        }
        guard status == CX_OK else {
            return .failure(PresseError(.invalidArgument, error.message.map { String(cString: $0) } ?? "HTML that cannot be read"))
        }
        let title = string(headline.data, headline.length)
        // "name\0value\0" pairs.
        let fields = string(metadata.data, metadata.length).utf8.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        let pairs = stride(from: 0, to: fields.count - 1, by: 2).map { (name: fields[$0], value: fields[$0 + 1]) }
        return .success((title.isEmpty ? nil : title, string(text.data, text.length), pairs))
    }
}
