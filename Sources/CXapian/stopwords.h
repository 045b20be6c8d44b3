#pragma once
#include <cstddef>
namespace cxapian {
// A Snowball stop list: lowercase UTF-8 words with their accents; callers fold them as they
// fold text. The language table (language.cpp) says which language uses which.
struct StopList {
    const char *const *words;
    std::size_t count;
};
extern const StopList kEnglishStopwords;
extern const StopList kFrenchStopwords;
extern const StopList kGermanStopwords;
}
