internal import CXapian

/// The text of a release saved as a PDF, through poppler's pdftotext run as a helper process
/// (the bridge's cx_pdf_text): a process of its own only while a PDF is read, so no search
/// loads poppler, and a PDF that crashes poppler or asks it for gigabytes costs that helper,
/// not the index.
public enum PDFText {
    /// A release-sized PDF takes pdftotext ~13 ms; a 200 MB PDF of text reaches the 64 MB text
    /// limit in 50–160 s on the project's shared machine (measured). A PDF still being read
    /// after this long is a pathological one.
    public static let timeoutSeconds: Int32 = 300

    /// True for a file named .pdf or whose first bytes are a PDF's header.
    public static func isPDF(path: String, bytes: [UInt8]) -> Bool {
        path.lowercased().hasSuffix(".pdf") || bytes.starts(with: Array("%PDF-".utf8))
    }

    /// The document at `path`; the one-line reason when it cannot be read.
    public static func extract(path: String) -> Result<DocumentText, PresseError> {
        var path = path
        let read = DocumentText.read(unreadable: "a PDF that cannot be read") { title, created, text, error in
            path.withUTF8 { name in
                name.withMemoryRebound(to: CChar.self) {
                    cx_pdf_text($0.baseAddress, $0.count, DocumentText.maximumTextBytes, timeoutSeconds, &title, &created, &text, &error)
                }
            }
        }
        guard case .success(let document) = read else { return read }
        if document.text.allSatisfy(\.isWhitespace) {
            // Pages of images (a scan): Presse reads no text from images.
            return .failure(PresseError(.invalidArgument, "a PDF without text (pages of images only, perhaps scanned)"))
        }
        return .success(document)
    }
}
