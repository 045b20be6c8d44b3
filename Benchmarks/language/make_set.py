#!/usr/bin/python3
"""Presse's mixed-language set: releases made of per-language blocks of real paragraphs.

  make_set.py OUT [--releases N] [--seed S] [--pages-per-lang N] [--jobs N]

Writes:
  OUT/NNNN.txt        one release: paragraphs separated by blank lines, in 2 or 3 blocks of 2-4
                      consecutive paragraphs of one source document each, one language a block
  OUT.labels.jsonl    one line a release: {"file", "paragraphs": [{"start", "end", "lang",
                      "source"}]}, UTF-8 byte offsets of each paragraph in the file
  OUT.json            counts per language and size, the recipe's parameters, the sources
  OUT.rendered.json   the rendered man pages (path -> paragraphs), reused by the next run

The label of a paragraph is the language of the document it came from:
  - man pages, English (`manpages`, `manpages-dev`), French (`manpages-fr`, `manpages-fr-dev`)
    and German (`manpages-de`, `manpages-de-dev`), rendered with `man --nh --nj -l` and
    `col -bx` at 80 columns; a paragraph is a run of lines between blank lines or section
    headings, joined into one line;
  - the Debian Reference (`debian-reference-{en,fr,de}`): each <p> of its HTML chapters.
Not the package descriptions: those serve the evaluation kept apart from the project.

Paragraphs that are obviously not prose of their document's language are dropped (FILTER):
  - under 40 characters (headings and names: no language of their own to label);
  - fewer than 60 % letters among non-space characters (code, paths, tables, numbers);
  - starting with an option, a prompt or a command character (- $ # / % . [ < ` |);
  - fewer than 4 words of 2+ letters, or fewer than 70 % plain words among its tokens (a plain
    word is letters, hyphens and apostrophes, with punctuation around it: not a name_with(3)
    underscores or brackets, a number, a path, an ALL-CAPS name of a character table);
  - code: braces, comment marks, "&&", "||", ");" (C prototypes), box-drawing characters;
  - untranslated text: fewer of its language's common function words (below) than of another
    language's, or none at all (man page translations leave paragraphs in English, and option
    lists are names only). With --lenient, a paragraph with none of any language's is kept:
    a check that the figures do not come from the filter's choosing text with function words.
The function-word lists are the set's own (20 words a language), not Presse's stop lists.

Run it with /usr/bin/python3; it installs the Debian packages it reads when they are missing
(root, apt-get), like scripts/bench.
"""
import argparse, collections, concurrent.futures, glob, hashlib, html.parser, json, os, random, re
import shutil, subprocess, sys

LANGS = ("en", "fr", "de")
MAN_PACKAGES = {"en": ("manpages", "manpages-dev"), "fr": ("manpages-fr", "manpages-fr-dev"),
                "de": ("manpages-de", "manpages-de-dev")}
DEBREF = "/usr/share/debian-reference"
PACKAGES = ["man-db", "groff-base", "bsdextrautils", *[p for ps in MAN_PACKAGES.values() for p in ps],
            "debian-reference-en", "debian-reference-fr", "debian-reference-de"]

