internal import CXapian

/// What a PDF or a Word file yields: its text, and what its properties say.
public struct DocumentText: Sendable, Equatable {
    /// The properties' title when it names the release (nil for none, or for a file name or an
    /// editor's placeholder: see `usableTitle`).
    public var title: String?
    /// The properties' creation date as the file writes it (ISO 8601), nil when it has none.
    public var created: String?
    /// Paragraphs separated by blank lines.
    public var text: String

    /// The text a PDF or Word file may yield. A 64 MB text takes ~0.5 GB to split and index
    /// (measured on a 64 MB .txt), so with the file's own bytes (at most
    /// ReleaseReader.maximumBytes) a release stays under 1 GB.
    public static let maximumTextBytes = 64 << 20

    /// A title from a file's properties, unless it is a placeholder the writing program left
    /// there: empty, "Untitled", or a file name ("Microsoft Word - release.docx",
    /// "Pressemitteilung_2022.pdf"), which a PDF printed from Word carries as often as not.
    static func usableTitle(_ raw: String) -> String? {
        let title = raw.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let lower = title.lowercased()
        if title.isEmpty || ["untitled", "unbenannt", "sans titre", "document", "title"].contains(lower) { return nil }
        if lower.hasPrefix("microsoft word - ") || lower.hasPrefix("microsoft powerpoint - ") { return nil }
        for suffix in [".doc", ".docx", ".odt", ".rtf", ".pdf", ".indd", ".txt", ".html", ".htm", ".pages"] where lower.hasSuffix(suffix) {
            return nil
        }
        return title
    }

    /// Runs a bridge reader (cx_pdf_text, cx_docx_text) with its three outputs and its error,
    /// freed here whatever happens; `unreadable` is the reason when the bridge gives none.
    static func read(unreadable: String,
                     _ call: (inout cx_bytes, inout cx_bytes, inout cx_bytes, inout cx_error) -> cx_status)
        -> Result<DocumentText, PresseError> {
        var title = cx_bytes(), created = cx_bytes(), text = cx_bytes(), error = cx_error()
        defer {
            cx_bytes_free(&title)
            cx_bytes_free(&created)
            cx_bytes_free(&text)
            cx_error_clear(&error)
        }
        guard call(&title, &created, &text, &error) == CX_OK else {
            return .failure(PresseError(.invalidArgument, error.message.map { String(cString: $0) } ?? unreadable))
        }
        return .success(DocumentText(title: title, created: created, text: text))
    }

    /// The document from the bridge's three outputs.
    init(title: cx_bytes, created: cx_bytes, text: cx_bytes) {
        self.title = Self.usableTitle(string(title.data, title.length))
        let date = string(created.data, created.length).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        self.created = date.isEmpty ? nil : date
        self.text = string(text.data, text.length)
    }

    public init(title: String?, created: String?, text: String) {
        self.title = title
        self.created = created
        self.text = text
    }
}
