#!/usr/bin/python3
"""Presse's known-item relevance set, built from Debian's man pages and the Debian Reference.

  make_set.py OUT [--per-lang N] [--seed S] [--jobs N]
  make_set.py OUT --slice SLICE [--slice-queries N] [--slice-distractors N]

Writes, from what is installed (run through Benchmarks/relevance/make-set, which installs the
packages first):
  OUT/{en,fr,de}/NAME.SECTION.txt   one man page, rendered to plain text without its NAME
                                    section; first line "name(section) — section title"
  OUT/{en,fr,de}/debref-N.N.N.txt   one section of the Debian Reference without its heading;
                                    first line "Debian Reference N.N.N"
  OUT.queries.tsv                   LANG<TAB>QUERY<TAB>ANSWER (path relative to OUT)
  OUT.json                          counts, bytes, sources
A man page's query is its NAME line's description ("ls - list directory contents" asks
"list directory contents"); a Reference section's query is its heading. Each query has one
right answer; every page and section, queried or not, is in OUT as a distractor. Queries of
one word are dropped, and so are queries that more than one page of a language shares
("display a manual page" twice has no one right answer). Up to --per-lang queries a language
are drawn with a fixed seed.

Sources: the man pages under /usr/share/man/man*/ (English), /usr/share/man/fr/ and
/usr/share/man/de/ that belong to a package from a Debian archive (a page of a package that
apt knows only as installed, like google-cloud-cli's 16,000 gcloud pages, is left out:
it would swamp the set and is not Debian's), and debian-reference-{en,fr,de}. Pages that
`man` cannot render, `.so` redirects, symbolic links and pages under 300 characters are
skipped, and so is a French or German page or section whose text uses more English function
words than its own language's (an untranslated part).

--slice SLICE copies a small subset of an existing set OUT into SLICE (same layout):
--slice-queries queried answers and --slice-distractors other pages per language, both
drawn among files under 6 KB, for the committed test fixture.

Not the package descriptions: those serve the evaluation kept apart from the project.
"""
import argparse, collections, concurrent.futures, glob, gzip, hashlib, html.parser, json, os, random
import re, shutil, subprocess, sys

LANGS = ("en", "fr", "de")
MAN_ROOTS = {"en": "/usr/share/man", "fr": "/usr/share/man/fr", "de": "/usr/share/man/de"}
DEBREF = "/usr/share/debian-reference"
MIN_CHARS = 300

# Function words, to tell an untranslated page (English text in fr/ or de/) from a translated one.
FUNCTION_WORDS = {
    "en": set("the of and to is in that for are with be this by as it an or not on which can".split()),
    "fr": set("le la les de des du et est un une pour dans que qui sur par pas ou en au aux avec".split()),
    "de": set("der die das und ist nicht ein eine zu den von mit für auf im dem des oder wird werden".split()),
}
# The dash between a page's names and its description, as man renders `\-` in UTF-8 and ASCII.
NAME_DASH = re.compile(r"\s[-\u2212\u2010\u2013\u2014]\s")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def words(text):
    return re.findall(r"[^\W\d_]+", text.lower())


def foreign(text, lang):
    """True when a French or German text uses more English function words than its own."""
    if lang == "en":
        return False
    counts = collections.Counter(w for w in words(text) if w in FUNCTION_WORDS["en"] or w in FUNCTION_WORDS[lang])
    english = sum(n for w, n in counts.items() if w in FUNCTION_WORDS["en"])
    own = sum(n for w, n in counts.items() if w in FUNCTION_WORDS[lang])
    return english > own


def one_line(text):
    return " ".join(text.split())


# ---------------------------------------------------------------------------- man pages

def debian_owners():
    """Man page path -> owning package, for packages a Debian archive knows."""
    owner = {}
    for lst in glob.glob("/var/lib/dpkg/info/*.list"):
        pkg = os.path.basename(lst)[:-5]
        with open(lst, errors="replace") as fh:
            for line in fh:
                if line.startswith("/usr/share/man/"):
                    owner[line.rstrip("\n")] = pkg
    packages = sorted(set(owner.values()))
    # `apt-cache policy` lists an archive (an http/https/file URL) beside /var/lib/dpkg/status
    # for every package apt can download; a package installed from elsewhere has only the latter.
    known = set()
    for i in range(0, len(packages), 200):
        out = subprocess.run(["apt-cache", "policy", *packages[i:i + 200]], capture_output=True, text=True).stdout
        current = None
        for line in out.splitlines():
            if line and not line.startswith(" "):
                current = line.rstrip(":")
            elif current and re.search(r"\s\d+\s+(https?|file|cdrom):", line):
                known.add(current)
    known |= {p.split(":")[0] for p in known}
    return {path: pkg for path, pkg in owner.items() if pkg in known or pkg.split(":")[0] in known}


def man_pages(lang, owners):
    """(path, name, section, package) of each man page file of a language."""
    root = MAN_ROOTS[lang]
    pages = []
    for path in sorted(glob.glob(os.path.join(root, "man*", "*"))):
        if os.path.islink(path) or not os.path.isfile(path) or path not in owners:
            continue
        base = os.path.basename(path)
        base = base[:-3] if base.endswith(".gz") else base
        name, _, section = base.rpartition(".")
        if name and section and re.fullmatch(r"[0-9][0-9a-z]*", section):
            pages.append((path, name, section, owners[path]))
    return pages


