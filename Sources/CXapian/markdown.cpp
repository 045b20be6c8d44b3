// Markdown to HTML with cmark, the CommonMark reference implementation (Debian's libcmark):
// the HTML is then read as any web page (cx_html_text), so a Markdown release loses its `#`,
// `*` and link addresses and keeps its first heading as its headline. cmark is loaded when the
// first Markdown release is read, not linked (as libxml2: xml_library.h): a search never
// needs it, and loading it was 14 page faults and 2,200 relocations of every process.
#include <cmark.h>

#include <cstdlib>
#include <memory>
#include <mutex>

#include "internal.h"
#include "xml_library.h"

namespace {

decltype(&cmark_markdown_to_html) markdown_to_html() {
    // A failed load throws out of call_once, which then lets the next caller try again.
    static std::once_flag loaded;
    static decltype(&cmark_markdown_to_html) function = nullptr;
    std::call_once(loaded, [] {
        // Debian 12's libcmark0.30.2 names its library by its full version; libcmark-dev's
        // link name, for any other.
        void *handle = cxapian::open_library({"libcmark.so.0.30.2", "libcmark.so"}, "cmark");
        cxapian::bind(handle, "cmark", "cmark_markdown_to_html", &function);
    });
    return function;
}

}  // namespace

extern "C" cx_status cx_markdown_html(const char *bytes, size_t length, cx_bytes *html, cx_error *error) {
    if (html) *html = cx_bytes{nullptr, 0};
    try {
        if (!html || (!bytes && length)) return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        // Raw HTML inside the Markdown is kept (CMARK_OPT_UNSAFE): the output is only read for
        // its text by libxml2, never shown, and a release's <em> or <table> is part of it.
        std::unique_ptr<char, decltype(&std::free)> out(
            markdown_to_html()(bytes ? bytes : "", length, CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8), &std::free);
        if (!out) throw std::bad_alloc();
        cxapian::copy_out(std::string(out.get()), html);
        return CX_OK;
    } catch (...) {
        return cxapian::translate_exception(error);
    }
}
