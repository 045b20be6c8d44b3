// libxml2, loaded the first time a release needs it (a web page, a Word file, a PDF's text)
// rather than linked (cmark, for Markdown, likewise: markdown.cpp): loading it, and the ICU libraries it brings, was a fifth of the start-up
// of every presse process, searches included, which never read markup. The bridge calls
// libxml2 only through xml().
#pragma once

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <initializer_list>

namespace cxapian {

// The libxml2 functions the bridge uses, by their own names.
struct XmlLibrary {
    decltype(&::htmlNewParserCtxt) htmlNewParserCtxt;
    decltype(&::htmlCtxtReadMemory) htmlCtxtReadMemory;
    decltype(&::htmlFreeParserCtxt) htmlFreeParserCtxt;
    decltype(&::xmlCtxtGetLastError) xmlCtxtGetLastError;
    decltype(&::xmlDocGetRootElement) xmlDocGetRootElement;
    decltype(&::xmlFreeDoc) xmlFreeDoc;
    decltype(&::xmlGetProp) xmlGetProp;
    decltype(&::xmlCreatePushParserCtxt) xmlCreatePushParserCtxt;
    decltype(&::xmlCtxtUseOptions) xmlCtxtUseOptions;
    decltype(&::xmlParseChunk) xmlParseChunk;
    decltype(&::xmlStopParser) xmlStopParser;
    decltype(&::xmlFreeParserCtxt) xmlFreeParserCtxt;
    xmlFreeFunc *free_function;  // libxml2's xmlFree, a variable (its allocator's free)

    // Frees what libxml2 allocated (xmlGetProp's values).
    void free(void *memory) const { (*free_function)(memory); }
};

// libxml2, loaded once per process (any thread) with its globals set up (xmlInitParser).
// Throws Xapian::FeatureUnavailableError, with dlopen's reason, when it cannot be loaded.
const XmlLibrary &xml();

// The way a library is loaded when first needed (libxml2 here, cmark in markdown.cpp): the
// first of `names` that dlopen loads, never closed; throws Xapian::FeatureUnavailableError
// naming `what` and dlopen's reason when none does.
void *open_library(std::initializer_list<const char *> names, const char *what);

// `handle`'s function `name` into `out`; throws Xapian::FeatureUnavailableError when it has none.
void bind_function(void *handle, const char *what, const char *name, void **out);
template <typename Pointer>
void bind(void *handle, const char *what, const char *name, Pointer *out) {
    void *symbol = nullptr;
    bind_function(handle, what, name, &symbol);
    *out = reinterpret_cast<Pointer>(symbol);
}

}  // namespace cxapian
