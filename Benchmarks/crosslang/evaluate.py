#!/usr/bin/python3
"""Cross-language known-item search: Presse with translation, without it, and python-xapian.

  evaluate.py SET [--presse BINARY] [--out DIR] [--jobs N] [--oneshot N] [--kind man|packages]

SET is the folder make_set.py wrote (SET.queries.tsv beside it). Two indexes: the French and
German pages (for en-fr and en-de) and the English pages (for fr-en and de-en). Every query is
searched as a user types it, with no language named (`presse search --batch --json --limit 10`,
lines without a language), once with translation (the default) and once with
`--no-translate`; the python-xapian peer parses it with the answer language's stemmer and
keeps that language's documents (what `--lang fr --no-translate` does, without translation).
Scores MRR@10, success@1 and success@10 per direction. Times: the batch with translation
against the batch without (same run), and one-shot processes on a sample (translation, none,
and Xapian's `quest` on the peer's database), interleaved so they share the machine's noise.
Writes DIR/crosslang.json and DIR/crosslang.md (DIR default: bench-out); with --kind packages
(make_package_set.py's set: a package's synopsis asks for its long description),
DIR/crosslang-packages.{json,md}.
"""
import argparse, datetime, json, os, random, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "relevance"))
from evaluate import disk_usage, log, timed  # noqa: E402
PYTHON = "/usr/bin/python3"
DIRECTIONS = ("en-fr", "en-de", "fr-en", "de-en", "fr-fr", "de-de", "en-en")
STEMMERS = {"en": "english", "fr": "french", "de": "german"}

PEER = r'''
import json, sys, xapian
db = xapian.Database(sys.argv[1])
enquire = xapian.Enquire(db)
qp = xapian.QueryParser()
qp.set_database(db)
qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
for line in open(sys.argv[2], encoding="utf-8"):
    target, text = line.rstrip("\n").split("\t")
    qp.set_stemmer(xapian.Stem({"en": "english", "fr": "french", "de": "german"}[target]))
    enquire.set_query(xapian.Query(xapian.Query.OP_FILTER, qp.parse_query(text), xapian.Query("XL" + target)))
    print(json.dumps({"paths": [m.document.get_data().decode() for m in enquire.get_mset(0, 10)]}))
'''


def read_queries(path):
    with open(path, encoding="utf-8") as fh:
        return [tuple(l.rstrip("\n").split("\t")) for l in fh if l.strip()]


def tail(path):
    """A page's path as LANG/NAME: the same page whichever folder it was indexed from."""
    return "/".join(os.path.normpath(path).split("/")[-2:])


def corpus_of(work, setdir, langs):
    folder = os.path.join(work, "corpus-" + "".join(langs))
    os.makedirs(folder, exist_ok=True)
    for lang in langs:
        os.symlink(os.path.join(setdir, lang), os.path.join(folder, lang))
    return folder


def presse_batch(presse, index, lines, work, extra):
    batch = os.path.join(work, "batch.txt")
    with open(batch, "w", encoding="utf-8") as fh:
        fh.writelines(q + "\n" for q in lines)
    r, wall, cpu = timed([presse, "search", "--index", index, "--batch", batch, "--json", "--limit", "10", *extra],
                         ok=(0, 1), cwd=work)
    ranked = [[tail(h["path"]) for h in json.loads(l)["hits"]] for l in r.stdout.decode().splitlines() if l.strip()]
    return ranked, wall, cpu


def peer_batch(db, lines, work):
    batch = os.path.join(work, "peer-batch.tsv")
    with open(batch, "w", encoding="utf-8") as fh:
        fh.writelines(f"{t}\t{q}\n" for t, q in lines)
    script = os.path.join(work, "peer_search.py")
    with open(script, "w") as fh:
        fh.write(PEER)
    r, wall, cpu = timed([PYTHON, script, db, batch])
    return [[tail(p) for p in json.loads(l)["paths"]] for l in r.stdout.decode().splitlines() if l.strip()], wall, cpu


