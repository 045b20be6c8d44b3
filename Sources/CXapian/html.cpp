// Web pages: their text through libxml2's HTML parser, which recovers from real-world markup
// as browsers do. Here rather than in Swift: libxml2's headers bring the system's ICU, whose
// types clash with Foundation's own copy in any Swift module that sees both.

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "internal.h"
#include "xml_library.h"

using cxapian::xml;

namespace {

// Never text: what a page holds that a reader does not see as words.
const char *const kSkipped[] = {"script", "style", "noscript", "template", "button", "select", "svg", "iframe",
                                "object", "head"};
// Text, but the page's furniture: kept in the text (shown by `presse inspect`) and dropped.
// A page's <header> and <footer> are; an article's, which hold its headline and date, are not.
const char *const kFurniture[] = {"nav", "header", "footer", "aside", "form", "menu"};
const char *const kBlocks[] = {"p", "div", "section", "article", "main", "blockquote", "pre", "li", "dt", "dd",
                               "tr", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6",
                               "figcaption", "address", "hr", "body", "nav", "header", "footer", "aside", "form",
                               "menu"};
// Words in a class or id that name furniture (the readability family's "unlikely candidates"),
// whole (after splitting "post-share_buttons" at - and _) or as a word's start ("sharebar").
const char *const kFurnitureWords[] = {"nav", "navbar", "navigation", "menu", "ads", "ad", "tags", "tagcloud", "rss",
                                       "pager", "popup", "modal", "banner", "related", "consent", "gdpr", "promo",
                                       "subscribe", "skip", "footer", "breadcrumb", "breadcrumbs"};
const char *const kFurniturePrefixes[] = {"share", "social", "cookie", "breadcrumb", "comment", "newsletter", "sidebar",
                                          "widget", "advert", "sponsor", "addthis", "shariff", "pagination",
                                          "sharing", "follow"};
// Words that say a block is the content, whatever else its class says (readability's
// "okMaybeItsACandidate"): class="article-content share-aware" is kept.
const char *const kContentWords[] = {"article", "content", "main", "body", "entry", "story", "text"};

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

// An attribute's value in lower case ("" when absent): class and id words, meta names.
std::string lowercase_attribute(const xmlNode *node, const char *name) {
    xmlChar *value = xml().xmlGetProp(node, reinterpret_cast<const xmlChar *>(name));
    if (!value) return "";
    std::string result = reinterpret_cast<const char *>(value);
    xml().free(value);
    for (char &c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return result;
}

bool is_text(const xmlNode *node) { return node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE; }

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Whitespace collapsed to one space, none at the ends.
std::string collapse_spaces(const std::string &raw) {
    std::string out;
    for (unsigned char c : raw) {
        if (is_space(c)) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += static_cast<char>(c);
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// The furniture word of an element's class and id ("share" for class="post-share-row"), or "".
std::string furniture_word(const xmlNode *node) {
    std::string names = lowercase_attribute(node, "class") + " " + lowercase_attribute(node, "id");
    std::vector<std::string> words;
    std::string word;
    for (char c : names + " ") {
        if (c == ' ' || c == '-' || c == '_' || c == '\t' || c == '\n') {
            if (!word.empty()) words.push_back(word);
            word.clear();
        } else {
            word += c;
        }
    }
    for (const std::string &w : words)
        if (one_of(w, kContentWords)) return "";
    for (const std::string &w : words) {
        if (one_of(w, kFurnitureWords)) return w;
        for (const char *prefix : kFurniturePrefixes)
            if (w.compare(0, std::strlen(prefix), prefix) == 0) return w;
    }
    return "";
}

// How much of an element's text is link text: the readability/jusText link density.
struct LinkStats {
    size_t chars = 0, link_chars = 0, links = 0;
    double density() const { return chars ? double(link_chars) / double(chars) : 0; }
};

class LinkCounter {
  public:
    // Counts every element once, bottom-up, so asking any element is a lookup.
    const LinkStats &count(const xmlNode *node) {
        auto found = stats_.find(node);
        if (found != stats_.end()) return found->second;
        LinkStats total;
        bool link = node->type == XML_ELEMENT_NODE && name_of(node) == "a";
        for (const xmlNode *child = node->children; child; child = child->next) {
            if (is_text(child)) {
                if (child->content)
                    for (const unsigned char *c = child->content; *c; ++c) total.chars += is_space(*c) ? 0 : 1;
            } else if (child->type == XML_ELEMENT_NODE && !one_of(name_of(child), kSkipped)) {
                const LinkStats &inner = count(child);
                total.chars += inner.chars;
                total.link_chars += inner.link_chars;
                total.links += inner.links;
            }
        }
        if (link) {
            total.link_chars = total.chars;
            total.links += 1;
        }
        return stats_[node] = total;
    }

  private:
    std::unordered_map<const xmlNode *, LinkStats> stats_;
};

// The page's text, a block (paragraph, heading, list item, table row) a paragraph, and which
// of its blocks are furniture (`dropped`): navigation, the page's header and footer (an
// article's are kept: they hold its headline and date), asides, forms, elements whose class
// or id names furniture, and blocks made mostly of links.
class Walk {
  public:
    void visit_siblings(const xmlNode *node) {
        for (; node; node = node->next) visit(node);
        end_block();
    }
    std::string text;
    std::string headline;  // the first <h1> that is not furniture

  private:
    void visit(const xmlNode *node) {
        if (is_text(node)) {
            if (node->content) add(reinterpret_cast<const char *>(node->content));
            return;
        }
        if (node->type != XML_ELEMENT_NODE) return;
        std::string name = name_of(node);
        if (one_of(name, kSkipped)) return;
        if (name == "br") { end_block(); return; }
        bool block = one_of(name, kBlocks), article = name == "article" || name == "main";
        std::string reason = reason_ && name == "h1" ? "" : furniture(node, name);
        // A page header's headline is the release's (many sites put it there), unless it is
        // the site's logo, a link home.
        bool headline_in_header = reason_ && *reason_ == "header" && name == "h1" && links_.count(node).density() < 0.5;
        bool starts_drop = !reason_ && !reason.empty();
        if (block || starts_drop || headline_in_header) end_block();
        const std::string *saved = reason_;
        if (starts_drop) reason_ = &reason;
        if (headline_in_header) reason_ = nullptr;
        if (article) ++articles_;
        size_t before = text.size() + line_.size();
        for (const xmlNode *child = node->children; child; child = child->next) visit(child);
        if (article) --articles_;
        if (name == "h1" && !reason_ && headline.empty()) headline = collapse_spaces(text.substr(std::min(before, text.size())) + line_);
        if (block || starts_drop || headline_in_header) end_block();
        reason_ = saved;
    }

    // Why an element is furniture ("" when it is not).
    std::string furniture(const xmlNode *node, const std::string &name) {
        if (name == "body" || name == "html" || name == "main" || name == "article") return "";
        bool article_frame = articles_ > 0 && (name == "header" || name == "footer");
        if (one_of(name, kFurniture) && !article_frame) return name;
        std::string word = furniture_word(node);
        if (!word.empty()) return "class or id \"" + word + "\"";
        if (!one_of(name, kBlocks) || name == "h1") return "";
        const LinkStats &stats = links_.count(node);
        // A list of links (a menu, "related articles"), or a short block that is one link
        // ("Read the full story").
        if (stats.links >= 3 && stats.density() >= 0.5) return "link list";
        if (stats.links >= 1 && stats.density() >= 0.8 && stats.chars < 200) return "link";
        return "";
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
        size_t start = text.size();
        text += line_;
        line_.clear();
        if (!reason_) return;
        // One stretch for consecutive blocks dropped for one reason.
        if (!drops_.empty() && drops_.back().end + 2 == start && drops_.back().reason == *reason_)
            drops_.back().end = text.size();
        else
            drops_.push_back({start, text.size(), *reason_});
    }

  public:
    std::string dropped() const {
        std::string out;
        for (const Drop &drop : drops_)
            out += std::to_string(drop.start) + "\t" + std::to_string(drop.end) + "\t" + drop.reason + "\n";
        return out;
    }

  private:
    std::string line_;
    int articles_ = 0;
    const std::string *reason_ = nullptr;  // set while inside furniture
    struct Drop {
        size_t start, end;
        std::string reason;
    };
    std::vector<Drop> drops_;
    LinkCounter links_;
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


// The page's Open Graph title (<meta property="og:title" content="...">), or "".
std::string open_graph_title(const xmlNode *node) {
    for (; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE) continue;
        if (name_of(node) == "meta") {
            std::string kind = lowercase_attribute(node, "property");
            if (kind.empty()) kind = lowercase_attribute(node, "name");
            if (kind == "og:title") {
                xmlChar *content = xml().xmlGetProp(node, reinterpret_cast<const xmlChar *>("content"));
                std::string title = content ? reinterpret_cast<const char *>(content) : "";
                if (content) xml().free(content);
                return title;
            }
        }
        std::string found = open_graph_title(node->children);
        if (!found.empty()) return found;
    }
    return "";
}

// A <title> without the site's name around it: its longest part between " | ", " - ", " – ",
// " — ", " · ", " :: " or " » " ("BioM renews its partnership | BioM" gives the headline).
std::string without_site_name(const std::string &title) {
    static const char *const separators[] = {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \xC2\xB7 ", " :: ",
                                             " \xC2\xBB "};
    std::vector<std::string> parts{title};
    for (const char *separator : separators) {
        std::vector<std::string> split;
        for (const std::string &part : parts) {
            size_t from = 0, at;
            while ((at = part.find(separator, from)) != std::string::npos) {
                split.push_back(part.substr(from, at - from));
                from = at + std::strlen(separator);
            }
            split.push_back(part.substr(from));
        }
        parts = split;
    }
    return *std::max_element(parts.begin(), parts.end(),
                             [](const std::string &a, const std::string &b) { return a.size() < b.size(); });
}

bool has_word(const std::string &text) {
    for (unsigned char c : text)
        if (std::isalnum(c) || c >= 0x80) return true;
    return false;
}

std::string attribute(const xmlNode *node, const char *name) {
    xmlChar *value = xml().xmlGetProp(node, reinterpret_cast<const xmlChar *>(name));
    if (!value) return "";
    std::string out = reinterpret_cast<const char *>(value);
    xml().free(value);
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
                                  cx_bytes *metadata, cx_bytes *dropped, cx_error *error) {
    if (headline) *headline = cx_bytes{nullptr, 0};
    if (text) *text = cx_bytes{nullptr, 0};
    if (metadata) *metadata = cx_bytes{nullptr, 0};
    if (dropped) *dropped = cx_bytes{nullptr, 0};
    htmlDocPtr document = nullptr;
    try {
        if (!headline || !text || !metadata || !dropped || (!bytes && length))
            return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NOBLANKS;
        htmlParserCtxtPtr parser = xml().htmlNewParserCtxt();
        if (!parser) throw std::bad_alloc();
        document = xml().htmlCtxtReadMemory(parser, bytes ? bytes : "", static_cast<int>(std::min<size_t>(length, INT32_MAX)),
                                      nullptr, utf8 ? "UTF-8" : nullptr, options);
        // libxml2 stops nesting at 256 elements (which also keeps the walks below, recursive,
        // off the stack's end) and drops what lies deeper: say so rather than index a part.
        const xmlError *last = xml().xmlCtxtGetLastError(parser);
        bool too_deep = last && last->message && std::strncmp(last->message, "Excessive depth", 15) == 0;
        xml().htmlFreeParserCtxt(parser);
        if (document && too_deep) {
            xml().xmlFreeDoc(document);
            return cxapian::fail(error, CX_INVALID_ARGUMENT, "HTML nested deeper than 256 elements");
        }
        if (!document) return cxapian::fail(error, CX_INVALID_ARGUMENT, "HTML that cannot be read");
        const xmlNode *root = xml().xmlDocGetRootElement(document);
        Walk walk;
        walk.visit_siblings(root);
        // The headline: the article's own, else the one the page gives sharing sites, else the
        // browser tab's without the site's name.
        std::string title = walk.headline;
        if (!has_word(title)) title = collapse_spaces(open_graph_title(root));
        if (!has_word(title)) title = without_site_name(text_of(first("title", root)));
        if (!has_word(title)) title.clear();
        cxapian::copy_out(title, headline);
        cxapian::copy_out(walk.text, text);
        cxapian::copy_out(walk.dropped(), dropped);
        cxapian::copy_out(metadata_of(root), metadata);
        xml().xmlFreeDoc(document);
        return CX_OK;
    } catch (...) {
        if (document) xml().xmlFreeDoc(document);
        cx_bytes_free(headline);
        cx_bytes_free(text);
        return cxapian::translate_exception(error);
    }
}
