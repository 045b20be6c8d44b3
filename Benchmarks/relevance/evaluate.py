#!/usr/bin/python3
"""Known-item relevance of Presse against the python-xapian peer, on a set from make_set.py.

  evaluate.py SET [--presse BINARY] [--out DIR] [--jobs N]

SET is the folder make_set.py wrote (SET.queries.tsv beside it). Indexes SET with
`presse index --jobs 2` and with peer.py, runs every query (`presse search --batch --json
--limit 10`, each query in its language), and scores each side by where the one right answer
comes: MRR@10 (1/rank, 0 past 10), success@1, success@10, per language. Prints a markdown
table and writes DIR/relevance.json and DIR/relevance.md (DIR default: bench-out).
"""
import argparse, datetime, json, os, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LANGS = ("en", "fr", "de")
PYTHON = "/usr/bin/python3"  # Debian's, for which python3-xapian is installed


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def disk_usage(path):
    """Bytes on disk under path, like du -s."""
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(d, f)).st_blocks * 512
            except FileNotFoundError:
                pass
    return total


def read_queries(path):
    with open(path, encoding="utf-8") as fh:
        return [tuple(l.rstrip("\n").split("\t")) for l in fh if l.strip()]


def timed(cmd, ok=(0,), cwd=None):
    """Runs cmd; its output (stdout, stderr as bytes), wall seconds and CPU seconds (user + system:
    on a shared machine, steadier than the wall)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = rc = os.waitstatus_to_exitcode(status)  # so Popen never waits again
        out.seek(0)
        err.seek(0)
        r = subprocess.CompletedProcess(cmd, rc, out.read(), err.read())
    if rc not in ok:
        sys.exit(f"{' '.join(cmd)} failed (exit {rc}): {r.stderr.decode(errors='replace')[-800:]}")
    return r, wall, ru.ru_utime + ru.ru_stime


def run_presse(presse, corpus, batch, work, jobs):
    index = os.path.join(work, "presse-index")
    shutil.rmtree(index, ignore_errors=True)
    # Exit 4: some files skipped (named on stderr); the rest is indexed.
    r, index_s, index_cpu = timed([presse, "index", "--index", index, "--quiet", "--jobs", str(jobs), corpus], ok=(0, 4))
    skipped = [l for l in r.stderr.decode(errors="replace").splitlines() if l.startswith("presse: skipped")]
    # Exit 1: some query found nothing.
    r, search_s, search_cpu = timed([presse, "search", "--index", index, "--batch", batch, "--json", "--limit", "10"],
                                    ok=(0, 1), cwd=work)
    ranked = []
    for line in r.stdout.decode().splitlines():
        if line.strip():
            # Paths under the working directory are shown relative to it.
            ranked.append([os.path.normpath(os.path.join(work, h["path"])) for h in json.loads(line)["hits"]])
    return ranked, {"index_s": index_s, "index_cpu_s": index_cpu, "search_s": search_s, "search_cpu_s": search_cpu,
                    "index_bytes": disk_usage(index),
                    "skipped": len(skipped), "skipped_examples": skipped[:5]}


def run_peer(corpus, batch, work):
    db = os.path.join(work, "peer-index")
    shutil.rmtree(db, ignore_errors=True)
    peer = os.path.join(HERE, "peer.py")
    _, index_s, index_cpu = timed([PYTHON, peer, "index", db, corpus])
    r, search_s, search_cpu = timed([PYTHON, peer, "search", db, batch])
    ranked = [json.loads(l)["paths"] for l in r.stdout.decode().splitlines() if l.strip()]
    return ranked, {"index_s": index_s, "index_cpu_s": index_cpu, "search_s": search_s, "search_cpu_s": search_cpu,
                    "index_bytes": disk_usage(db)}


def score(queries, ranked, corpus):
    """Per language: queries, MRR@10, success@1, success@10; and each query's rank (None past 10)."""
    ranks = []
    for (lang, _, answer), paths in zip(queries, ranked):
        target = os.path.join(corpus, answer)
        ranks.append(paths.index(target) + 1 if target in paths[:10] else None)
    per = {}
    for lang in LANGS + ("all",):
        mine = [r for (l, _, _), r in zip(queries, ranks) if lang in (l, "all")]
        if mine:
            per[lang] = {"queries": len(mine),
                         "mrr10": sum(1 / r for r in mine if r) / len(mine),
                         "s1": sum(1 for r in mine if r == 1) / len(mine),
                         "s10": sum(1 for r in mine if r) / len(mine)}
    return per, ranks