def scores(answers, ranked):
    ranks = [paths.index(a) + 1 if a in paths[:10] else None for a, paths in zip(answers, ranked)]
    n = len(ranks) or 1
    return {"queries": len(ranks), "mrr10": sum(1 / r for r in ranks if r) / n,
            "s1": sum(1 for r in ranks if r == 1) / n, "s10": sum(1 for r in ranks if r) / n}, ranks


def one_shot(cmd):
    t0 = time.perf_counter()
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return (time.perf_counter() - t0) * 1000, rc


KINDS = {
    "man": ("crosslang", "man pages in two languages",
            "The query is one page's NAME description, the one right answer the same page in the other language"),
    "packages": ("crosslang-packages", "Debian package descriptions in two languages",
                 "The query is one package's synopsis, the one right answer its long description in the other "
                 "language (without the synopsis)"),
}


def evaluate(setdir, presse, out, jobs, oneshot_count, kind="man"):
    setdir = os.path.realpath(setdir)
    queries = read_queries(setdir + ".queries.tsv")
    os.makedirs(out, exist_ok=True)
    work = os.path.realpath(tempfile.mkdtemp(prefix="crosslang-", dir=out))
    started = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.perf_counter()
    result = {"date": started.isoformat(timespec="seconds"), "set": setdir, "presse_binary": presse,
              "commit": subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h"], capture_output=True,
                                       text=True).stdout.strip(), "directions": {}, "runs": {}, "kind": kind}
    # The lexicon is built (or found) before anything is timed.
    subprocess.run([presse, "lexicon"] if not os.path.exists(lexicon_path()) else ["true"], check=True)
    for langs in (("fr", "de"), ("en",)):
        name = "".join(langs)
        corpus = corpus_of(work, setdir, langs)
        index, peer_db = os.path.join(work, f"presse-{name}"), os.path.join(work, f"peer-{name}")
        log(f"== crosslang: indexing {'+'.join(langs)}")
        _, index_s, _ = timed([presse, "index", "--index", index, "--quiet", "--jobs", str(jobs), corpus], ok=(0, 4))
        timed([PYTHON, os.path.join(ROOT, "Benchmarks", "relevance", "peer.py"), "index", peer_db, corpus])
        mine = [q for q in queries if q[0].split("-")[1] in langs]
        lines = [q for _, q, _ in mine]
        answers = [a for _, _, a in mine]
        log(f"== crosslang: {len(mine)} queries on {'+'.join(langs)}")
        # The answer's language named (LANG<TAB>QUERY), as the relevance benchmark and a reader
        # of one language do; and, for the default column, no language named.
        named = [f"{d.split('-')[1]}\t{q}" for d, q, _ in mine]
        translated, t_wall, t_cpu = presse_batch(presse, index, named, work, [])
        plain, p_wall, p_cpu = presse_batch(presse, index, named, work, ["--no-translate"])
        anywhere, _, _ = presse_batch(presse, index, lines, work, [])
        peer, x_wall, _ = peer_batch(peer_db, [(d.split("-")[1], q) for d, q, _ in mine], work)
        result["runs"][name] = {"queries": len(mine), "index_s": index_s, "index_bytes": disk_usage(index),
                                "batch_translated_s": t_wall, "batch_translated_cpu_s": t_cpu,
                                "batch_plain_s": p_wall, "batch_plain_cpu_s": p_cpu, "peer_s": x_wall}
        for direction in DIRECTIONS:
            pick = [i for i, q in enumerate(mine) if q[0] == direction]
            if not pick:
                continue
            got = {}
            for label, ranked in (("translated", translated), ("plain", plain), ("anywhere", anywhere), ("peer", peer)):
                got[label], ranks = scores([answers[i] for i in pick], [ranked[i] for i in pick])
                got[label + "_ranks"] = ranks
            result["directions"][direction] = got
        if langs == ("fr", "de") and oneshot_count > 0:
            sample = random.Random(7).sample(mine, min(oneshot_count, len(mine)))
            times = {"translated": [], "plain": [], "quest": []}
            log(f"== crosslang: one-shot, {len(sample)} queries x 3")
            for direction, text, _ in sample:
                for label, cmd in (("translated", [presse, "search", "--index", index, text]),
                                   ("plain", [presse, "search", "--index", index, "--no-translate", text]),
                                   ("quest", ["quest", "-d", peer_db, "-s", STEMMERS[direction[:2]], text])):
                    ms, _ = one_shot(cmd)
                    times[label].append(ms)
            result["oneshot_p50_ms"] = {k: statistics.median(v) for k, v in times.items()}
    result["total_s"] = round(time.perf_counter() - t0, 1)
    result["loadavg_at_end"] = round(os.getloadavg()[0], 2)
    shutil.rmtree(work, ignore_errors=True)
    md = "\n".join(table(result)) + "\n"
    name = KINDS[kind][0]
    with open(os.path.join(out, name + ".json"), "w") as fh:
        json.dump(result, fh, indent=1, ensure_ascii=False)
    with open(os.path.join(out, name + ".md"), "w") as fh:
        fh.write(md)
    return result


