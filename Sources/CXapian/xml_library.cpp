#include "xml_library.h"

#include <dlfcn.h>
#include <xapian.h>

#include <mutex>
#include <string>

namespace cxapian {

namespace {

constexpr const char *kLibrary = "libxml2";

XmlLibrary load() {
    // Debian 12's libxml2 (2.9, which libxml2-dev depends on), then the name libxml2 2.14 and
    // later took. The functions used here are in both.
    void *handle = open_library({"libxml2.so.2", "libxml2.so.16"}, kLibrary);
    XmlLibrary library{};
    bind(handle, kLibrary, "htmlNewParserCtxt", &library.htmlNewParserCtxt);
    bind(handle, kLibrary, "htmlCtxtReadMemory", &library.htmlCtxtReadMemory);
    bind(handle, kLibrary, "htmlFreeParserCtxt", &library.htmlFreeParserCtxt);
    bind(handle, kLibrary, "xmlCtxtGetLastError", &library.xmlCtxtGetLastError);
    bind(handle, kLibrary, "xmlDocGetRootElement", &library.xmlDocGetRootElement);
    bind(handle, kLibrary, "xmlFreeDoc", &library.xmlFreeDoc);
    bind(handle, kLibrary, "xmlGetProp", &library.xmlGetProp);
    bind(handle, kLibrary, "xmlCreatePushParserCtxt", &library.xmlCreatePushParserCtxt);
    bind(handle, kLibrary, "xmlCtxtUseOptions", &library.xmlCtxtUseOptions);
    bind(handle, kLibrary, "xmlParseChunk", &library.xmlParseChunk);
    bind(handle, kLibrary, "xmlStopParser", &library.xmlStopParser);
    bind(handle, kLibrary, "xmlFreeParserCtxt", &library.xmlFreeParserCtxt);
    bind(handle, kLibrary, "xmlFree", &library.free_function);
    // libxml2's globals, set up once per process before the first parse on any thread.
    void (*init)(void) = nullptr;
    bind(handle, kLibrary, "xmlInitParser", &init);
    init();
    return library;
}

}  // namespace

void *open_library(std::initializer_list<const char *> names, const char *what) {
    std::string reason;
    for (const char *name : names) {
        if (void *handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)) return handle;
        const char *why = dlerror();
        if (reason.empty()) reason = why ? why : name;
    }
    throw Xapian::FeatureUnavailableError(std::string(what) + " cannot be loaded: " + reason);
}

void bind_function(void *handle, const char *what, const char *name, void **out) {
    *out = dlsym(handle, name);
    if (!*out) throw Xapian::FeatureUnavailableError(std::string(what) + " has no " + name);
}

const XmlLibrary &xml() {
    // A failed load throws out of call_once, which then lets the next caller try again.
    static std::once_flag loaded;
    static XmlLibrary library;
    std::call_once(loaded, [] { library = load(); });
    return library;
}

}  // namespace cxapian
