internal import CXapian

/// The text of a release saved as a PDF, through poppler (the bridge's cx_pdf_text): page
/// after page, and the document's title from its metadata.
public enum PDFText {
    /// True for a file named .pdf or whose first bytes are a PDF's header.
    public static func isPDF(path: String, bytes: [UInt8]) -> Bool {
        path.lowercased().hasSuffix(".pdf") || bytes.starts(with: Array("%PDF-".utf8))
    }

    /// The title (nil when the metadata has none) and the text; the reason when poppler
    /// cannot read the file.
    public static func extract(_ bytes: [UInt8]) -> Result<(title: String?, text: String), PresseError> {
        var title = cx_bytes(), text = cx_bytes(), error = cx_error()
        defer {
            cx_bytes_free(&title)
            cx_bytes_free(&text)
            cx_error_clear(&error)
        }
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cx_pdf_text($0.baseAddress, $0.count, &title, &text, &error) }
        }
        guard status == CX_OK else {
            return .failure(PresseError(.invalidArgument, error.message.map { String(cString: $0) } ?? "a PDF that cannot be read"))
        }
        let name = string(title.data, title.length).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return .success((name.isEmpty ? nil : name, string(text.data, text.length)))
    }
}
