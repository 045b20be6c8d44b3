// Translations learnt from Debian's message catalogs (issue 13). Every program translated
// into French or German ships its messages as gettext catalogs
// (/usr/share/locale/LANG/LC_MESSAGES/DOMAIN.mo): each English message beside its
// translation ("Display the contents of FILE" / "Afficher le contenu de FICHIER"), a parallel
// corpus of the language of software that comes with the system. FreeDict has the general
// senses of words but few of computing's ("string": corde, ficelle; "set": bande, ensemble;
// no "définir", "afficher", "obtenir", "Zeichenkette"); aligning the catalogs' words (IBM
// Model 1, Brown et al. 1993) finds them, and the lexicon (lexicon.cpp) puts them beside the
// dictionaries' translations.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace cxapian {

// A word's translations learnt from the catalogs, the most probable first.
using Learnt = std::unordered_map<std::string, std::vector<std::string>>;

struct CatalogTranslations {
    // Keyed "en>fr", "fr>en", "en>de", "de>en", "fr>de", "de>fr"; words folded and lowercased
    // as the lexicon's headwords are.
    std::map<std::string, Learnt> directions;
    size_t catalogs = 0;  // catalogs read (French and German)
    size_t pairs = 0;     // distinct message pairs aligned, over the three language pairs
};

// The most translations learnt per word, and how probable one must be, P(translation | word)
// under the model, to be kept: the model spreads a word over every word its messages hold,
// and what stays above this after training is the word's translation and its inflections.
constexpr size_t kMaxLearnt = 3;
constexpr double kLeastLearnt = 0.1;

// Reads the French and German catalogs under `locale_dir` (LANG/LC_MESSAGES/*.mo, UTF-8
// ones), pairs each English message with its translations (and the French with the German
// translation of the same message of the same program) and aligns their words, each
// direction apart. No catalog: nothing learnt (the dictionaries alone translate).
CatalogTranslations learn_from_catalogs(const std::string &locale_dir);

// Where the catalogs are: $PRESSE_CATALOGS, else /usr/share/locale.
std::string catalog_dir();

}  // namespace cxapian
