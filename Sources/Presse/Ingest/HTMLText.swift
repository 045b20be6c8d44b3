internal import CLibXML2

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

    /// The headline (the first `<h1>`, else `<title>`; nil when neither has words) and the
    /// text, blocks separated by blank lines. nil when libxml2 cannot read the bytes at all.
    public static func extract(_ bytes: [UInt8]) -> (headline: String?, text: String)? {
        // A page without a declared charset is read as UTF-8 when it is valid UTF-8 (libxml2
        // would assume Latin-1), else left to libxml2 (its <meta charset>, else Latin-1).
        _ = parserReady
        let encoding: String? = String(validating: bytes, as: UTF8.self) != nil ? "UTF-8" : nil
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOBLANKS.rawValue)
        let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let encoding {
                    return encoding.withCString { htmlReadMemory(chars.baseAddress, Int32(clamping: chars.count), nil, $0, options) }
                }
                return htmlReadMemory(chars.baseAddress, Int32(clamping: chars.count), nil, nil, options)
            }
        }
        guard let document else { return nil }
        defer { xmlFreeDoc(document) }
        let root = xmlDocGetRootElement(document)
        var walk = Walk()
        walk.visit(root)
        // The headline wherever it stands (a page's <header> holds it as often as its body).
        let headline = ["h1", "title"].lazy.compactMap { Walk.collapsed(Walk.text(of: Walk.first($0, in: root))) }
            .first { $0.contains { $0.isLetter || $0.isNumber } }
        return (headline, walk.text)
    }

    /// libxml2 sets up its globals once per process, before any thread parses (files are
    /// prepared on every core).
    private static let parserReady: Void = xmlInitParser()

    /// Elements whose content is not the release's text.
    static let skipped: Set<String> = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside",
                                       "form", "button", "select", "svg", "iframe", "object", "head"]
    /// Elements that make a block of their own: a paragraph of the text.
    static let blocks: Set<String> = ["p", "div", "section", "article", "main", "blockquote", "pre", "li", "dt", "dd",
                                      "tr", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6",
                                      "figcaption", "address", "hr", "body"]

    /// The walk over the element tree: text gathered block by block.
    struct Walk {
        var text = ""
        private var line = ""
        private var articles = 0  // <article>s and <main>s the walk is inside  // the block being gathered, whitespace collapsed

        mutating func visit(_ node: xmlNodePtr?) {
            var child = node
            while let current = child {
                visitOne(current)
                child = current.pointee.next
            }
            endBlock()
        }

        private mutating func visitOne(_ node: xmlNodePtr) {
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { add(String(cString: content)) }
            case XML_ELEMENT_NODE:
                let name = Self.name(of: node)
                // A page's header and footer are its surroundings; an article's hold its
                // headline, byline and date.
                let articleFrame = articles > 0 && (name == "header" || name == "footer")
                if HTMLText.skipped.contains(name) && !articleFrame { return }
                let article = name == "article" || name == "main"
                if article { articles += 1 }
                defer { if article { articles -= 1 } }
                if name == "br" { endBlock(); return }
                let block = HTMLText.blocks.contains(name)
                if block { endBlock() }
                var child = node.pointee.children
                while let current = child {
                    visitOne(current)
                    child = current.pointee.next
                }
                if block { endBlock() }
            default:
                break
            }
        }

        private mutating func add(_ piece: String) {
            for character in piece {
                if character.isWhitespace {
                    if !line.isEmpty && line.last != " " { line.append(" ") }
                } else {
                    line.append(character)
                }
            }
        }

        private mutating func endBlock() {
            while line.last == " " { line.removeLast() }
            guard !line.isEmpty else { return }
            if !text.isEmpty { text += "\n\n" }
            text += line
            line = ""
        }

        static func name(of node: xmlNodePtr) -> String {
            node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
        }

        /// The first element called `name` at or below `node`, in document order.
        static func first(_ name: String, in node: xmlNodePtr?) -> xmlNodePtr? {
            var child = node
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE {
                    if Self.name(of: current) == name { return current }
                    if let found = first(name, in: current.pointee.children) { return found }
                }
                child = current.pointee.next
            }
            return nil
        }

        /// All the text below `node`.
        static func text(of node: xmlNodePtr?) -> String {
            guard let node else { return "" }
            if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE {
                return node.pointee.content.map { String(cString: $0) } ?? ""
            }
            var out = ""
            var child = node.pointee.children
            while let current = child {
                out += " " + text(of: current)
                child = current.pointee.next
            }
            return out
        }

        static func collapsed(_ text: String) -> String? {
            let words = text.split(whereSeparator: \.isWhitespace)
            return words.isEmpty ? nil : words.joined(separator: " ")
        }
    }
}
