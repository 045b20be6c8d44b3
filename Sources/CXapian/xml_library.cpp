#include "xml_library.h"

#include <dlfcn.h>
#include <xapian.h>

#include <mutex>
#include <string>

namespace cxapian {

namespace {

// The runtime library's names: Debian 12's libxml2 (2.9, which libxml2-dev depends on), then
// the name libxml2 2.14 and later took. The functions used here are in both.
constexpr const char *kLibraryNames[] = {"libxml2.so.2", "libxml2.so.16"};

template <typename Pointer>
void bind(void *handle, const char *name, Pointer *out) {
    void *symbol = dlsym(handle, name);
    if (!symbol) throw Xapian::FeatureUnavailableError(std::string("libxml2 has no ") + name);
    *out = reinterpret_cast<Pointer>(symbol);
}

XmlLibrary load() {
    // Never closed: the functions are used until the process ends.
    void *handle = nullptr;
    std::string reason;
    for (const char *name : kLibraryNames) {
        if ((handle = dlopen(name, RTLD_NOW | RTLD_LOCAL))) break;
        const char *why = dlerror();
        if (reason.empty()) reason = why ? why : name;
    }
    if (!handle) throw Xapian::FeatureUnavailableError("libxml2 cannot be loaded: " + reason);
    XmlLibrary library{};
    bind(handle, "htmlNewParserCtxt", &library.htmlNewParserCtxt);
    bind(handle, "htmlCtxtReadMemory", &library.htmlCtxtReadMemory);
    bind(handle, "htmlFreeParserCtxt", &library.htmlFreeParserCtxt);
    bind(handle, "xmlCtxtGetLastError", &library.xmlCtxtGetLastError);
    bind(handle, "xmlDocGetRootElement", &library.xmlDocGetRootElement);
    bind(handle, "xmlFreeDoc", &library.xmlFreeDoc);
    bind(handle, "xmlGetProp", &library.xmlGetProp);
    bind(handle, "xmlCreatePushParserCtxt", &library.xmlCreatePushParserCtxt);
    bind(handle, "xmlCtxtUseOptions", &library.xmlCtxtUseOptions);
    bind(handle, "xmlParseChunk", &library.xmlParseChunk);
    bind(handle, "xmlStopParser", &library.xmlStopParser);
    bind(handle, "xmlFreeParserCtxt", &library.xmlFreeParserCtxt);
    bind(handle, "xmlFree", &library.free_function);
    // libxml2's globals, set up once per process before the first parse on any thread.
    void (*init)(void) = nullptr;
    bind(handle, "xmlInitParser", &init);
    init();
    return library;
}

}  // namespace

const XmlLibrary &xml() {
    // A failed load throws out of call_once, which then lets the next caller try again.
    static std::once_flag loaded;
    static XmlLibrary library;
    std::call_once(loaded, [] { library = load(); });
    return library;
}

}  // namespace cxapian