def lexicon_path():
    env = os.environ
    if env.get("PRESSE_CACHE_DIR"):
        return os.path.join(env["PRESSE_CACHE_DIR"], "translations-3.lexicon")
    base = env.get("XDG_CACHE_HOME") or os.path.join(env.get("HOME", "/"), ".cache")
    return os.path.join(base, "presse", "translations-3.lexicon")


def table(r):
    _, title, what = KINDS[r.get("kind", "man")]
    L = [f"### Cross-language known-item search ({title})\n",
         f"Run {r['date'][:16].replace('T', ' ')} UTC, commit `{r['commit']}`. {what} (fr-fr, de-de, en-en: in its own "
         "language, the monolingual figure). French and German documents are one index, English ones another. "
         "Presse searches with the answer's language named (`LANG<TAB>QUERY` in the batch, as `--lang`), with "
         "translation (the default) and with `--no-translate`; *anywhere*: no language named (translation on); "
         "the python-xapian peer parses the query with the answer language's stemmer, in that language's "
         "documents.\n",
         "| direction | queries | MRR@10 Presse | `--no-translate` | anywhere | peer | success@1 Presse | success@10 Presse |",
         "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for d in DIRECTIONS:
        g = r["directions"].get(d)
        if g:
            L.append(f"| {d} | {g['translated']['queries']} | {g['translated']['mrr10']:.3f} | {g['plain']['mrr10']:.3f} "
                     f"| {g['anywhere']['mrr10']:.3f} | {g['peer']['mrr10']:.3f} | {g['translated']['s1']:.3f} "
                     f"| {g['translated']['s10']:.3f} |")
    for name, run in r["runs"].items():
        L.append(f"\nBatch of {run['queries']} queries on {name}: translated {run['batch_translated_s']:.2f} s wall "
                 f"({run['batch_translated_cpu_s']:.2f} s CPU), without translation {run['batch_plain_s']:.2f} s "
                 f"({run['batch_plain_cpu_s']:.2f} s CPU): "
                 f"**{run['batch_translated_s'] / run['batch_plain_s']:.2f}x** (goal ≤ 1.5x).")
    o = r.get("oneshot_p50_ms")
    if o:
        L.append(f"\nOne-shot `presse search QUERY` p50: translated {o['translated']:.1f} ms, without translation "
                 f"{o['plain']:.1f} ms, `quest` {o['quest']:.1f} ms: **{o['translated'] / o['quest']:.2f}x quest** "
                 f"(goal ≤ 2.5x).")
    L.append(f"\nWhole run {r['total_s']:.0f} s; load average at the end {r['loadavg_at_end']}.")
    return L


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set")
    ap.add_argument("--presse", default=os.path.join(ROOT, ".build", "release", "presse"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--oneshot", type=int, default=60, help="one-shot processes timed per side (default %(default)s)")
    ap.add_argument("--kind", choices=sorted(KINDS), default="man", help="which set SET is (default %(default)s)")
    a = ap.parse_args()
    r = evaluate(a.set, os.path.abspath(a.presse), os.path.abspath(a.out), a.jobs, a.oneshot, a.kind)
    print("\n".join(table(r)))


if __name__ == "__main__":
    main()
