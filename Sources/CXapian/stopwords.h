#pragma once
#include <cstddef>
namespace cxapian {
// The Snowball stop list for "en", "fr" or "de" (nullptr and count 0 for anything else).
// Words are lowercase UTF-8 with their accents; callers fold them as they fold text.
const char *const *stopword_list(const char *lang, std::size_t *count);
}