def evaluate(corpus, presse, out, jobs=2, label="relevance"):
    """Runs both sides on the set at corpus; returns the results (also written to out)."""
    corpus = os.path.realpath(corpus)
    queries = read_queries(corpus + ".queries.tsv")
    info = {}
    if os.path.exists(corpus + ".json"):
        with open(corpus + ".json") as fh:
            info = json.load(fh)
    os.makedirs(out, exist_ok=True)
    work = os.path.realpath(tempfile.mkdtemp(prefix=f"{label}-", dir=out))
    batch = os.path.join(work, "batch.tsv")
    with open(batch, "w", encoding="utf-8") as fh:
        fh.writelines(f"{lang}\t{query}\n" for lang, query, _ in queries)
    started = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.perf_counter()
    log(f"== relevance: presse ({len(queries)} queries)")
    p_ranked, p_run = run_presse(presse, corpus, batch, work, jobs)
    log("== relevance: python-xapian peer")
    x_ranked, x_run = run_peer(corpus, batch, work)
    for name, ranked in (("presse", p_ranked), ("peer", x_ranked)):
        if len(ranked) != len(queries):
            sys.exit(f"{name} answered {len(ranked)} of {len(queries)} queries (see {work})")
    p_score, p_ranks = score(queries, p_ranked, corpus)
    x_score, x_ranks = score(queries, x_ranked, corpus)
    per_query = [{"lang": l, "query": q, "answer": a, "presse_rank": pr, "peer_rank": xr,
                  "presse_first": os.path.relpath(pp[0], corpus) if pp else None,
                  "peer_first": os.path.relpath(xp[0], corpus) if xp else None}
                 for (l, q, a), pr, xr, pp, xp in zip(queries, p_ranks, x_ranks, p_ranked, x_ranked)]
    raw = sum(l.get("bytes", 0) for l in info.get("langs", {}).values()) or None
    result = {"date": started.isoformat(timespec="seconds"), "set": corpus, "presse_binary": presse,
              "commit": subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h"], capture_output=True,
                                       text=True).stdout.strip(),
              "set_info": info, "raw_bytes": raw, "presse_run": p_run, "peer_run": x_run,
              "presse": p_score, "peer": x_score, "total_s": round(time.perf_counter() - t0, 1),
              "loadavg_at_end": round(os.getloadavg()[0], 2),
              "per_query": per_query}
    shutil.rmtree(work, ignore_errors=True)
    md = "\n".join(table(result)) + "\n"
    with open(os.path.join(out, f"{label}.json"), "w") as fh:
        json.dump(result, fh, indent=1, ensure_ascii=False)
    with open(os.path.join(out, f"{label}.md"), "w") as fh:
        fh.write(md)
    return result


def table(r):
    """The markdown table: per language, Presse, the peer and the difference, for each measure."""
    info = r.get("set_info", {}).get("langs", {})
    L = [f"### Known-item relevance (man pages and the Debian Reference)\n",
         f"Run {r['date'][:16].replace('T', ' ')} UTC, commit `{r['commit']}`; one right answer per query, "
         f"each query searched in its language; Presse `search --batch --limit 10` against the python-xapian "
         f"peer (one document per file, BM25 defaults, `Benchmarks/relevance/peer.py`).\n",
         "| language | queries | docs | MRR@10 Presse | peer | diff | success@1 Presse | peer | diff | success@10 Presse | peer | diff |",
         "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for lang in LANGS + ("all",):
        p, x = r["presse"].get(lang), r["peer"].get(lang)
        if not p:
            continue
        docs = info.get(lang, {}).get("docs", "") if lang != "all" else r.get("set_info", {}).get("docs", "")
        cells = [f"{lang}", f"{p['queries']}", f"{docs:,}" if docs != "" else ""]
        for k in ("mrr10", "s1", "s10"):
            cells += [f"{p[k]:.3f}", f"{x[k]:.3f}", f"{p[k] - x[k]:+.3f}"]
        L.append("| " + " | ".join(cells) + " |")
    pr, xr = r["presse_run"], r["peer_run"]
    raw = r.get("raw_bytes")
    ratio = lambda b: f" = {b / raw:.2f}x raw" if raw else ""
    L.append(f"\nCorpus {raw / 1e6:.1f} MB of text." if raw else "")
    L.append(f"Index size: Presse {pr['index_bytes'] / 1e6:.1f} MB{ratio(pr['index_bytes'])} "
             f"(`index --jobs 2`, {pr['index_s']:.1f} s wall, {pr['index_cpu_s']:.1f} s CPU), "
             f"peer {xr['index_bytes'] / 1e6:.1f} MB{ratio(xr['index_bytes'])} "
             f"({xr['index_s']:.1f} s wall, {xr['index_cpu_s']:.1f} s CPU). "
             f"Queries: Presse {pr['search_s']:.1f} s, peer {xr['search_s']:.1f} s (wall). "
             f"Whole run {r['total_s']:.0f} s; load average at the end {r.get('loadavg_at_end', '?')}."
             + (f" Presse skipped {pr['skipped']} files." if pr.get("skipped") else ""))
    return L


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set", help="the folder make_set.py wrote")
    ap.add_argument("--presse", default=os.path.join(ROOT, ".build", "release", "presse"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    ap.add_argument("--jobs", type=int, default=2, help="presse index --jobs (default %(default)s)")
    ap.add_argument("--label", default="relevance", help="names the output files (default %(default)s)")
    a = ap.parse_args()
    r = evaluate(a.set, os.path.abspath(a.presse), os.path.abspath(a.out), a.jobs, a.label)
    print("\n".join(table(r)))


if __name__ == "__main__":
    main()
