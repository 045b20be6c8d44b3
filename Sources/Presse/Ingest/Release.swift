/// A release read from disk and split, ready for the writer. Built off the writer's thread.
public struct PreparedRelease: Sendable {
    public var path: String
    public var record: ReleaseRecord
    /// Stored in the release's document (schema.h), not in the record: searches read it there.
    public var title: String
    public var passages: [Passage]
    /// The text's furniture (Boilerplate): not indexed, shown by `presse inspect`.
    public var dropped: [DroppedText] = []
    /// How the file was read: plain text, or a web page's text (HTMLText).
    public var format: ReleaseFormat = .text
    /// The day it was published and where that was found (DateRules); nil only for a release
    /// built without one (tests).
    public var date: ReleaseDate? = nil
    public var key: String { ReleaseRecord.key(for: path) }
}

/// The kinds of file Presse reads.
public enum ReleaseFormat: String, Sendable {
    case text, html, markdown, eml, pdf, docx

    /// A file's format: by its name for Markdown (.md, .markdown), e-mails (.eml), Word files
    /// (.docx), PDFs and web pages, and by its first bytes for a PDF or a page saved without
    /// its extension.
    static func of(path: String, bytes: [UInt8]) -> ReleaseFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") { return .markdown }
        if MailText.isMail(path: path) { return .eml }
        if PDFText.isPDF(path: path, bytes: bytes) { return .pdf }
        if DocxText.isDocx(path: path) { return .docx }
        return HTMLText.isHTML(path: path, bytes: bytes) ? .html : .text
    }
}

/// What the index remembers about a release's file, in the release's own document
/// (schema.h, kRecordSlot): enough to skip an unchanged file without reading it.
public struct ReleaseRecord: Sendable, Equatable {
    /// FNV-1a over the file's bytes: with the size, plenty to tell two versions of one
    /// release apart.
    public var contentHash: UInt64
    public var size: Int
    /// Nanoseconds since the epoch.
    public var modified: Int64
    public var passages: Int

    public init(contentHash: UInt64, size: Int, modified: Int64, passages: Int) {
        self.contentHash = contentHash
        self.size = size
        self.modified = modified
        self.passages = passages
    }

    /// The same bytes, whatever the file's time says.
    func sameContent(as other: ReleaseRecord) -> Bool { contentHash == other.contentHash && size == other.size }

    /// A release's identity is its absolute path; the key is a 64-bit FNV-1a hash of it, so a
    /// term stays short whatever the path's length.
    public static func key(for path: String) -> String { hex(fnv1a(path.utf8)) }
}

func fnv1a<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash &*= 0x100_0000_01b3
    }
    return hash
}

func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}

public enum ReleaseReader {
    public enum Outcome: Sendable {
        case ready(PreparedRelease)
        case skipped(path: String, reason: String)
    }

    /// A release larger than this is skipped: it is written in one transaction, which
    /// Xapian holds in memory until it commits.
    public static let maximumBytes = 256 << 20

    /// Reads, decodes, hashes and splits one file. `status` comes from the walk; `repeated`,
    /// the furniture learnt from the file's folder.
    public static func prepare(path: String, status: FileSystem.Status, splitter: PassageSplitter = PassageSplitter(),
                               repeated: RepeatedLines = RepeatedLines()) -> Outcome {
        guard status.size <= maximumBytes else {
            return .skipped(path: path, reason: "too large (\(status.size >> 20) MB; a release may have at most \(maximumBytes >> 20) MB)")
        }
        let bytes: [UInt8]
        switch FileSystem.read(path) {
        case .failure(let error): return .skipped(path: path, reason: error.message)
        case .success(let read): bytes = read
        }
        let text: String
        var headline: String?
        var pageDropped: [DroppedText] = []  // a web page's furniture, from its markup
        // What the file says about itself, for its date: (name, value) pairs.
        var metadata: [(name: String, value: String)] = []
        let format = ReleaseFormat.of(path: path, bytes: bytes)
        switch format {
        case .pdf, .docx:
            // pdftotext reads the file itself (it may be large); a Word file is a zip in memory.
            switch format == .pdf ? PDFText.extract(path: path) : DocxText.extract(bytes) {
            case .failure(let error): return .skipped(path: path, reason: error.message)
            case .success(let document):
                text = TextDecoding.normalizeControls(document.text)
                headline = document.title
                // The properties' creation date (a PDF's CreationDate, a Word file's
                // dcterms:created), ISO 8601.
                if let created = document.created { metadata = [(format == .pdf ? "creationdate" : "dcterms:created", created)] }
            }
        case .eml:
            // An e-mail: its text part (or HTML part), its subject as the title.
            guard let mail = MailText.extract(bytes) else { return .skipped(path: path, reason: MailText.whyUnreadable(bytes)) }
            text = TextDecoding.normalizeControls(mail.text)
            headline = mail.subject
            if let date = mail.date { metadata = [("date", date)] }
        case .html:
            // A web page: its text without its markup and surroundings, and its headline.
            let page: HTMLText.Page
            switch HTMLText.read(bytes) {
            case .failure(let error): return .skipped(path: path, reason: error.message)
            case .success(let read): page = read
            }
            text = TextDecoding.normalizeControls(page.text)
            headline = page.headline
            pageDropped = page.dropped
            metadata = page.metadata
        case .markdown, .text:
            switch TextDecoding.decode(bytes) {
            case .skipped(let reason): return .skipped(path: path, reason: reason)
            case .text(let decoded) where format == .markdown:
                // Markdown becomes HTML (cmark), read as a web page: no `#`, `*` or link
                // addresses among the words, and its first `# heading` as the title.
                // Its front matter (`date: 2022-11-08` between `---` lines) is metadata.
                let markdown: MarkdownText.Document
                switch MarkdownText.read(decoded) {
                case .success(let document): markdown = document
                case .failure(let error): return .skipped(path: path, reason: error.message)
                }
                guard let page = HTMLText.extract(Array(markdown.html.utf8)) else {
                    return .skipped(path: path, reason: "Markdown that cannot be read")
                }
                text = TextDecoding.normalizeControls(page.text)
                headline = page.headline
                pageDropped = page.dropped
                metadata = markdown.metadata
            case .text(let decoded):
                text = decoded
            }
        }
        let dropped = Boilerplate.merged(pageDropped, Boilerplate.dropped(in: text, repeated: repeated))
        let (textTitle, passages) = splitter.passages(of: text, dropping: dropped)
        guard !passages.isEmpty else {
            return .skipped(path: path, reason: dropped.isEmpty ? "no words to index" : "nothing but page furniture (\(dropped[0].reason))")
        }
        let title = Headline.title(declared: headline) ?? textTitle
        let record = ReleaseRecord(contentHash: fnv1a(bytes), size: bytes.count, modified: status.modified,
                                   passages: passages.count)
        // Dated by its own text: a page's furniture holds other articles' dates.
        let date = DateRules.date(metadata: metadata, text: Boilerplate.kept(text, dropping: dropped),
                                  modifiedNanoseconds: status.modified)
        return .ready(PreparedRelease(path: path, record: record, title: title, passages: passages, dropped: dropped,
                                      format: format, date: date))
    }
}