def read_source(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as fh:
        return fh.read(4096)


def render_man(job):
    """One page to (lang, filename, heading, description, body), or None to skip it."""
    lang, path, name, section, package = job
    try:
        if read_source(path).lstrip().startswith(b".so "):
            return None  # a redirect to another page
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8", MANWIDTH="80", MAN_KEEP_FORMATTING="")
        env.pop("MANPAGER", None)
        env.pop("PAGER", None)
        # --nh --nj: no hyphenation, no justification (a hyphenated word is two words to an indexer).
        man = subprocess.run(f"man --nh --nj -l {shlex_quote(path)} 2>/dev/null | col -bx", shell=True,
                             env=env, capture_output=True, timeout=30)
        text = man.stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = [l.rstrip() for l in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) < 4:
        return None
    header, lines = lines[0], lines[1:-1]  # man's header and footer lines
    # The header "LS(1)   User Commands   LS(1)": its middle is the section's title.
    parts = [p for p in re.split(r"\s{2,}", header.strip()) if p]
    section_title = parts[1] if len(parts) == 3 else ""
    # Headings start in column 0; the first one is NAME (NOM, BEZEICHNUNG...).
    starts = [i for i, l in enumerate(lines) if l and not l[0].isspace()]
    if len(starts) < 2:
        return None
    name_text = one_line(" ".join(lines[starts[0] + 1:starts[1]]))
    body = "\n".join(lines[starts[1]:]).strip()
    m = NAME_DASH.search(name_text)
    description = one_line(name_text[m.end():]) if m else ""
    if len(body) < MIN_CHARS or foreign(body, lang):
        return None
    heading = f"{name}({section})" + (f" — {section_title}" if section_title else "")
    return lang, f"{name}.{section}.txt", heading, description, body, package


def shlex_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


# ---------------------------------------------------------------------------- Debian Reference

class Sections(html.parser.HTMLParser):
    """Splits a Debian Reference chapter into (heading, text) at every h2..h5 heading."""
    BLOCK = {"p", "div", "pre", "li", "tr", "br", "table", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
             "ul", "ol", "dl", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections, self.heading, self.chunks = [], None, []
        self.in_heading, self.skip, self.pre = False, 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in ("h2", "h3", "h4", "h5") and ("class", "title") in attrs:
            self.flush()
            self.in_heading, self.heading = True, ""
        elif tag == "pre":
            self.pre += 1
            self.chunks.append("\n\n")
        elif tag in ("p", "div", "table", "ul", "ol", "dl", "blockquote"):
            self.chunks.append("\n\n")
        elif tag in self.BLOCK:
            self.chunks.append("\n")
        elif tag == "td":
            self.chunks.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        elif tag in ("h2", "h3", "h4", "h5") and self.in_heading:
            self.in_heading = False
        elif tag == "pre":
            self.pre -= 1
            self.chunks.append("\n\n")
        elif tag in self.BLOCK:
            self.chunks.append("\n")

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_heading:
            self.heading += data
        elif self.pre:
            self.chunks.append(data)
        else:
            self.chunks.append(re.sub(r"\s+", " ", data))

    def flush(self):
        if self.heading is not None:
            text = "".join(self.chunks)
            paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text)]
            self.sections.append((one_line(self.heading), "\n\n".join(p for p in paragraphs if p)))
        self.chunks = []

    def close(self):
        super().close()
        self.flush()


def debian_reference(lang):
    """(filename, heading, query, body) of each section of the Debian Reference in a language."""
    out = []
    for path in sorted(glob.glob(os.path.join(DEBREF, f"*.{lang}.html"))):
        if os.path.basename(path).startswith("index."):
            continue
        parser = Sections()
        with open(path, encoding="utf-8", errors="replace") as fh:
            parser.feed(fh.read())
        parser.close()
        for heading, body in parser.sections:
            m = re.match(r"((?:[0-9]+|[A-Z])(?:\.[0-9]+)*)\.\s+(.*)", heading)
            if not m or len(body) < MIN_CHARS or foreign(body, lang):
                continue
            number, title = m.groups()
            out.append((f"debref-{number}.txt", f"Debian Reference {number}", title, body))
    return out


# ---------------------------------------------------------------------------- the set

