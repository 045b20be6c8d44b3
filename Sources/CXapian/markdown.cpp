// Markdown to HTML with cmark, the CommonMark reference implementation (Debian's libcmark):
// the HTML is then read as any web page (cx_html_text), so a Markdown release loses its `#`,
// `*` and link addresses and keeps its first heading as its headline.
#include <cmark.h>

#include <cstdlib>
#include <memory>

#include "internal.h"

extern "C" cx_status cx_markdown_html(const char *bytes, size_t length, cx_bytes *html, cx_error *error) {
    if (html) *html = cx_bytes{nullptr, 0};
    try {
        if (!html || (!bytes && length)) return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        // Raw HTML inside the Markdown is kept (CMARK_OPT_UNSAFE): the output is only read for
        // its text by libxml2, never shown, and a release's <em> or <table> is part of it.
        std::unique_ptr<char, decltype(&std::free)> out(
            cmark_markdown_to_html(bytes ? bytes : "", length, CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8), &std::free);
        if (!out) throw std::bad_alloc();
        cxapian::copy_out(std::string(out.get()), html);
        return CX_OK;
    } catch (...) {
        return cxapian::translate_exception(error);
    }
}
