#!/usr/bin/python3
"""Presse's cross-language known-item set, from Debian's man pages present in two languages.

  make_set.py OUT [--per-direction N] [--seed S] [--jobs N] [--reuse RELEVANCE_SET]

A man page that Debian ships in English and in French (or German) is one answer in two
languages. The English page's NAME description is the query, its French (or German) page the
one right answer (en-fr, en-de); and the reverse: the French or German page's description asks
for the English page (fr-en, de-en). The same pages asked for in their own language (fr-fr,
de-de, en-en) give the monolingual figure beside them. Writes:
  OUT/{en,fr,de}/NAME.SECTION.txt   the pages, rendered to plain text without their NAME
                                    section (first line "name(section) — section title")
  OUT.queries.tsv                   DIRECTION<TAB>QUERY<TAB>ANSWER (path relative to OUT)
  OUT.json                          counts and bytes
Every page of the three languages is in OUT (distractors included), as in the relevance set;
evaluate.py indexes French and German pages together for en-fr and en-de (a German page can
take a French answer's place) and English pages alone for the reverse directions, so that the
query's own-language twin is never in the way.

Queries of one word are dropped, and so are descriptions more than one page shares, and a
description written in the wrong language (a French page with an English NAME line: its query
would not be French). Up to --per-direction queries per direction, drawn with a fixed seed.

--reuse RELEVANCE_SET: take the rendered pages from a relevance set (Benchmarks/relevance,
the same rendering) instead of rendering them again; the descriptions are read with lexgrog
from the installed pages. Run through Benchmarks/crosslang/make-set, which installs the man
pages first.
"""
import argparse, collections, glob, json, os, random, re, shutil, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "relevance"))
import make_set as relevance  # noqa: E402  (the relevance set's rendering and language checks)

LANGS = ("en", "fr", "de")
# Cross-language, then the same answers asked in their own language (the monolingual figure
# beside which the cross-language one reads).
DIRECTIONS = (("en", "fr"), ("en", "de"), ("fr", "en"), ("de", "en"), ("fr", "fr"), ("de", "de"), ("en", "en"))
log = relevance.log


def lexgrog_descriptions(lang):
    """NAME.SECTION -> the NAME line's description, for the installed pages of a language."""
    root = relevance.MAN_ROOTS[lang]
    paths = [p for p in sorted(glob.glob(os.path.join(root, "man*", "*"))) if os.path.isfile(p)]
    out = {}
    for i in range(0, len(paths), 500):
        r = subprocess.run(["lexgrog", *paths[i:i + 500]], capture_output=True, text=True, errors="replace")
        for line in r.stdout.splitlines():
            m = re.match(r'(.*?): "(.*)"$', line)
            if not m:
                continue
            base = os.path.basename(m.group(1))
            base = base[:-3] if base.endswith(".gz") else base
            d = relevance.NAME_DASH.search(m.group(2))
            if d:
                out.setdefault(base + ".txt", relevance.one_line(m.group(2)[d.end():]))
    return out


def rendered(a):
    """lang -> {filename: (text, description)}."""
    docs = {lang: {} for lang in LANGS}
    if a.reuse:
        for lang in LANGS:
            described = lexgrog_descriptions(lang)
            for path in sorted(glob.glob(os.path.join(a.reuse, lang, "*.txt"))):
                name = os.path.basename(path)
                if name.startswith("debref-"):
                    continue  # the Debian Reference's sections are not paired across languages
                with open(path, encoding="utf-8") as fh:
                    docs[lang][name] = (fh.read(), described.get(name, ""))
        return docs
    import concurrent.futures
    owners = relevance.debian_owners()
    jobs = [(lang, *page) for lang in LANGS for page in relevance.man_pages(lang, owners)]
    log(f"rendering {len(jobs)} man pages on {a.jobs} workers")
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        for r in pool.map(relevance.render_man, jobs):
            if r:
                lang, filename, heading, description, body, _ = r
                docs[lang].setdefault(filename, (f"{heading}\n\n{body}\n", description))
    return docs


def written_in(text, lang):
    """True unless the text reads as another of the three languages (by its function words)."""
    words = relevance.words(text)
    counts = {l: sum(1 for w in words if w in relevance.FUNCTION_WORDS[l]) for l in LANGS}
    return all(counts[lang] >= n for l, n in counts.items() if l != lang)


def build(a):
    out = os.path.abspath(a.out)
    docs = rendered(a)
    shutil.rmtree(out, ignore_errors=True)
    info = {"seed": a.seed, "per_direction": a.per_direction, "langs": {}, "directions": {}}
    for lang in LANGS:
        os.makedirs(os.path.join(out, lang))
        nbytes = 0
        for name, (text, _) in docs[lang].items():
            with open(os.path.join(out, lang, name), "w", encoding="utf-8") as fh:
                fh.write(text)
            nbytes += len(text.encode())
        info["langs"][lang] = {"docs": len(docs[lang]), "bytes": nbytes}
    rng = random.Random(a.seed)
    queries = []
    for source, target in DIRECTIONS:
        shared = collections.Counter(d.lower() for _, d in docs[source].values() if d)
        candidates = []
        # Pages Debian has in both languages (for en-en: in English and French or German).
        twin = set(docs["fr"]) | set(docs["de"]) if source == target == "en" else \
            set(docs["en"]) if source == target else set(docs[source])
        for name in sorted(twin & set(docs[target])):
            query = docs[source][name][1]
            if len(relevance.words(query)) < 2 or shared[query.lower()] > 1 or not written_in(query, source):
                continue
            candidates.append((query, f"{target}/{name}"))
        chosen = rng.sample(candidates, min(a.per_direction, len(candidates)))
        queries += [(f"{source}-{target}", q, answer) for q, answer in chosen]
        info["directions"][f"{source}-{target}"] = {"candidates": len(candidates), "queries": len(chosen)}
        log(f"{source}-{target}: {len(chosen)} of {len(candidates)} pairs")
    with open(out + ".queries.tsv", "w", encoding="utf-8") as fh:
        for direction, query, answer in queries:
            fh.write(f"{direction}\t{query}\t{answer}\n")
    with open(out + ".json", "w") as fh:
        json.dump(info, fh, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--per-direction", type=int, default=250, help="queries per direction (default %(default)s)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--jobs", type=int, default=4, help="man processes at once (default %(default)s)")
    ap.add_argument("--reuse", help="a relevance set (Benchmarks/relevance/make-set) to take rendered pages from")
    build(ap.parse_args())


if __name__ == "__main__":
    main()