def build(a):
    out = os.path.abspath(a.out)
    shutil.rmtree(out, ignore_errors=True)
    for lang in LANGS:
        os.makedirs(os.path.join(out, lang))
    owners = debian_owners()
    jobs = [(lang, *page) for lang in LANGS for page in man_pages(lang, owners)]
    log(f"rendering {len(jobs)} man pages on {a.jobs} workers")
    # name -> (heading, query, body, source); a name seen twice in one language keeps its first page.
    docs = {lang: {} for lang in LANGS}
    packages = collections.Counter()
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:  # each job waits on its own man process
        for n, r in enumerate(pool.map(render_man, jobs), 1):
            if n % 1000 == 0:
                log(f"  {n} pages")
            if r:
                lang, filename, heading, description, body, package = r
                if filename not in docs[lang]:
                    docs[lang][filename] = (heading, description, body, "man")
                    packages[package] += 1
    for lang in LANGS:
        for filename, heading, query, body in debian_reference(lang):
            docs[lang].setdefault(filename, (heading, query, body, "debref"))

    rng = random.Random(a.seed)
    queries, info = [], {"langs": {}, "seed": a.seed, "per_lang": a.per_lang, "packages": dict(sorted(packages.items()))}
    for lang in LANGS:
        nbytes = 0
        for filename, (heading, query, body, _) in sorted(docs[lang].items()):
            text = f"{heading}\n\n{body}\n"
            with open(os.path.join(out, lang, filename), "w", encoding="utf-8") as fh:
                fh.write(text)
            nbytes += len(text.encode())
        by_query = collections.defaultdict(list)
        for filename, (_, query, _, source) in docs[lang].items():
            if len(words(query)) >= 2:
                by_query[query.lower()].append((query, filename, source))
        candidates = sorted(v[0] for v in by_query.values() if len(v) == 1)
        chosen = rng.sample(candidates, min(a.per_lang, len(candidates)))
        for query, filename, _ in chosen:
            queries.append((lang, query, f"{lang}/{filename}"))
        sources = collections.Counter(s for _, _, s in chosen)
        info["langs"][lang] = {
            "docs": len(docs[lang]), "bytes": nbytes,
            "man_pages": sum(1 for d in docs[lang].values() if d[3] == "man"),
            "debref_sections": sum(1 for d in docs[lang].values() if d[3] == "debref"),
            "candidate_queries": len(candidates), "queries": len(chosen),
            "queries_man": sources["man"], "queries_debref": sources["debref"],
            "shared_queries_dropped": sum(len(v) for v in by_query.values() if len(v) > 1)}
        log(f"{lang}: {info['langs'][lang]}")
    write_queries(out, queries)
    info["docs"] = sum(l["docs"] for l in info["langs"].values())
    info["bytes"] = sum(l["bytes"] for l in info["langs"].values())
    info["queries"] = len(queries)
    with open(__file__, "rb") as fh:  # a set is rebuilt when this script changes
        info["maker_sha1"] = hashlib.sha1(fh.read()).hexdigest()
    with open(out + ".json", "w") as fh:
        json.dump(info, fh, indent=1)


def write_queries(out, queries):
    with open(out + ".queries.tsv", "w", encoding="utf-8") as fh:
        for lang, query, answer in queries:
            fh.write(f"{lang}\t{query}\t{answer}\n")


def read_queries(path):
    with open(path, encoding="utf-8") as fh:
        return [tuple(l.rstrip("\n").split("\t")) for l in fh if l.strip()]


def make_slice(a):
    """A small subset of the set at a.out, for the committed fixture."""
    full, out = os.path.abspath(a.out), os.path.abspath(a.slice)
    shutil.rmtree(out, ignore_errors=True)
    rng = random.Random(a.seed)
    small = lambda rel: os.path.getsize(os.path.join(full, rel)) < 6_000
    queries = read_queries(full + ".queries.tsv")
    picked = []
    for lang in LANGS:
        mine = [q for q in queries if q[0] == lang and small(q[2])]
        answers = rng.sample(mine, min(a.slice_queries, len(mine)))
        queried = {q[2] for q in mine}
        others = sorted(f"{lang}/{n}" for n in os.listdir(os.path.join(full, lang)) if f"{lang}/{n}" not in queried)
        others = [rel for rel in others if small(rel)]
        distractors = rng.sample(others, min(a.slice_distractors, len(others)))
        for rel in [q[2] for q in answers] + distractors:
            os.makedirs(os.path.dirname(os.path.join(out, rel)), exist_ok=True)
            shutil.copyfile(os.path.join(full, rel), os.path.join(out, rel))
        picked += answers
        log(f"{lang}: {len(answers)} queried answers, {len(distractors)} distractors")
    write_queries(out, picked)
    langs = {}
    for lang in LANGS:
        names = os.listdir(os.path.join(out, lang))
        langs[lang] = {"docs": len(names), "bytes": sum(os.path.getsize(os.path.join(out, lang, n)) for n in names),
                       "queries": sum(1 for q in picked if q[0] == lang)}
    with open(out + ".json", "w") as fh:
        json.dump({"slice_of": full, "seed": a.seed, "langs": langs, "docs": sum(l["docs"] for l in langs.values()),
                   "queries": len(picked)}, fh, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--per-lang", type=int, default=300, help="queries per language (default %(default)s)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--jobs", type=int, default=4, help="man processes at once (default %(default)s)")
    ap.add_argument("--slice", help="copy a small subset of the set OUT into this folder")
    ap.add_argument("--slice-queries", type=int, default=50, help="queried answers per language in the slice")
    ap.add_argument("--slice-distractors", type=int, default=200, help="other pages per language in the slice")
    a = ap.parse_args()
    (make_slice if a.slice else build)(a)


if __name__ == "__main__":
    main()
