import Foundation
internal import CXapian
internal import ZIPFoundation

/// The text of a release saved as a Word file (.docx): the zip opened with ZIPFoundation, its
/// word/document.xml and docProps/core.xml read by the bridge (cx_docx_text, libxml2).
public enum DocxText {
    public static func isDocx(path: String) -> Bool { path.lowercased().hasSuffix(".docx") }

    /// The title (nil when the file's properties have none) and the text; the reason when the
    /// file is not a Word file Presse can read.
    public static func extract(_ bytes: [UInt8]) -> Result<(title: String?, text: String), PresseError> {
        let unreadable = PresseError(.invalidArgument, "a Word file that cannot be read")
        guard let archive = try? Archive(data: Data(bytes), accessMode: .read),
              let document = entry("word/document.xml", in: archive) else { return .failure(unreadable) }
        let core = entry("docProps/core.xml", in: archive) ?? Data()
        var title = cx_bytes(), text = cx_bytes(), error = cx_error()
        defer {
            cx_bytes_free(&title)
            cx_bytes_free(&text)
            cx_error_clear(&error)
        }
        let status = document.withUnsafeBytes { body in
            core.withUnsafeBytes { properties in
                cx_docx_text(body.baseAddress?.assumingMemoryBound(to: CChar.self), body.count,
                             properties.baseAddress?.assumingMemoryBound(to: CChar.self), properties.count,
                             &title, &text, &error)
            }
        }
        guard status == CX_OK else { return .failure(unreadable) }
        let name = string(title.data, title.length).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return .success((name.isEmpty ? nil : name, string(text.data, text.length)))
    }

    /// One member of the zip, whole (at most 64 MB: a release's text is far smaller).
    private static func entry(_ path: String, in archive: Archive) -> Data? {
        guard let entry = archive[path], entry.uncompressedSize <= 64 << 20 else { return nil }
        var data = Data()
        guard (try? archive.extract(entry, skipCRC32: false) { data.append($0) }) != nil else { return nil }
        return data
    }
}
