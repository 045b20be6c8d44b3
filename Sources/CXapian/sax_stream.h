// XML read as it streams (libxml2's push parser with SAX callbacks), for the bridge's
// readers of PDFs' text streams (pdf.cpp) and Word files (docx.cpp): memory holds what the
// handler keeps, never the document. Element names come without their namespace prefix.
#pragma once


#include <cstring>
#include <exception>
#include <mutex>
#include <new>
#include <string>

#include "internal.h"
#include "xml_library.h"

namespace cxapian {

// An element's attributes, as libxml2's SAX2 hands them over.
class SaxAttributes {
  public:
    SaxAttributes(const xmlChar **attributes, int count) : attributes_(attributes), count_(count) {}
    // The value of the attribute `name` (any namespace); "" when absent.
    std::string operator[](const char *name) const {
        for (int i = 0; i < count_; ++i)
            if (std::strcmp(reinterpret_cast<const char *>(attributes_[5 * i]), name) == 0)
                return std::string(reinterpret_cast<const char *>(attributes_[5 * i + 3]),
                                   reinterpret_cast<const char *>(attributes_[5 * i + 4]));
        return "";
    }

  private:
    const xmlChar **attributes_;
    int count_;
};

// Feeds bytes to a Handler with start(name, attributes), end(name) and text(chars, length).
// An exception thrown by the handler (out of memory) is held and rethrown from feed() or
// finish(): none may unwind through libxml2's C frames.
template <typename Handler>
class SaxStream {
  public:
    explicit SaxStream(Handler &handler) : handler_(handler) {
        xmlSAXHandler sax;
        std::memset(&sax, 0, sizeof sax);
        sax.initialized = XML_SAX2_MAGIC;
        sax.startElementNs = on_start;
        sax.endElementNs = on_end;
        sax.characters = on_text;
        sax.cdataBlock = on_text;
        // Malformed input is recovered from, silently. (The callback's parameter lost its
        // const between libxml2 versions; it is not read.)
        sax.serror = reinterpret_cast<xmlStructuredErrorFunc>(on_error);
        parser_ = xml().xmlCreatePushParserCtxt(&sax, this, nullptr, 0, nullptr);
        if (!parser_) throw std::bad_alloc();
        // No network, no external DTD; libxml2's own limits (depth, entity amplification)
        // stay on.
        xml().xmlCtxtUseOptions(parser_, XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    }
    ~SaxStream() { xml().xmlFreeParserCtxt(parser_); }
    SaxStream(const SaxStream &) = delete;
    SaxStream &operator=(const SaxStream &) = delete;

    void feed(const char *bytes, size_t length) {
        while (length) {
            int piece = static_cast<int>(std::min<size_t>(length, 1 << 20));
            xml().xmlParseChunk(parser_, bytes, piece, 0);
            rethrow();
            bytes += piece;
            length -= static_cast<size_t>(piece);
        }
    }
    void finish() {
        xml().xmlParseChunk(parser_, nullptr, 0, 1);
        rethrow();
    }

  private:
    static std::string name(const xmlChar *localname) { return localname ? reinterpret_cast<const char *>(localname) : ""; }

    template <typename Call>
    static void guarded(void *ctx, Call call) {
        auto *self = static_cast<SaxStream *>(ctx);
        if (self->failure_) return;
        try {
            call(self->handler_);
        } catch (...) {
            self->failure_ = std::current_exception();
            xml().xmlStopParser(self->parser_);
        }
    }
    static void on_start(void *ctx, const xmlChar *localname, const xmlChar *, const xmlChar *, int, const xmlChar **,
                         int count, int, const xmlChar **attributes) {
        guarded(ctx, [&](Handler &h) { h.start(name(localname), SaxAttributes(attributes, count)); });
    }
    static void on_end(void *ctx, const xmlChar *localname, const xmlChar *, const xmlChar *) {
        guarded(ctx, [&](Handler &h) { h.end(name(localname)); });
    }
    static void on_text(void *ctx, const xmlChar *chars, int length) {
        guarded(ctx, [&](Handler &h) { h.text(reinterpret_cast<const char *>(chars), static_cast<size_t>(length)); });
    }
    static void on_error(void *, void *) {}

    void rethrow() {
        if (failure_) std::rethrow_exception(failure_);
    }

    Handler &handler_;
    xmlParserCtxtPtr parser_ = nullptr;
    std::exception_ptr failure_;
};

}  // namespace cxapian
