internal import CXapian

/// A release written in Markdown: its front matter (`key: value` lines between `---` lines at
/// the top, as static-site generators write a post's `date:` and `title:`) as metadata, and the
/// rest as HTML (CommonMark, by the bridge's cmark), which is then read as a web page.
enum MarkdownText {
    struct Document {
        var html: String
        var metadata: [(name: String, value: String)]
    }

    /// A failure, with the bridge's reason, when it cannot convert the text (cmark, loaded when
    /// first needed, missing from the machine: `scripts/install-deps` installs it).
    static func read(_ text: String) -> Result<Document, PresseError> {
        let (metadata, body) = frontMatter(of: text)
        var html = cx_bytes(), error = cx_error()
        defer {
            cx_bytes_free(&html)
            cx_error_clear(&error)
        }
        var body8 = Array(body.utf8)
        let status = body8.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cx_markdown_html($0.baseAddress, $0.count, &html, &error) }
        }
        guard status == CX_OK else {
            return .failure(PresseError(.invalidArgument, error.message.map { String(cString: $0) } ?? "Markdown that cannot be read"))
        }
        body8 = []
        let page = html.data.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: html.length), as: UTF8.self) } ?? ""
        return .success(Document(html: page, metadata: metadata))
    }

    /// The front matter's fields (in their order; a line without a colon continues the field
    /// before it) and the text after it. A text that does not open with `---` on a line of its
    /// own, or whose front matter is never closed, has none: all of it is Markdown.
    static func frontMatter(of text: String) -> (metadata: [(name: String, value: String)], body: Substring) {
        var lines = text[...].split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard lines.count == 2, trimmed(lines[0]) == "---" else { return ([], text[...]) }
        var fields: [(name: String, value: String)] = []
        var rest = lines[1]
        while !rest.isEmpty {
            lines = rest.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            let line = lines[0]
            rest = lines.count == 2 ? lines[1] : rest[rest.endIndex...]
            let content = trimmed(line)
            if content == "---" || content == "..." { return (fields, rest) }
            if content.isEmpty { continue }
            if let colon = content.firstIndex(of: ":") {
                let name = trimmed(content[..<colon]), value = trimmed(content[content.index(after: colon)...])
                if !name.isEmpty { fields.append((name: String(name), value: String(value))) }
            } else if !fields.isEmpty {
                fields[fields.count - 1].value += " " + content
            }
        }
        return ([], text[...])
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
            return text[text.endIndex...]
        }
        return text[first...last]
    }
}
