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

/// The text of a release saved as a PDF, through poppler's pdftotext run as a helper process
/// (the bridge's cx_pdf_text): a process of its own only while a PDF is read, so no search
/// loads poppler, and a PDF that crashes poppler or asks it for gigabytes costs that helper,
/// not the index.
public enum PDFText {
    /// pdftotext reads ~5 MB of PDF a second (a 200 MB PDF of text: 40 s); a PDF still being
    /// read after this long is a pathological one.
    public static let timeoutSeconds: Int32 = 300

    /// True for a file named .pdf or whose first bytes are a PDF's header.
    public static func isPDF(path: String, bytes: [UInt8]) -> Bool {
        path.lowercased().hasSuffix(".pdf") || bytes.starts(with: Array("%PDF-".utf8))
    }

    /// The document at `path`; the one-line reason when it cannot be read.
    public static func extract(path: String) -> Result<DocumentText, PresseError> {
        var title = cx_bytes(), created = cx_bytes(), text = cx_bytes(), error = cx_error()
        defer {
            cx_bytes_free(&title)
            cx_bytes_free(&created)
            cx_bytes_free(&text)
            cx_error_clear(&error)
        }
        var path = path
        let status = path.withUTF8 { name in
            name.withMemoryRebound(to: CChar.self) {
                cx_pdf_text($0.baseAddress, $0.count, DocumentText.maximumTextBytes, timeoutSeconds, &title, &created, &text, &error)
            }
        }
        guard status == CX_OK else {
            return .failure(PresseError(.invalidArgument, error.message.map { String(cString: $0) } ?? "a PDF that cannot be read"))
        }
        return .success(DocumentText(title: title, created: created, text: text))
    }
}

/// The text of a release saved as a Word file (.docx), read from the zip's bytes by the bridge
/// (cx_docx_text: its own zip directory reader, zlib, libxml2 streaming).
public enum DocxText {
    public static func isDocx(path: String) -> Bool { path.lowercased().hasSuffix(".docx") }

    /// How far word/document.xml may inflate: WordprocessingML is ~5 bytes of markup a byte of
    /// text, so this admits the largest text a release may have and stops a zip bomb within a
    /// second of inflating.
    public static let maximumInflatedBytes = 8 * DocumentText.maximumTextBytes

    /// The document; the one-line reason when the file is not a Word file Presse can read.
    public static func extract(_ bytes: [UInt8]) -> Result<DocumentText, PresseError> {
        var title = cx_bytes(), created = cx_bytes(), text = cx_bytes(), error = cx_error()
        defer {
            cx_bytes_free(&title)
            cx_bytes_free(&created)
            cx_bytes_free(&text)
            cx_error_clear(&error)
        }
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                cx_docx_text($0.baseAddress, $0.count, maximumInflatedBytes, &title, &created, &text, &error)
            }
        }
        guard status == CX_OK else {
            return .failure(PresseError(.invalidArgument, error.message.map { String(cString: $0) } ?? "a Word file that cannot be read"))
        }
        let document = DocumentText(title: title, created: created, text: text)
        // The text is bounded as a PDF's is (the inflate bound admits a little more).
        guard document.text.utf8.count <= DocumentText.maximumTextBytes else {
            return .failure(PresseError(.invalidArgument, "a Word file whose text is longer than \(DocumentText.maximumTextBytes >> 20) MB"))
        }
        return .success(document)
    }
}
