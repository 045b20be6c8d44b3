#!/usr/bin/python3
"""Transform Debian's Translation-{en,fr,de} files into the Presse benchmark corpus.

Called by Benchmarks/make-corpus (which makes sure the apt lists are there).
See that script for the layout of OUT.
"""
import argparse, glob, hashlib, json, os, random, re, shutil, subprocess, sys

LANGS = ("en", "fr", "de")

# Words too common to make a useful query (plus Debian's recurring synopsis words).
STOP = {
    "en": """a an and are as at be by for from has in into is it its of on or that the this to
             with without your you via using use based which can not package packages files
             file data library tool tools support module plugin plugins development dev
             documentation transitional dummy metapackage debug symbols version""".split(),
    "fr": """le la les un une des du de d l et ou en au aux pour par sur dans avec sans est son
             sa ses ce cette qui que pour paquet paquets fichiers fichier données bibliothèque
             outil outils module greffon greffons développement documentation transition
             factice métapaquet symboles débogage version""".split(),
    "de": """der die das ein eine einer eines dem den des und oder in im zu zum zur für von vom
             mit ohne auf aus ist sind bei als an am paket pakete dateien datei daten bibliothek
             werkzeug werkzeuge modul erweiterung entwicklung dokumentation übergangspaket
             dummy metapaket symbole version""".split(),
}
STOP = {k: set(v) for k, v in STOP.items()}
WORD = re.compile(r"[^\W\d_]{3,}")   # letters only, 3+ of them: no query-parser syntax


def translation_file(lang):
    hits = sorted(glob.glob(f"/var/lib/apt/lists/*_debian_dists_bookworm_main_i18n_Translation-{lang}*"))
    if not hits:
        sys.exit(f"no Translation-{lang}: run apt-get update -o Acquire::Languages=en,fr,de")
    return hits[0]


def releases(lang):
    """Yield (package, synopsis, long description) from one Translation file, first entry wins."""
    data = subprocess.run(["lz4cat", translation_file(lang)], capture_output=True, check=True).stdout
    seen = set()
    for block in data.decode("utf-8", "replace").split("\n\n"):
        pkg, desc = None, []
        for line in block.split("\n"):
            if line.startswith("Package: "):
                pkg = line[9:].strip()
            elif line.startswith("Description-"):
                desc = [line.split(": ", 1)[1].strip()]
            elif line.startswith(" ") and desc:
                # " ." separates paragraphs in Debian control syntax.
                desc.append("" if line.strip() == "." else line[1:])
        if pkg and desc and pkg not in seen and "/" not in pkg:
            seen.add(pkg)
            yield pkg, desc[0], "\n".join(desc[1:]).strip()


def stable_key(pkg):
    # A hash, not the name: slices sample the whole alphabet, and are nested.
    return hashlib.sha1(pkg.encode()).hexdigest()


def make_query(rng, lang, title):
    words, seen = [], set()
    for w in WORD.findall(title.lower()):
        if w not in STOP[lang] and w not in seen:
            seen.add(w)
            words.append(w)
    if len(words) < 2:
        return None
    return " ".join(words[: rng.randint(2, min(4, len(words)))])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out")
    ap.add_argument("--limit", type=int, default=0, help="number of releases (default: all)")
    ap.add_argument("--queries", type=int, default=1500, help="number of queries (default 1500)")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    a.out = a.out.rstrip("/") or a.out
    # Beside OUT, not in it: OUT must hold releases only, as any indexer walks all of it.
    queries_path, stats_path = a.out + ".queries.tsv", a.out + ".json"

    corpus = {lang: sorted(releases(lang), key=lambda r: stable_key(r[0])) for lang in LANGS}
    total = sum(len(v) for v in corpus.values())
    limit = min(a.limit or total, total)
    # Proportional split; the rounding remainder goes to English.
    take = {lang: len(corpus[lang]) * limit // total for lang in LANGS}
    take["en"] += limit - sum(take.values())

    stats = {"releases": 0, "bytes": 0, "per_lang": {}}
    for lang in LANGS:
        d = os.path.join(a.out, lang)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        nbytes = 0
        for pkg, title, body in corpus[lang][: take[lang]]:
            text = (title + "\n\n" + body + "\n").encode("utf-8")
            with open(os.path.join(d, pkg + ".txt"), "wb") as fh:
                fh.write(text)
            nbytes += len(text)
        stats["per_lang"][lang] = {"releases": take[lang], "bytes": nbytes}
        stats["releases"] += take[lang]
        stats["bytes"] += nbytes

    # Queries: content words of random synopses of this slice, fixed seed, unique.
    rng = random.Random(a.seed)
    pool = [(lang, r[1]) for lang in LANGS for r in corpus[lang][: take[lang]]]
    queries, seen = [], set()
    for _ in range(a.queries * 50):
        if len(queries) >= a.queries:
            break
        lang, title = rng.choice(pool)
        q = make_query(rng, lang, title)
        if q and (lang, q) not in seen:
            seen.add((lang, q))
            queries.append(f"{lang}\t{q}")
    with open(queries_path, "w") as fh:
        fh.write("\n".join(queries) + "\n")
    stats["queries"] = len(queries)
    with open(stats_path, "w") as fh:
        json.dump(stats, fh, indent=1)
    print(f"{a.out}: {stats['releases']} releases, {stats['bytes'] / 1e6:.1f} MB, "
          f"{' '.join(f'{l}={take[l]}' for l in LANGS)}; {len(queries)} queries in {queries_path}")


if __name__ == "__main__":
    main()