MIN_CHARS = 40
FUNCTION_WORDS = {
    "en": set("the of and to is in that for are with be this by as it an or not on which can".split()),
    "fr": set("le la les de des du et est un une pour dans que qui sur par pas ou au aux avec".split()),
    "de": set("der die das und ist nicht ein eine zu den von mit für auf im dem des oder wird werden".split()),
}
COMMAND_START = tuple("-$#/%.[<`|")
# A plain word: letters (one capital at most in front, or all of one short acronym), hyphens and
# apostrophes inside, punctuation around.
PLAIN_WORD = re.compile(r"[(\"'«„“‘]*(?:[^\W\d_][^\W\d_A-Z]*|[A-Z]{1,5})(?:[-'’][^\W\d_]+)*[)\"'»“”’.,;:!?…]*")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def setup():
    need = [p for p in PACKAGES if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if need:
        log(f"make_set: installing {' '.join(need)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *need], check=True, env=env, stdout=subprocess.DEVNULL)
    if not glob.glob("/usr/share/man/fr/man1/*.gz"):
        sys.exit("make_set: no French man pages under /usr/share/man/fr: "
                 "is /usr/share/man excluded in /etc/dpkg/dpkg.cfg.d/?")


# ---------------------------------------------------------------------------- the filter

def words(text):
    return re.findall(r"[^\W\d_]+", text.lower())


def keep(paragraph, lang, lenient=False):
    """The documented FILTER: True for a paragraph that is prose of its document's language."""
    if len(paragraph) < MIN_CHARS or paragraph.startswith(COMMAND_START):
        return False
    visible = [c for c in paragraph if not c.isspace()]
    if sum(c.isalpha() for c in visible) < 0.6 * len(visible):
        return False
    ws = words(paragraph)
    if sum(len(w) >= 2 for w in ws) < 4:
        return False
    if any(mark in paragraph for mark in ("{", "}", "/*", "*/", "&&", "||", ");")) or re.search("[\u2500-\u257f]", paragraph):
        return False
    tokens = paragraph.split()
    if sum(bool(PLAIN_WORD.fullmatch(t)) for t in tokens) < 0.7 * len(tokens):
        return False
    counts = {l: sum(w in FUNCTION_WORDS[l] for w in ws) for l in LANGS}
    return (counts[lang] > 0 or lenient) and all(counts[lang] >= counts[o] for o in LANGS if o != lang)


def one_line(text):
    return " ".join(text.split())


# ---------------------------------------------------------------------------- man pages

def man_files(lang):
    files = []
    for package in MAN_PACKAGES[lang]:
        out = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout
        files += [p for p in out.splitlines()
                  if re.search(r"/man[0-9][^/]*/[^/]+$", p) and os.path.isfile(p) and not os.path.islink(p)]
    return sorted(set(files))


def man_paragraphs(path, cache):
    """A man page's paragraphs: runs of indented lines between blank lines and headings.
    Rendered once: `cache` (path -> paragraphs) is kept beside the set."""
    if path in cache:
        return cache[path]
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8", MANWIDTH="80", MAN_KEEP_FORMATTING="")
    env.pop("MANPAGER", None)
    env.pop("PAGER", None)
    try:
        man = subprocess.run(["man", "--nh", "--nj", "-l", path], env=env, capture_output=True, timeout=30)
        col = subprocess.run(["col", "-bx"], input=man.stdout, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return []
    lines = col.stdout.decode("utf-8", "replace").split("\n")[1:-2]  # man's header and footer
    paragraphs, current = [], []
    for line in lines:
        if not line.strip() or not line[0].isspace():  # a blank line or a section heading
            if current:
                paragraphs.append(one_line(" ".join(current)))
            current = []
        else:
            current.append(line)
    if current:
        paragraphs.append(one_line(" ".join(current)))
    cache[path] = paragraphs
    return paragraphs


# ---------------------------------------------------------------------------- Debian Reference

class Paragraphs(html.parser.HTMLParser):
    """The text of every <p> of an HTML page (nested blocks end it)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.current, self.depth = [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.end()
            self.current = []
        elif tag in ("pre", "ul", "ol", "dl", "table", "div", "blockquote"):
            self.end()

    def handle_endtag(self, tag):
        if tag == "p":
            self.end()

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)

    def end(self):
        if self.current is not None:
            self.paragraphs.append(one_line("".join(self.current)))
        self.current = None


def debref_documents(lang):
    docs = []
    for path in sorted(glob.glob(os.path.join(DEBREF, f"*.{lang}.html"))):
        if os.path.basename(path).startswith("index."):
            continue
        parser = Paragraphs()
        with open(path, encoding="utf-8", errors="replace") as fh:
            parser.feed(fh.read())
        parser.close()
        parser.end()
        docs.append((f"debian-reference/{os.path.basename(path)}", parser.paragraphs))
    return docs


# ---------------------------------------------------------------------------- the set

def bucket(n):
    return "<120" if n < 120 else "120-200" if n < 200 else "200+"


def build(a):
    setup()
    out = os.path.abspath(a.out)
    rng = random.Random(a.seed)
    cache_path = out + ".rendered.json"
    try:
        with open(cache_path, encoding="utf-8") as fh:
            cache = json.load(fh)
    except (OSError, ValueError):
        cache = {}
    # Documents a language: (source, [kept paragraphs]). A sample of man pages (rendering all
    # takes minutes), every chapter of the Reference.
    docs = {}
    for lang in LANGS:
        pages = man_files(lang)
        pages = sorted(rng.sample(pages, min(a.pages_per_lang, len(pages))))
        with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
            rendered = list(pool.map(lambda page: man_paragraphs(page, cache), pages))
        docs[lang] = [(os.path.relpath(p, "/usr/share/man"), paras) for p, paras in zip(pages, rendered)]
        docs[lang] += debref_documents(lang)
        seen, kept, dropped = set(), 0, 0
        for i, (source, paras) in enumerate(docs[lang]):
            good = []
            for p in paras:
                if keep(p, lang, a.lenient) and p not in seen:  # a paragraph once (boilerplate repeats)
                    seen.add(p)
                    good.append(p)
                elif len(p) >= MIN_CHARS:
                    dropped += 1
            kept += len(good)
            docs[lang][i] = (source, good)
        docs[lang] = [d for d in docs[lang] if len(d[1]) >= 2]
        log(f"{lang}: {len(docs[lang])} documents, {kept} paragraphs kept, {dropped} of 40+ characters dropped")

    with open(cache_path, "w", encoding="utf-8") as fh:
        json.dump(cache, fh, ensure_ascii=False)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    counts = collections.Counter()
    with open(out + ".labels.jsonl", "w", encoding="utf-8") as labels:
        for n in range(a.releases):
            langs = rng.sample(LANGS, rng.choice((2, 3)))
            text, paragraphs = b"", []
            for lang in langs:
                source, paras = rng.choice(docs[lang])
                size = min(rng.randint(2, 4), len(paras))
                first = rng.randrange(len(paras) - size + 1)
                for p in paras[first:first + size]:
                    if text:
                        text += b"\n\n"
                    start = len(text)
                    text += p.encode()
                    paragraphs.append({"start": start, "end": len(text), "lang": lang, "source": source})
                    counts[(lang, bucket(len(p)))] += 1
            name = f"{n:05d}.txt"
            with open(os.path.join(out, name), "wb") as fh:
                fh.write(text + b"\n")
            labels.write(json.dumps({"file": name, "paragraphs": paragraphs}, ensure_ascii=False) + "\n")
    info = {"releases": a.releases, "seed": a.seed, "lenient": a.lenient, "pages_per_lang": a.pages_per_lang,
            "documents": {l: len(docs[l]) for l in LANGS},
            "paragraphs": {f"{l} {b}": counts[(l, b)] for l in LANGS for b in ("<120", "120-200", "200+")}}
    with open(__file__, "rb") as fh:  # a set is rebuilt when this script changes
        info["maker_sha1"] = hashlib.sha1(fh.read()).hexdigest()
    with open(out + ".json", "w") as fh:
        json.dump(info, fh, indent=1)
    log(json.dumps(info["paragraphs"]))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--releases", type=int, default=2000)
    p.add_argument("--seed", type=int, default=12)
    p.add_argument("--pages-per-lang", type=int, default=400, help="man pages rendered a language")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--lenient", action="store_true", help="keep paragraphs without function words (FILTER)")
    build(p.parse_args())


if __name__ == "__main__":
    main()
