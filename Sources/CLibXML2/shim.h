// libxml2's HTML parser, for release pages saved as HTML (Debian's libxml2-dev; its include
// path comes from pkg-config's libxml-2.0).
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
