// PDF releases: their text through poppler (Debian's libpoppler-cpp), page after page, and
// their title from the document's metadata.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "internal.h"

namespace {

std::string utf8(const poppler::ustring &text) {
    poppler::byte_array bytes = text.to_utf8();
    return std::string(bytes.begin(), bytes.end());
}

// poppler reports damaged files on stderr by default; a skipped file's reason says enough.
void quiet(const std::string &, void *) {}

}  // namespace

extern "C" cx_status cx_pdf_text(const char *bytes, size_t length, cx_bytes *title, cx_bytes *text, cx_error *error) {
    if (title) *title = cx_bytes{nullptr, 0};
    if (text) *text = cx_bytes{nullptr, 0};
    try {
        if (!title || !text || (!bytes && length)) return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        poppler::set_debug_error_function(quiet, nullptr);
        std::unique_ptr<poppler::document> document(
            poppler::document::load_from_raw_data(bytes, static_cast<int>(std::min<size_t>(length, INT32_MAX))));
        if (!document) return cxapian::fail(error, CX_INVALID_ARGUMENT, "a PDF that cannot be read");
        if (document->is_locked()) return cxapian::fail(error, CX_INVALID_ARGUMENT, "a PDF locked with a password");
        std::string all;
        for (int i = 0; i < document->pages(); ++i) {
            std::unique_ptr<poppler::page> page(document->create_page(i));
            if (!page) continue;
            std::string page_text = utf8(page->text());
            if (page_text.empty()) continue;
            if (!all.empty()) all += "\n\n";  // a page ends a paragraph
            all += page_text;
        }
        cxapian::copy_out(utf8(document->info_key("Title")), title);
        cxapian::copy_out(all, text);
        return CX_OK;
    } catch (...) {
        cx_bytes_free(title);
        return cxapian::translate_exception(error);
    }
}
