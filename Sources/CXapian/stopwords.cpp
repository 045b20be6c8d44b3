// Stop words from the Snowball stop lists (snowballstem.org/algorithms/{english,french,german}/stop.txt), BSD licence.
#include "stopwords.h"

#include <cstring>

namespace cxapian {
namespace {

// English: 174 words.
static const char *const kEnglish[] = {
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your",
    "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she",
    "her", "hers", "herself", "it", "its", "itself", "they", "them", "their",
    "theirs", "themselves", "what", "which", "who", "whom", "this", "that",
    "these", "those", "am", "is", "are", "was", "were", "be", "been", "being",
    "have", "has", "had", "having", "do", "does", "did", "doing", "would",
    "should", "could", "ought", "i'm", "you're", "he's", "she's", "it's",
    "we're", "they're", "i've", "you've", "we've", "they've", "i'd", "you'd",
    "he'd", "she'd", "we'd", "they'd", "i'll", "you'll", "he'll", "she'll",
    "we'll", "they'll", "isn't", "aren't", "wasn't", "weren't", "hasn't",
    "haven't", "hadn't", "doesn't", "don't", "didn't", "won't", "wouldn't",
    "shan't", "shouldn't", "can't", "cannot", "couldn't", "mustn't", "let's",
    "that's", "who's", "what's", "here's", "there's", "when's", "where's",
    "why's", "how's", "a", "an", "the", "and", "but", "if", "or", "because",
    "as", "until", "while", "of", "at", "by", "for", "with", "about", "against",
    "between", "into", "through", "during", "before", "after", "above", "below",
    "to", "from", "up", "down", "in", "out", "on", "off", "over", "under",
    "again", "further", "then", "once", "here", "there", "when", "where", "why",
    "how", "all", "any", "both", "each", "few", "more", "most", "other", "some",
    "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too",
    "very",
};

// French: 154 words.
static const char *const kFrench[] = {
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en",
    "et", "eux", "il", "je", "la", "le", "leur", "lui", "ma", "mais", "me",
    "même", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou",
    "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "sur", "ta",
    "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c",
    "d", "j", "l", "à", "m", "n", "s", "t", "y", "étée", "étées", "étant",
    "suis", "es", "êtes", "sont", "serai", "seras", "sera", "serons", "serez",
    "seront", "serais", "serait", "serions", "seriez", "seraient", "étais",
    "était", "étions", "étiez", "étaient", "fus", "fut", "fûmes", "fûtes",
    "furent", "sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses",
    "fussions", "fussiez", "fussent", "ayant", "eu", "eue", "eues", "eus", "ai",
    "avons", "avez", "ont", "aurai", "aurons", "aurez", "auront", "aurais",
    "aurait", "aurions", "auriez", "auraient", "avais", "avait", "aviez",
    "avaient", "eut", "eûmes", "eûtes", "eurent", "aie", "aies", "ait", "ayons",
    "ayez", "aient", "eusse", "eusses", "eût", "eussions", "eussiez", "eussent",
    "ceci", "cela", "celà", "cet", "cette", "ici", "ils", "les", "leurs",
    "quel", "quels", "quelle", "quelles", "sans", "soi",
};

// German: 231 words.
static const char *const kGerman[] = {
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am",
    "an", "ander", "andere", "anderem", "anderen", "anderer", "anderes",
    "anderm", "andern", "anderr", "anders", "auch", "auf", "aus", "bei", "bin",
    "bis", "bist", "da", "damit", "dann", "der", "den", "des", "dem", "die",
    "das", "daß", "derselbe", "derselben", "denselben", "desselben",
    "demselben", "dieselbe", "dieselben", "dasselbe", "dazu", "dein", "deine",
    "deinem", "deinen", "deiner", "deines", "denn", "derer", "dessen", "dich",
    "dir", "du", "dies", "diese", "diesem", "diesen", "dieser", "dieses",
    "doch", "dort", "durch", "ein", "eine", "einem", "einen", "einer", "eines",
    "einig", "einige", "einigem", "einigen", "einiger", "einiges", "einmal",
    "er", "ihn", "ihm", "es", "etwas", "euer", "eure", "eurem", "euren",
    "eurer", "eures", "für", "gegen", "gewesen", "hab", "habe", "haben", "hat",
    "hatte", "hatten", "hier", "hin", "hinter", "ich", "mich", "mir", "ihr",
    "ihre", "ihrem", "ihren", "ihrer", "ihres", "euch", "im", "in", "indem",
    "ins", "ist", "jede", "jedem", "jeden", "jeder", "jedes", "jene", "jenem",
    "jenen", "jener", "jenes", "jetzt", "kann", "kein", "keine", "keinem",
    "keinen", "keiner", "keines", "können", "könnte", "machen", "man", "manche",
    "manchem", "manchen", "mancher", "manches", "mein", "meine", "meinem",
    "meinen", "meiner", "meines", "mit", "muss", "musste", "nach", "nicht",
    "nichts", "noch", "nun", "nur", "ob", "oder", "ohne", "sehr", "sein",
    "seine", "seinem", "seinen", "seiner", "seines", "selbst", "sich", "sie",
    "ihnen", "sind", "so", "solche", "solchem", "solchen", "solcher", "solches",
    "soll", "sollte", "sondern", "sonst", "über", "um", "und", "uns", "unse",
    "unsem", "unsen", "unser", "unses", "unter", "viel", "vom", "von", "vor",
    "während", "war", "waren", "warst", "was", "weg", "weil", "weiter",
    "welche", "welchem", "welchen", "welcher", "welches", "wenn", "werde",
    "werden", "wie", "wieder", "will", "wir", "wird", "wirst", "wo", "wollen",
    "wollte", "würde", "würden", "zu", "zum", "zur", "zwar", "zwischen",
};

}  // namespace

const StopList kEnglishStopwords{kEnglish, sizeof kEnglish / sizeof kEnglish[0]};
const StopList kFrenchStopwords{kFrench, sizeof kFrench / sizeof kFrench[0]};
const StopList kGermanStopwords{kGerman, sizeof kGerman / sizeof kGerman[0]};

}  // namespace cxapian
