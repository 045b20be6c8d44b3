// Word releases (.docx): the text of word/document.xml, a paragraph (w:p) a paragraph, and
// the title of docProps/core.xml, through libxml2's XML parser (the zip itself is opened in
// Swift, with ZIPFoundation).
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <mutex>
#include <string>

#include "internal.h"

namespace {

bool named(const xmlNode *node, const char *name) {
    return node->type == XML_ELEMENT_NODE && node->name && std::strcmp(reinterpret_cast<const char *>(node->name), name) == 0;
}

xmlDocPtr read_xml(const char *bytes, size_t length) {
    static std::once_flag ready;
    std::call_once(ready, [] { xmlInitParser(); });
    return xmlReadMemory(bytes, static_cast<int>(std::min<size_t>(length, INT_MAX)), nullptr, nullptr,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_RECOVER);
}

// WordprocessingML: text runs (w:t) inside paragraphs (w:p); tabs and breaks as spaces and
// line ends. A paragraph ends a paragraph of the text.
void walk(const xmlNode *node, std::string &paragraph, std::string &text) {
    for (; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE) continue;
        if (named(node, "t")) {
            for (const xmlNode *child = node->children; child; child = child->next)
                if (child->type == XML_TEXT_NODE && child->content) paragraph += reinterpret_cast<const char *>(child->content);
            continue;
        }
        if (named(node, "tab")) { paragraph += ' '; continue; }
        if (named(node, "br") || named(node, "cr")) { paragraph += '\n'; continue; }
        walk(node->children, paragraph, text);
        if (named(node, "p")) {
            bool words = std::any_of(paragraph.begin(), paragraph.end(), [](char c) { return c != ' ' && c != '\n'; });
            if (words) text += (text.empty() ? "" : "\n\n") + paragraph;
            paragraph.clear();
        }
    }
}

// The first element called `name` (without its namespace) at or below `node`.
const xmlNode *first(const xmlNode *node, const char *name) {
    for (; node; node = node->next) {
        if (named(node, name)) return node;
        if (node->type == XML_ELEMENT_NODE)
            if (const xmlNode *found = first(node->children, name)) return found;
    }
    return nullptr;
}

}  // namespace

extern "C" cx_status cx_docx_text(const char *document, size_t document_len, const char *core, size_t core_len,
                                  cx_bytes *title, cx_bytes *text, cx_error *error) {
    if (title) *title = cx_bytes{nullptr, 0};
    if (text) *text = cx_bytes{nullptr, 0};
    xmlDocPtr body = nullptr, properties = nullptr;
    try {
        if (!title || !text || !document) return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        body = read_xml(document, document_len);
        if (!body) return cxapian::fail(error, CX_INVALID_ARGUMENT, "a Word file whose text cannot be read");
        std::string paragraph, all;
        walk(xmlDocGetRootElement(body), paragraph, all);
        std::string name;
        if (core && core_len && (properties = read_xml(core, core_len))) {
            if (const xmlNode *found = first(xmlDocGetRootElement(properties), "title"))
                for (const xmlNode *child = found->children; child; child = child->next)
                    if (child->type == XML_TEXT_NODE && child->content) name += reinterpret_cast<const char *>(child->content);
        }
        cxapian::copy_out(name, title);
        cxapian::copy_out(all, text);
        xmlFreeDoc(body);
        if (properties) xmlFreeDoc(properties);
        return CX_OK;
    } catch (...) {
        if (body) xmlFreeDoc(body);
        if (properties) xmlFreeDoc(properties);
        cx_bytes_free(title);
        return cxapian::translate_exception(error);
    }
}
