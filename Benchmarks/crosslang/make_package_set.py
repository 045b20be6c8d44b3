#!/usr/bin/python3
"""A second cross-language known-item set, from Debian's package descriptions.

  make_package_set.py CORPUS OUT [--per-direction N] [--distractors N] [--seed S]

CORPUS is what Benchmarks/make-corpus writes (CORPUS/{en,fr,de}/PKG.txt: the synopsis as the
first line, then the long description). A package described in English and in French (or
German) is one answer in two languages: its English synopsis is the query, its French (or
German) long description the one right answer (en-fr, en-de); and the reverse (fr-en, de-en),
and each language asking for its own (fr-fr, de-de, en-en: the monolingual figure). The
answers hold the long description only, so a query never meets its own words as the
answer's title. This is the shape of the evaluation issues 11 and 13 report (synopsis as the
query, long description as the answer), on the same kind of text as the man-page set's
complement: short, technical, full of product names.

Writes the layout evaluate.py reads (as make_set.py's):
  OUT/{en,fr,de}/PKG.txt   long descriptions: every answer, and up to --distractors other
                           packages per language, drawn with the seed
  OUT.queries.tsv          DIRECTION<TAB>QUERY<TAB>ANSWER (path relative to OUT)
  OUT.json                 counts
"""
import argparse, json, os, random, shutil

DIRECTIONS = (("en", "fr"), ("en", "de"), ("fr", "en"), ("de", "en"), ("fr", "fr"), ("de", "de"), ("en", "en"))


def read(path):
    """(synopsis, long description) of one corpus file; None when either is missing."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    synopsis, _, body = text.partition("\n")
    synopsis, body = synopsis.strip(), body.strip()
    return (synopsis, body) if synopsis and body else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--per-direction", type=int, default=250)
    ap.add_argument("--distractors", type=int, default=8000, help="other packages per language (default %(default)s)")
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    names = {lang: sorted(n[:-4] for n in os.listdir(os.path.join(a.corpus, lang)) if n.endswith(".txt"))
             for lang in ("en", "fr", "de")}
    entries = {lang: {} for lang in names}

    def entry(lang, name):
        if name not in entries[lang]:
            entries[lang][name] = read(os.path.join(a.corpus, lang, name + ".txt"))
        return entries[lang][name]

    queries, answers = [], {lang: set() for lang in names}
    for source, target in DIRECTIONS:
        # Packages described in both languages, whose query has two words or more and is not
        # the same text in both (an untranslated synopsis would make the direction monolingual).
        both = sorted(set(names[source]) & set(names[target]))
        rng.shuffle(both)
        taken = 0
        for name in both:
            if taken >= a.per_direction:
                break
            asked, answer = entry(source, name), entry(target, name)
            if not asked or not answer or len(asked[0].split()) < 2:
                continue
            if source != target and asked[0].lower() == entry(target, name)[0].lower():
                continue
            queries.append(f"{source}-{target}\t{asked[0]}\t{target}/{name}.txt")
            answers[target].add(name)
            taken += 1
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    counts = {}
    for lang in names:
        others = [n for n in names[lang] if n not in answers[lang]]
        rng.shuffle(others)
        keep = sorted(answers[lang] | set(others[:a.distractors]))
        os.makedirs(os.path.join(a.out, lang))
        written = 0
        for name in keep:
            e = entry(lang, name)
            if not e:
                continue
            with open(os.path.join(a.out, lang, name + ".txt"), "w", encoding="utf-8") as fh:
                fh.write(e[1] + "\n")
            written += 1
        counts[lang] = written
    with open(a.out + ".queries.tsv", "w", encoding="utf-8") as fh:
        fh.write("\n".join(queries) + "\n")
    with open(a.out + ".json", "w") as fh:
        json.dump({"documents": counts, "queries": len(queries), "seed": a.seed}, fh, indent=1)
    print(f"{len(queries)} queries, documents {counts}")


if __name__ == "__main__":
    main()
