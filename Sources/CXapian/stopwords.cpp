// Stop words from the Snowball stop lists (snowballstem.org/algorithms/{english,french,german}/stop.txt), BSD licence.
// Each list is in byte order (not the Snowball files' order), so a stopper is built without
// sorting its words (language.cpp).
#include "stopwords.h"

#include <cstring>

namespace cxapian {
namespace {

// English: 174 words.
static const char *const kEnglish[] = {
    "a", "about", "above", "after", "again", "against", "all", "am", "an",
    "and", "any", "are", "aren't", "as", "at", "be", "because", "been",
    "before", "being", "below", "between", "both", "but", "by", "can't",
    "cannot", "could", "couldn't", "did", "didn't", "do", "does", "doesn't",
    "doing", "don't", "down", "during", "each", "few", "for", "from", "further",
    "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he'd",
    "he'll", "he's", "her", "here", "here's", "hers", "herself", "him",
    "himself", "his", "how", "how's", "i", "i'd", "i'll", "i'm", "i've", "if",
    "in", "into", "is", "isn't", "it", "it's", "its", "itself", "let's", "me",
    "more", "most", "mustn't", "my", "myself", "no", "nor", "not", "of", "off",
    "on", "once", "only", "or", "other", "ought", "our", "ours", "ourselves",
    "out", "over", "own", "same", "shan't", "she", "she'd", "she'll", "she's",
    "should", "shouldn't", "so", "some", "such", "than", "that", "that's",
    "the", "their", "theirs", "them", "themselves", "then", "there", "there's",
    "these", "they", "they'd", "they'll", "they're", "they've", "this", "those",
    "through", "to", "too", "under", "until", "up", "very", "was", "wasn't",
    "we", "we'd", "we'll", "we're", "we've", "were", "weren't", "what",
    "what's", "when", "when's", "where", "where's", "which", "while", "who",
    "who's", "whom", "why", "why's", "with", "won't", "would", "wouldn't",
    "you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself",
    "yourselves",
};

// French: 154 words.
static const char *const kFrench[] = {
    "ai", "aie", "aient", "aies", "ait", "au", "aurai", "auraient", "aurais",
    "aurait", "aurez", "auriez", "aurions", "aurons", "auront", "aux",
    "avaient", "avais", "avait", "avec", "avez", "aviez", "avons", "ayant",
    "ayez", "ayons", "c", "ce", "ceci", "cela", "celà", "ces", "cet", "cette",
    "d", "dans", "de", "des", "du", "elle", "en", "es", "et", "eu", "eue",
    "eues", "eurent", "eus", "eusse", "eussent", "eusses", "eussiez",
    "eussions", "eut", "eux", "eûmes", "eût", "eûtes", "furent", "fus", "fusse",
    "fussent", "fusses", "fussiez", "fussions", "fut", "fûmes", "fûtes", "ici",
    "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m",
    "ma", "mais", "me", "mes", "moi", "mon", "même", "n", "ne", "nos", "notre",
    "nous", "on", "ont", "ou", "par", "pas", "pour", "qu", "que", "quel",
    "quelle", "quelles", "quels", "qui", "s", "sa", "sans", "se", "sera",
    "serai", "seraient", "serais", "serait", "seras", "serez", "seriez",
    "serions", "serons", "seront", "ses", "soi", "soient", "sois", "soit",
    "sont", "soyez", "soyons", "suis", "sur", "t", "ta", "te", "tes", "toi",
    "ton", "tu", "un", "une", "vos", "votre", "vous", "y", "à", "étaient",
    "étais", "était", "étant", "étiez", "étions", "étée", "étées", "êtes",
};

// German: 231 words.
static const char *const kGerman[] = {
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am",
    "an", "ander", "andere", "anderem", "anderen", "anderer", "anderes",
    "anderm", "andern", "anderr", "anders", "auch", "auf", "aus", "bei", "bin",
    "bis", "bist", "da", "damit", "dann", "das", "dasselbe", "dazu", "daß",
    "dein", "deine", "deinem", "deinen", "deiner", "deines", "dem", "demselben",
    "den", "denn", "denselben", "der", "derer", "derselbe", "derselben", "des",
    "desselben", "dessen", "dich", "die", "dies", "diese", "dieselbe",
    "dieselben", "diesem", "diesen", "dieser", "dieses", "dir", "doch", "dort",
    "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "einig",
    "einige", "einigem", "einigen", "einiger", "einiges", "einmal", "er", "es",
    "etwas", "euch", "euer", "eure", "eurem", "euren", "eurer", "eures", "für",
    "gegen", "gewesen", "hab", "habe", "haben", "hat", "hatte", "hatten",
    "hier", "hin", "hinter", "ich", "ihm", "ihn", "ihnen", "ihr", "ihre",
    "ihrem", "ihren", "ihrer", "ihres", "im", "in", "indem", "ins", "ist",
    "jede", "jedem", "jeden", "jeder", "jedes", "jene", "jenem", "jenen",
    "jener", "jenes", "jetzt", "kann", "kein", "keine", "keinem", "keinen",
    "keiner", "keines", "können", "könnte", "machen", "man", "manche",
    "manchem", "manchen", "mancher", "manches", "mein", "meine", "meinem",
    "meinen", "meiner", "meines", "mich", "mir", "mit", "muss", "musste",
    "nach", "nicht", "nichts", "noch", "nun", "nur", "ob", "oder", "ohne",
    "sehr", "sein", "seine", "seinem", "seinen", "seiner", "seines", "selbst",
    "sich", "sie", "sind", "so", "solche", "solchem", "solchen", "solcher",
    "solches", "soll", "sollte", "sondern", "sonst", "um", "und", "uns", "unse",
    "unsem", "unsen", "unser", "unses", "unter", "viel", "vom", "von", "vor",
    "war", "waren", "warst", "was", "weg", "weil", "weiter", "welche",
    "welchem", "welchen", "welcher", "welches", "wenn", "werde", "werden",
    "wie", "wieder", "will", "wir", "wird", "wirst", "wo", "wollen", "wollte",
    "während", "würde", "würden", "zu", "zum", "zur", "zwar", "zwischen",
    "über",
};

}  // namespace

const StopList kEnglishStopwords{kEnglish, sizeof kEnglish / sizeof kEnglish[0]};
const StopList kFrenchStopwords{kFrench, sizeof kFrench / sizeof kFrench[0]};
const StopList kGermanStopwords{kGerman, sizeof kGerman / sizeof kGerman[0]};

}  // namespace cxapian
