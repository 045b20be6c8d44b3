internal import CXapian

/// The text of a release saved as a Word file (.docx), read from the zip's bytes by the bridge
/// (cx_docx_text: its own zip directory reader, zlib, libxml2 streaming).
public enum DocxText {
    public static func isDocx(path: String) -> Bool { path.lowercased().hasSuffix(".docx") }

    /// How far word/document.xml may inflate: WordprocessingML is a few bytes of markup a byte
    /// of text, so this admits the largest text a release may have, and a zip bomb (1 MB that
    /// inflates to 1 GB) stops after ~2 s of CPU with 15 MB of memory (measured).
    public static let maximumInflatedBytes = 8 * DocumentText.maximumTextBytes

    /// The document; the one-line reason when the file is not a Word file Presse can read.
    public static func extract(_ bytes: [UInt8]) -> Result<DocumentText, PresseError> {
        DocumentText.read(unreadable: "a Word file that cannot be read") { title, created, text, error in
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) {
                    cx_docx_text($0.baseAddress, $0.count, maximumInflatedBytes, DocumentText.maximumTextBytes,
                                 &title, &created, &text, &error)
                }
            }
        }
    }
}
