// Web pages: their text through libxml2's HTML parser, which recovers from real-world markup
// as browsers do. Here rather than in Swift: libxml2's headers bring the system's ICU, whose
// types clash with Foundation's own copy in any Swift module that sees both.
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <string>

#include "internal.h"

namespace {

const char *const kSkipped[] = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside",
                                "form", "button", "select", "svg", "iframe", "object", "head"};
const char *const kBlocks[] = {"p", "div", "section", "article", "main", "blockquote", "pre", "li", "dt", "dd",
                               "tr", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6",
                               "figcaption", "address", "hr", "body"};

template <size_t N>
bool one_of(const std::string &name, const char *const (&names)[N]) {
    for (const char *candidate : names)
        if (name == candidate) return true;
    return false;
}

std::string name_of(const xmlNode *node) {
    std::string name = node->name ? reinterpret_cast<const char *>(node->name) : "";
    for (char &c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

bool is_text(const xmlNode *node) { return node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE; }

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// The page's text, a block (paragraph, heading, list item, table row) a paragraph, without
// what a page wraps around a release: scripts, styles, navigation, forms, asides, and the
// page's own header and footer (an article's hold its headline and date, and are kept).
class Walk {
  public:
    void visit_siblings(const xmlNode *node) {
        for (; node; node = node->next) visit(node);
        end_block();
    }
    std::string text;

  private:
    void visit(const xmlNode *node) {
        if (is_text(node)) {
            if (node->content) add(reinterpret_cast<const char *>(node->content));
            return;
        }
        if (node->type != XML_ELEMENT_NODE) return;
        std::string name = name_of(node);
        bool article_frame = articles_ > 0 && (name == "header" || name == "footer");
        if (one_of(name, kSkipped) && !article_frame) return;
        if (name == "br") { end_block(); return; }
        bool block = one_of(name, kBlocks), article = name == "article" || name == "main";
        if (block) end_block();
        if (article) ++articles_;
        for (const xmlNode *child = node->children; child; child = child->next) visit(child);
        if (article) --articles_;
        if (block) end_block();
    }

    // Whitespace collapsed to one space.
    void add(const char *piece) {
        for (; *piece; ++piece) {
            unsigned char c = static_cast<unsigned char>(*piece);
            if (is_space(c)) {
                if (!line_.empty() && line_.back() != ' ') line_ += ' ';
            } else {
                line_ += static_cast<char>(c);
            }
        }
    }

    void end_block() {
        while (!line_.empty() && line_.back() == ' ') line_.pop_back();
        if (line_.empty()) return;
        if (!text.empty()) text += "\n\n";
        text += line_;
        line_.clear();
    }

    std::string line_;
    int articles_ = 0;
};

// The first element called `name` at or after `node`, in document order.
const xmlNode *first(const char *name, const xmlNode *node) {
    for (; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE) continue;
        if (name_of(node) == name) return node;
        if (const xmlNode *found = first(name, node->children)) return found;
    }
    return nullptr;
}

// All the text below `node`, whitespace collapsed; "" when it has no letter or digit.
std::string text_of(const xmlNode *node) {
    std::string raw;
    struct Gather {
        static void run(const xmlNode *n, std::string &out) {
            for (; n; n = n->next) {
                if (is_text(n) && n->content) out += std::string(" ") + reinterpret_cast<const char *>(n->content);
                else if (n->type == XML_ELEMENT_NODE) run(n->children, out);
            }
        }
    };
    if (node) Gather::run(node->children, raw);
    std::string out;
    bool words = false;
    for (unsigned char c : raw) {
        if (is_space(c)) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += static_cast<char>(c);
            words = words || std::isalnum(c) || c >= 0x80;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return words ? out : "";
}

std::string attribute(const xmlNode *node, const char *name) {
    xmlChar *value = xmlGetProp(node, reinterpret_cast<const xmlChar *>(name));
    if (!value) return "";
    std::string out = reinterpret_cast<const char *>(value);
    xmlFree(value);
    return out;
}

// The page's raw metadata for Swift's rules (DateRules) to read, as "name\0value\0" pairs
// in document order: each <meta>'s name, property or itemprop with its content, each
// <time>'s datetime, else its text (named "time"), and each JSON-LD script's text (named
// "ld+json").
// Nothing is interpreted here. Walked without recursion: a page may nest deeply.
std::string metadata_of(const xmlNode *root) {
    std::string out;
    auto add = [&out](const std::string &name, const std::string &value) {
        if (name.empty() || value.empty() || out.size() > (1 << 20)) return;
        out += name;
        out += '\0';
        out += value;
        out += '\0';
    };
    const xmlNode *node = root;
    while (node) {
        if (node->type == XML_ELEMENT_NODE) {
            std::string name = name_of(node);
            if (name == "meta") {
                std::string key = attribute(node, "property");
                if (key.empty()) key = attribute(node, "name");
                if (key.empty()) key = attribute(node, "itemprop");
                add(key, attribute(node, "content"));
            } else if (name == "time") {
                // Without a datetime, a <time>'s text is its value (the HTML standard's rule).
                std::string value = attribute(node, "datetime");
                add("time", value.empty() ? text_of(node) : value);
            } else if (name == "script" && attribute(node, "type") == "application/ld+json") {
                add("ld+json", text_of(node));
            }
            if (node->children) { node = node->children; continue; }
        }
        while (node && !node->next && node != root) node = node->parent;
        if (!node || node == root) break;
        node = node->next;
    }
    return out;
}

}  // namespace

extern "C" cx_status cx_html_text(const char *bytes, size_t length, int utf8, cx_bytes *headline, cx_bytes *text,
                                  cx_bytes *metadata, cx_error *error) {
    if (headline) *headline = cx_bytes{nullptr, 0};
    if (text) *text = cx_bytes{nullptr, 0};
    if (metadata) *metadata = cx_bytes{nullptr, 0};
    htmlDocPtr document = nullptr;
    try {
        if (!headline || !text || !metadata || (!bytes && length)) return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        // libxml2 sets up its globals once per process, before any thread parses.
        static std::once_flag ready;
        std::call_once(ready, [] { xmlInitParser(); });
        int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NOBLANKS;
        htmlParserCtxtPtr parser = htmlNewParserCtxt();
        if (!parser) throw std::bad_alloc();
        document = htmlCtxtReadMemory(parser, bytes ? bytes : "", static_cast<int>(std::min<size_t>(length, INT32_MAX)),
                                      nullptr, utf8 ? "UTF-8" : nullptr, options);
        // libxml2 stops nesting at 256 elements (which also keeps the walks below, recursive,
        // off the stack's end) and drops what lies deeper: say so rather than index a part.
        const xmlError *last = xmlCtxtGetLastError(parser);
        bool too_deep = last && last->message && std::strncmp(last->message, "Excessive depth", 15) == 0;
        htmlFreeParserCtxt(parser);
        if (document && too_deep) {
            xmlFreeDoc(document);
            return cxapian::fail(error, CX_INVALID_ARGUMENT, "HTML nested deeper than 256 elements");
        }
        if (!document) return cxapian::fail(error, CX_INVALID_ARGUMENT, "HTML that cannot be read");
        const xmlNode *root = xmlDocGetRootElement(document);
        Walk walk;
        walk.visit_siblings(root);
        // The headline wherever it stands (a page's <header> holds it as often as its body).
        std::string title = text_of(first("h1", root));
        if (title.empty()) title = text_of(first("title", root));
        cxapian::copy_out(title, headline);
        cxapian::copy_out(walk.text, text);
        cxapian::copy_out(metadata_of(root), metadata);
        xmlFreeDoc(document);
        return CX_OK;
    } catch (...) {
        if (document) xmlFreeDoc(document);
        cx_bytes_free(headline);
        cx_bytes_free(text);
        return cxapian::translate_exception(error);
    }
}
