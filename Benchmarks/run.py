#!/usr/bin/python3
"""Presse benchmark suite: presse side by side with plain Xapian (C++ and Python floors).

Run through scripts/bench, which installs what is missing first. For each corpus size:
  indexing   wall time, MB/s, docs/s, peak RSS, index size vs raw text:
             presse --jobs 2, presse --jobs 1, C++ floor, Python floor
  queries    the same query list (1,500) in one batch: presse --batch (both cores, and --jobs 1),
             C++ floor, Python floor (one thread each);
             one-shot processes on a sample: `presse search` and Xapian's own `quest`
  asking     (issue 14) the batch with --facets beside the batch without; the spelling data's
             share of the index; a suggestion's cost (the batch's queries with typos, one
             thread, with and without --no-suggest)
  add        (largest size only) `presse add` of one new release, median of 5
  relevance  known-item relevance on man pages and the Debian Reference (Benchmarks/relevance):
             MRR@10, success@1 and @10 per language, presse against a python-xapian peer
  formats    ingest speed per format (text, HTML, Markdown, e-mail, PDF, Word) and peak memory
             on a folder with a 200 MB PDF (Benchmarks/formats.py)
  watch      (--watch only, not in the full run) `presse watch`: close-to-searchable for
             releases dropped one by one and 5,000 at once, the idle watcher's CPU and RSS
             (Benchmarks/watch.py)
Writes OUT/results.json, OUT/results.md, OUT/index-time.png, OUT/query-latency.png,
OUT/relevance.{json,md} (--relevance: the relevance benchmark only), OUT/formats.{json,md}
(--formats: the formats section only) and OUT/watch.{json,md} (--watch).
Indexing and batch figures are the fastest of 2 rounds (--repeat N), on a warm page cache (the
corpus was just written). Nothing here drops caches or pins CPUs: on a shared machine, read
the load averages recorded next to the figures.
"""
import argparse, datetime, hashlib, json, os, platform, random, shutil, signal, statistics
import subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "relevance"))
from evaluate import disk_usage  # noqa: E402  (one definition, shared with the relevance run)
import formats  # noqa: E402
import watch  # noqa: E402
ROOT = os.path.dirname(HERE)
LANG_STEMMER = {"en": "english", "fr": "french", "de": "german"}
TIMEOUT = 20 * 60  # any single command; a hang must not eat the whole run

# Targets: (key, label, limit). Evaluated on the largest size measured; see targets().
TARGETS = [
    ("index_vs_cpp", "full index wall <= 1.0x C++ floor", 1.0),
    ("size_vs_raw", "index size <= 3x raw text", 3.0),
    ("batch_vs_py", "batch query time <= 1.0x Python floor (issue 11)", 1.0),
    ("oneshot_vs_quest", "one-shot presse search <= 2x quest (p50)", 2.0),
    ("add_s", "add one release < 0.05 s (issue 11)", 0.05),
    ("rss_gib", "peak RSS indexing < 1 GiB", 1.0),
    # Issue 14: asking more.
    ("facets_vs_batch", "batch with --facets <= 1.5x the batch without", 1.5),
    ("spelling_share", "spelling data <= 10% of the index", 0.10),
    ("suggest_ms", "a suggestion < 2 ms a query", 2.0),
]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- measuring

def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def measure(cmd, out_path, ok=(0,)):
    """Run cmd to completion, stdout to out_path, stderr to out_path.err.

    Returns wall seconds, peak RSS (bytes), exit code, whether that code is one of `ok`,
    and the stderr tail. os.wait4 gives the rusage of this one child (getrusage's
    RUSAGE_CHILDREN would mix all children so far), threads included.
    """
    with open(out_path, "wb") as out, open(out_path + ".err", "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, start_new_session=True)
        killer = threading.Timer(TIMEOUT, kill_group, (p.pid,))
        killer.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        killer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)  # so Popen never waits again
    with open(out_path + ".err", "rb") as fh:
        tail = fh.read()[-600:].decode("utf-8", "replace").strip()
    # CPU time (user + system) is less sensitive than wall time to other work on the machine.
    return {"wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "rss_bytes": ru.ru_maxrss * 1024,
            "rc": p.returncode, "ok": p.returncode in ok, "stderr": tail}


def in_rounds(n, jobs):
    """Run each of jobs {name: run()} once per round, n rounds, and keep each one's fastest run.

    Rounds interleave the tools, so that a burst of other work on a shared machine hits
    them alike; the fastest run is the least disturbed one. A job that failed is not run
    again. All wall times are kept (walls_s), and the highest peak RSS.
    """
    runs = {name: [] for name in jobs}
    for _ in range(n):
        for name, run in jobs.items():
            if not runs[name] or runs[name][-1]["ok"]:
                runs[name].append(run())
    best = {}
    for name, rs in runs.items():
        m = rs[-1] if not rs[-1]["ok"] else min(rs, key=lambda r: r["wall_s"])
        best[name] = dict(m, walls_s=[r["wall_s"] for r in rs], rss_bytes=max(r["rss_bytes"] for r in rs))
    return best


_ONESHOT_ERR = tempfile.TemporaryFile()


def oneshot(cmd, ok=(0,)):
    """Wall time of one short process (stdout discarded); None if it failed, then its stderr.

    stderr goes to a file, not a pipe: reading a pipe costs the harness ~1 ms a process,
    which would blur a one-shot figure of a few ms.
    """
    _ONESHOT_ERR.seek(0)
    _ONESHOT_ERR.truncate()
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=_ONESHOT_ERR)
    killer = threading.Timer(60, p.kill)
    killer.start()
    # A blocking wait. (subprocess.call(..., timeout=) polls with doubling sleeps of 0.5, 1, 2,
    # 4 ms..., so every process seemed to end at 3.5, 7.5 or 15.5 ms: the one-shot figures
    # before 2026-11-23 were those steps, not the processes' times.)
    _, status = os.waitpid(p.pid, 0)
    wall = time.perf_counter() - t0
    killer.cancel()
    p.returncode = rc = os.waitstatus_to_exitcode(status)
    if rc in ok:
        return wall, rc, ""
    _ONESHOT_ERR.seek(0)
    return None, rc, _ONESHOT_ERR.read()[-300:].decode("utf-8", "replace")


def percentiles(values):
    if not values:
        return {}
    v = sorted(values)
    pick = lambda p: v[min(len(v) - 1, max(0, -(-p * len(v) // 100) - 1))]  # nearest rank
    return {"n": len(v), "mean_ms": 1000 * statistics.mean(v), "p50_ms": 1000 * pick(50),
            "p95_ms": 1000 * pick(95), "p99_ms": 1000 * pick(99)}


def last_json(path):
    """The last JSON line a floor printed."""
    with open(path) as fh:
        return json.loads(fh.read().strip().splitlines()[-1])


# ---------------------------------------------------------------------------- building

def build_all(a):
    os.makedirs(os.path.join(a.out, "build"), exist_ok=True)
    floor = os.path.join(a.out, "build", "xapian_floor")
    src = os.path.join(HERE, "baseline", "xapian_floor.cpp")
    if not a.relevance and not a.formats and not a.language and not a.watch:  # these runs have no use for the floor
        log("== building the C++ floor")
        cflags = subprocess.run(["xapian-config", "--cxxflags"], capture_output=True, text=True, check=True).stdout.split()
        libs = subprocess.run(["xapian-config", "--libs"], capture_output=True, text=True, check=True).stdout.split()
        subprocess.run(["g++", "-O2", "-std=c++17", *cflags, src, "-o", floor, *libs], check=True)

    presse = a.presse
    if a.floors_only:
        return floor, None
    if not presse:
        scratch = a.scratch_path or os.path.join(ROOT, ".build")
        if not a.no_build:
            log(f"== building presse (release, scratch path {os.path.relpath(scratch, ROOT)})")
            t0 = time.perf_counter()
            # Built as scripts/run builds it: a static Swift runtime starts faster.
            r = subprocess.run(["swift", "build", "-c", "release", "--product", "presse",
                                "--static-swift-stdlib", "--scratch-path", scratch], cwd=ROOT, stdout=sys.stderr)
            if r.returncode != 0:
                sys.exit("swift build failed: see above (or pass --presse BINARY / --floors-only)")
            log(f"   built in {time.perf_counter() - t0:.0f} s")
        presse = os.path.join(scratch, "release", "presse")
    if not os.access(presse, os.X_OK):
        sys.exit(f"no presse binary at {presse}")
    return floor, presse


def make_corpus(a, size):
    d = os.path.join(a.out, f"corpus-{size}")
    shutil.rmtree(d, ignore_errors=True)
    args = [os.path.join(HERE, "make-corpus"), d, "--queries", str(a.queries)]
    if size != "all":
        args += ["--limit", str(size)]
    subprocess.run(args, check=True, stdout=sys.stderr)
    with open(d + ".json") as fh:
        return d, json.load(fh)


def relevance(a, presse):
    """The known-item relevance benchmark; its set is built once into OUT/relevance-set and
    kept while Benchmarks/relevance/make_set.py is unchanged (rendering ~6,000 man pages
    takes minutes; indexing and searching them, well under one)."""
    sys.path.insert(0, os.path.join(HERE, "relevance"))
    import evaluate
    folder = os.path.join(HERE, "relevance")
    s = os.path.abspath(a.relevance_set) if a.relevance_set else os.path.join(a.out, "relevance-set")
    with open(os.path.join(folder, "make_set.py"), "rb") as fh:
        maker = hashlib.sha1(fh.read()).hexdigest()
    try:
        with open(s + ".json") as fh:
            fresh = a.relevance_set or json.load(fh).get("maker_sha1") == maker
    except (OSError, ValueError):
        fresh = False
    if not fresh:
        log(f"== relevance: building the set into {os.path.relpath(s, ROOT)} (once)")
        t0 = time.perf_counter()
        subprocess.run([os.path.join(folder, "make-set"), s], check=True, stdout=sys.stderr)
        log(f"   built in {time.perf_counter() - t0:.0f} s")
    return evaluate.evaluate(s, presse, a.out)


def language(a, presse):
    """Passage languages on the mixed-language set (Benchmarks/language), built once into
    OUT/language-set and kept while make_set.py is unchanged; writes OUT/language.{json,md}."""
    folder = os.path.join(HERE, "language")
    s = os.path.join(a.out, "language-set")
    with open(os.path.join(folder, "make_set.py"), "rb") as fh:
        maker = hashlib.sha1(fh.read()).hexdigest()
    try:
        with open(s + ".json") as fh:
            fresh = json.load(fh).get("maker_sha1") == maker
    except (OSError, ValueError):
        fresh = False
    if not fresh:
        log(f"== language: building the set into {os.path.relpath(s, ROOT)} (once)")
        subprocess.run(["/usr/bin/python3", os.path.join(folder, "make_set.py"), s], check=True, stdout=sys.stderr)
    log("== language: presse inspect on the set, CLD2 alone on each paragraph")
    r = subprocess.run(["/usr/bin/python3", os.path.join(folder, "evaluate.py"), s, "--presse", presse,
                        "--json", os.path.join(a.out, "language.json")], check=True, capture_output=True, text=True)
    with open(os.path.join(a.out, "language.md"), "w") as fh:
        fh.write(r.stdout)
    return r.stdout


# ---------------------------------------------------------------------------- one size

def bench_size(a, size, floor, presse, is_largest):
    corpus, info = make_corpus(a, size)
    queries = corpus + ".queries.tsv"
    work = os.path.join(a.out, f"work-{size}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    res = {"size": size, "docs": info["releases"], "raw_bytes": info["bytes"], "queries": info["queries"],
           "loadavg_at_start": round(os.getloadavg()[0], 2), "index": {}, "query": {}}

    # --- indexing: every indexer starts from an empty folder.
    indexers = [("cpp_floor", [floor, "index", "{db}", corpus]),
                ("py_floor", ["/usr/bin/python3", os.path.join(HERE, "baseline", "xapian_floor.py"), "index", "{db}", corpus])]
    if not a.floors_only:
        indexers = [("presse_j2", [presse, "index", "--index", "{db}", "--jobs", "2", "--quiet", corpus]),
                    ("presse_j1", [presse, "index", "--index", "{db}", "--jobs", "1", "--quiet", corpus])] + indexers
    def index_job(name, cmd):
        db = os.path.join(work, name)

        def run():
            log(f"== [{size}] index: {name}")
            shutil.rmtree(db, ignore_errors=True)
            # presse exits 4 when it skipped some files (and says which on stderr): still a run.
            m = measure([c.replace("{db}", db) for c in cmd], os.path.join(work, name + ".index.out"), ok=(0, 4))
            with open(os.path.join(work, name + ".index.out.err"), errors="replace") as fh:
                m["skipped_files"] = sum(1 for line in fh if line.startswith("presse: skipped"))
            m["index_bytes"] = disk_usage(db)
            if not m["ok"]:
                log(f"   FAILED rc={m['rc']}: {m['stderr']}")
            else:
                log(f"   {m['wall_s']:.2f} s wall, {m['cpu_s']:.2f} s CPU, {m['rss_bytes'] / 2**20:.0f} MiB peak, "
                    f"{m['index_bytes'] / 1e6:.1f} MB" + (f"; rc {m['rc']}: {m['skipped_files']} files skipped" if m["rc"] else ""))
            return m
        return run

    res["index"] = in_rounds(a.repeat, {name: index_job(name, cmd) for name, cmd in indexers})
    for m in res["index"].values():
        m["size_ratio"] = m["index_bytes"] / info["bytes"]
        m["mb_per_s"] = info["bytes"] / 1e6 / m["wall_s"]
        m["docs_per_s"] = info["releases"] / m["wall_s"]
    if res["index"]["cpp_floor"]["ok"]:
        # Plain Xapian with positions is ~5x raw text before compaction: the compacted
        # size shows what the format can reach, for context on the size target.
        packed = os.path.join(work, "cpp_floor.compact")
        subprocess.run(["xapian-compact", "--multipass", os.path.join(work, "cpp_floor"), packed],
                       stdout=subprocess.DEVNULL, check=True)
        res["cpp_floor_compact_bytes"] = disk_usage(packed)
        shutil.rmtree(packed)
    if not a.floors_only and res["index"]["presse_j1"]["ok"]:
        # One writer leaves blocks half full; `presse compact` is how a user gets the space back.
        j1 = os.path.join(work, "presse_j1")
        m = measure([presse, "compact", "--index", j1], os.path.join(work, "presse_j1.compact.out"))
        res["presse_j1_compact"] = {"wall_s": m["wall_s"], "ok": m["ok"], "index_bytes": disk_usage(j1)}
    # The index presse queries run on: the --jobs 2 one, or --jobs 1 if that build failed.
    pidx = os.path.join(work, "presse_j2" if a.floors_only or res["index"]["presse_j2"]["ok"] else "presse_j1")
    res["presse_query_index"] = os.path.basename(pidx)
    if not a.floors_only:
        # What presse thinks it holds: a sanity check against the corpus size.
        r = subprocess.run([presse, "stats", "--index", pidx, "--json"],
                           capture_output=True, text=True)
        try:
            res["presse_stats"] = json.loads(r.stdout)
            # The index's place relative to the repository: results name no machine's folders.
            res["presse_stats"]["index"] = os.path.relpath(res["presse_stats"]["index"], ROOT)
        except ValueError:
            res["presse_stats"] = {"rc": r.returncode, "stdout": r.stdout[-400:], "stderr": r.stderr[-400:]}

    # --- batch queries: one process each, the same list.
    def floor_job(name, cmd):
        def run():
            log(f"== [{size}] batch queries: {name}")
            out = os.path.join(work, name + ".query.out")
            m = measure(cmd, out)
            if m["ok"]:
                m.update(last_json(out))  # in-process total_s, mean/p50/p95/p99 per query
            return m
        return run

    def presse_job(name, extra):
        def run():
            log(f"== [{size}] batch queries: {name}")
            out = os.path.join(work, name + ".query.out")
            m = measure([presse, "search", "--index", pidx, "--batch", queries, "--json", "--timings", "--limit", "10"] + extra, out)
            # Count what came back, so a fast answer that found nothing does not pass unnoticed;
            # each answer's took_ms (query text to highlighted hits, in the process) gives the
            # per-query percentiles.
            m["lines"], m["hits"], m["empty"] = 0, 0, 0
            took = []
            with open(out, "rb") as fh:
                for line in fh:
                    if line.strip():
                        m["lines"] += 1
                        try:
                            answer = json.loads(line)
                        except ValueError:
                            continue
                        n = len(answer.get("hits", []))
                        m["hits"] += n
                        m["empty"] += n == 0
                        if "took_ms" in answer:
                            took.append(answer["took_ms"] / 1000)
            p = percentiles(took)
            m.update({k: p[k] for k in ("p50_ms", "p95_ms", "p99_ms") if k in p})
            m["mean_ms"] = 1000 * m["wall_s"] / max(1, info["queries"])
            if not m["ok"] or m["lines"] != info["queries"]:
                log(f"   rc={m['rc']}, {m['lines']} result lines for {info['queries']} queries: {m['stderr']}")
            return m
        return run

    jobs = {"cpp_floor": floor_job("cpp_floor", [floor, "query", os.path.join(work, "cpp_floor"), queries]),
            "py_floor": floor_job("py_floor", ["/usr/bin/python3", os.path.join(HERE, "baseline", "xapian_floor.py"),
                                               "query", os.path.join(work, "py_floor"), queries])}
    if not a.floors_only:
        # Both cores (the default --jobs), and one thread, as the floors run.
        jobs["presse_batch"] = presse_job("presse_batch", [])
        jobs["presse_batch_j1"] = presse_job("presse_batch_j1", ["--jobs", "1"])
        # Issue 14: the same batch counting facets over each whole match.
        jobs["presse_batch_facets"] = presse_job("presse_batch_facets", ["--facets"])
    res["query"] = q = in_rounds(a.repeat, jobs)
    if not a.floors_only:
        res["spelling"] = spelling_data(pidx)
        res["suggest"] = bench_suggest(a, presse, pidx, queries, work)

    # --- one-shot processes on a sample, presse and quest interleaved so they share the noise.
    with open(queries, encoding="utf-8") as fh:
        lines = [l.rstrip("\n").split("\t", 1) for l in fh if l.strip()]
    sample = random.Random(7).sample(lines, min(a.oneshot, len(lines)))
    times = {"presse_oneshot": [], "quest_oneshot": []}
    failures, nothing_found = [], 0
    log(f"== [{size}] one-shot: {len(sample)} queries x (presse, quest)")
    for lang, text in sample:
        pairs = [("quest_oneshot", ["quest", "-d", os.path.join(work, "cpp_floor"), "-s", LANG_STEMMER[lang], text])]
        if not a.floors_only:
            pairs.insert(0, ("presse_oneshot", [presse, "search", "--index", pidx,
                                                "--lang", lang, text]))
        for name, cmd in pairs:
            # presse search exits 1 when it found nothing: a normal answer, timed like the rest.
            t, rc, err = oneshot(cmd, ok=(0, 1) if name == "presse_oneshot" else (0,))
            nothing_found += name == "presse_oneshot" and rc == 1
            if t is None:
                failures.append({"cmd": cmd, "rc": rc, "stderr": err})
            else:
                times[name].append(t)
    for name, v in times.items():
        if v:
            q[name] = percentiles(v)
    if "presse_oneshot" in q:
        q["presse_oneshot"]["nothing_found"] = nothing_found
    if failures:
        res["oneshot_failures"] = failures[:5] + [{"more": len(failures) - 5}] * (len(failures) > 5)
        log(f"   {len(failures)} one-shot failures, first: {failures[0]}")

    # --- add one new release to the biggest index, then remove it again; median of 5.
    if is_largest and not a.floors_only:
        res["add"] = bench_add(a, presse, pidx)
    return res


def live_database(index):
    """The database folder an index's stub names ("glass db-2" → INDEX/db-2)."""
    stub = os.path.join(index, "XAPIANDB")
    if os.path.isfile(stub):
        with open(stub) as fh:
            return os.path.join(index, fh.read().split()[-1])
    return index


def spelling_data(index):
    """Issue 14: the bytes of spelling data (the spelling table, and the synonym table where
    words seen in one release wait: the bench adds no user synonyms), against the index."""
    db = live_database(index)
    size = lambda name: os.path.getsize(os.path.join(db, name)) if os.path.exists(os.path.join(db, name)) else 0
    spelling, singletons = size("spelling.glass"), size("synonym.glass")
    total = disk_usage(index)
    out = {"spelling_bytes": spelling, "singleton_bytes": singletons, "index_bytes": total,
           "share": (spelling + singletons) / total if total else None}
    log(f"   spelling data {(spelling + singletons) / 1e6:.1f} MB ({spelling / 1e6:.1f} spelling table + "
        f"{singletons / 1e6:.1f} singletons) = {100 * out['share']:.1f}% of {total / 1e6:.1f} MB")
    return out


def typo(word):
    """A typo: the third letter of a word of six letters or more dropped."""
    return word[:2] + word[3:] if len(word) >= 6 else word


def bench_suggest(a, presse, index, queries, work):
    """Issue 14: what "did you mean" costs a query. The batch's queries with typos, on one
    thread, with suggestions and with --no-suggest: the mean difference of took_ms is the
    suggestion's cost (reading the spelling data, and searching the suggestion when the
    typo found nothing)."""
    typos = os.path.join(work, "typos.tsv")
    with open(queries, encoding="utf-8") as src, open(typos, "w", encoding="utf-8") as out:
        for line in src:
            if line.strip():
                lang, text = line.rstrip("\n").split("\t", 1)
                out.write(lang + "\t" + " ".join(typo(w) for w in text.split(" ")) + "\n")
    res = {}
    for name, extra in (("suggest", []), ("no_suggest", ["--no-suggest"])):
        log(f"== batch of typos, --jobs 1: {name}")
        out = os.path.join(work, f"typos.{name}.out")
        best = None
        for _ in range(a.repeat):
            m = measure([presse, "search", "--index", index, "--batch", typos, "--json", "--timings", "--jobs", "1",
                         "--limit", "10"] + extra, out)
            took, suggested, shown = [], 0, 0
            with open(out, "rb") as fh:
                for line in fh:
                    try:
                        answer = json.loads(line)
                    except ValueError:
                        continue
                    took.append(answer.get("took_ms", 0))
                    suggested += "suggestion" in answer
                    shown += bool(answer.get("suggestion_shown"))
            m.update({"mean_ms": statistics.mean(took) if took else None, "suggested": suggested, "shown": shown,
                      "queries": len(took)})
            if m["ok"] and (best is None or m["mean_ms"] < best["mean_ms"]):
                best = m
        res[name] = best or m
    if res["suggest"].get("mean_ms") is not None and res["no_suggest"].get("mean_ms") is not None:
        res["cost_ms"] = res["suggest"]["mean_ms"] - res["no_suggest"]["mean_ms"]
        log(f"   a suggestion costs {res['cost_ms']:.3f} ms a query ({res['suggest']['suggested']} of "
            f"{res['suggest']['queries']} typo queries got one, {res['suggest']['shown']} showed its results)")
    return res


def bench_add(a, presse, index):
    d = os.path.join(a.out, "add", "en")
    os.makedirs(d, exist_ok=True)
    f = os.path.join(d, "presse-benchmark-launch.txt")
    with open(f, "w") as fh:  # not in the corpus: no Debian package has this name
        fh.write("Presse benchmark suite launches to measure multilingual search\n\n"
                 "The Presse project today announced a benchmark suite that compares its press "
                 "release search engine with plain Xapian on Debian's package descriptions in "
                 "English, French and German.\n\nThe suite measures indexing throughput, query "
                 "latency and the cost of adding a single release to a large index.\n")
    adds, removes, errors = [], [], []
    log(f"== add/remove one release x{a.add_runs}")
    for _ in range(a.add_runs):
        for name, verb, acc in (("add", "add", adds), ("remove", "remove", removes)):
            m = measure([presse, verb, "--index", index, f], os.path.join(a.out, "add", verb + ".out"))
            if m["ok"]:
                acc.append(m["wall_s"])
            else:
                errors.append({"verb": verb, "rc": m["rc"], "stderr": m["stderr"]})
    out = {"runs": a.add_runs, "add_times_s": adds, "remove_times_s": removes}
    if adds:
        out["add_median_s"] = statistics.median(adds)
    if removes:
        out["remove_median_s"] = statistics.median(removes)
    if errors:
        out["errors"] = errors[:4]
        log(f"   errors: {errors[0]}")
    return out


# ---------------------------------------------------------------------------- reporting

def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(l.split(":", 1)[1].strip() for l in fh if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()
    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_gib": round(mem, 1), "kernel": platform.release(),
            "loadavg_at_start": [round(x, 2) for x in load]}


def ratio(a, b):
    return a / b if a is not None and b else None


def targets(r):
    """PASS/MISS for each target, on one size's results."""
    ix, q = r["index"], r["query"]
    ok = lambda n, d: n in d and d[n].get("ok", True)
    vals = {}
    if ok("presse_j2", ix) and ok("cpp_floor", ix):
        vals["index_vs_cpp"] = ratio(ix["presse_j2"]["wall_s"], ix["cpp_floor"]["wall_s"])
    if ok("presse_j2", ix):
        vals["size_vs_raw"] = ix["presse_j2"]["size_ratio"]
    if ok("presse_batch", q) and ok("py_floor", q):
        vals["batch_vs_py"] = ratio(q["presse_batch"]["wall_s"], q["py_floor"]["wall_s"])
    if "presse_oneshot" in q and "quest_oneshot" in q:
        vals["oneshot_vs_quest"] = ratio(q["presse_oneshot"]["p50_ms"], q["quest_oneshot"]["p50_ms"])
    if "add_median_s" in r.get("add", {}):
        vals["add_s"] = r["add"]["add_median_s"]
    if ok("presse_batch_facets", q) and ok("presse_batch", q):
        vals["facets_vs_batch"] = ratio(q["presse_batch_facets"]["wall_s"], q["presse_batch"]["wall_s"])
    if r.get("spelling", {}).get("share") is not None:
        vals["spelling_share"] = r["spelling"]["share"]
    if "cost_ms" in r.get("suggest", {}):
        vals["suggest_ms"] = r["suggest"]["cost_ms"]
    rss = [ix[n]["rss_bytes"] for n in ("presse_j2", "presse_j1") if ok(n, ix)]
    if rss:
        vals["rss_gib"] = max(rss) / 2**30
    # A presse command that failed misses its target (the harness still runs the rest).
    failed = set()
    if "presse_j2" in ix and not ix["presse_j2"]["ok"]:
        failed |= {"index_vs_cpp", "size_vs_raw"}
    if "presse_batch" in q and not q["presse_batch"]["ok"]:
        failed.add("batch_vs_py")
    if r.get("add", {}).get("errors") and "add_median_s" not in r["add"]:
        failed.add("add_s")
    out = []
    for key, label, limit in TARGETS:
        v = vals.get(key)
        # add and RSS are strict (<), the ratios are <=.
        passed = None if v is None else (v < limit if key in ("add_s", "rss_gib", "suggest_ms") else v <= limit)
        status = ("MISS (presse failed)" if key in failed else "n/a") if v is None else ("PASS" if passed else "MISS")
        out.append({"target": label, "value": v, "status": status})
    return out


def fmt(v, unit="", nd=2):
    return "—" if v is None else f"{v:.{nd}f}{unit}"


def tables(results):
    """Markdown tables (they read fine in a terminal too)."""
    L = []
    names = {"presse_j2": "presse --jobs 2", "presse_j1": "presse --jobs 1", "cpp_floor": "C++ floor (Xapian)",
             "py_floor": "Python floor (python3-xapian)"}
    for r in results:
        ix, q = r["index"], r["query"]
        L.append(f"\n### {r['docs']:,} releases ({r['raw_bytes'] / 1e6:.1f} MB raw text), {r['queries']:,} queries"
                 f" (load average at start: {r.get('loadavg_at_start', '?')})\n")
        L.append("| indexer | wall s | CPU s | MB/s | docs/s | peak RSS MiB | index MB | index/raw | wall vs C++ floor | wall vs Python floor |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        cpp = ix.get("cpp_floor", {}).get("wall_s")
        pyi = ix.get("py_floor", {}).get("wall_s")
        for n, m in ix.items():
            if not m["ok"]:
                L.append(f"| {names[n]} | FAILED (rc {m['rc']}) | | | | | | | | |")
                continue
            L.append(f"| {names[n]} | {m['wall_s']:.2f} | {m['cpu_s']:.2f} | {m['mb_per_s']:.2f} | {m['docs_per_s']:,.0f} | "
                     f"{m['rss_bytes'] / 2**20:.0f} | {m['index_bytes'] / 1e6:.1f} | {m['size_ratio']:.2f}x | "
                     f"{fmt(ratio(m['wall_s'], cpp), 'x')} | {fmt(ratio(m['wall_s'], pyi), 'x')} |")
        L.append("")
        L.append("| queries | process wall s | ratio | timed in | mean ms | p50 ms | p95 ms | p99 ms | hits | no hit |")
        L.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
        py = q.get("py_floor", {}).get("wall_s")
        rows = [("presse_batch", "presse search --batch --json", "mean: process wall ÷ queries; p50–p99: took_ms"),
                ("presse_batch_j1", "… with --jobs 1", "mean: process wall ÷ queries; p50–p99: took_ms"),
                ("presse_batch_facets", "… with --facets (both cores)", "mean: process wall ÷ queries; p50–p99: took_ms"),
                ("cpp_floor", "C++ floor batch", "in-process, each query"),
                ("py_floor", "Python floor batch", "in-process, each query"),
                ("presse_oneshot", "presse search QUERY", "one process a query"),
                ("quest_oneshot", "quest -d FLOOR QUERY", "one process a query")]
        for n, label, how in rows:
            m = q.get(n)
            if not m:
                continue
            if not m.get("ok", True):
                L.append(f"| {label} | FAILED (rc {m['rc']}) | | | | | | | | |")
                continue
            wall = m.get("wall_s")
            # Batch rows compare process wall with the Python floor's; one-shot rows compare p50s.
            if wall:
                rel = f"{fmt(ratio(wall, py), 'x')} Python floor"
            elif n == "presse_oneshot" and "quest_oneshot" in q:
                rel = f"{fmt(ratio(m['p50_ms'], q['quest_oneshot']['p50_ms']), 'x')} quest (p50)"
            else:
                rel = ""
            L.append(f"| {label} | {fmt(wall)} | {rel} | {how} | "
                     f"{fmt(m.get('mean_ms'), '', 3)} | {fmt(m.get('p50_ms'), '', 3)} | "
                     f"{fmt(m.get('p95_ms'), '', 3)} | {fmt(m.get('p99_ms'), '', 3)} | "
                     f"{m.get('hits', '')} | {m.get('empty', m.get('nothing_found', ''))} |")
        if "cpp_floor_compact_bytes" in r:
            c = r["cpp_floor_compact_bytes"]
            L.append(f"\nC++ floor index after `xapian-compact --multipass`: {c / 1e6:.1f} MB = {c / r['raw_bytes']:.2f}x raw text.")
        if r.get("presse_j1_compact", {}).get("ok"):
            c = r["presse_j1_compact"]
            L.append(f"\n`presse --jobs 1` index after `presse compact`: {c['index_bytes'] / 1e6:.1f} MB = "
                     f"{c['index_bytes'] / r['raw_bytes']:.2f}x raw text ({c['wall_s']:.1f} s).")
        if r.get("presse_stats"):
            L.append(f"\n`presse stats --json` of the index queried ({r['presse_query_index']}): "
                     f"`{json.dumps(r['presse_stats'])[:300]}`")
        if "presse_batch_facets" in q and q.get("presse_batch", {}).get("wall_s"):
            L.append(f"\nBatch with `--facets` against the same batch without, same run: "
                     f"{fmt(ratio(q['presse_batch_facets'].get('wall_s'), q['presse_batch']['wall_s']), 'x')}.")
        if r.get("spelling"):
            sp = r["spelling"]
            L.append(f"\nSpelling data: {(sp['spelling_bytes'] + sp['singleton_bytes']) / 1e6:.1f} MB "
                     f"({sp['spelling_bytes'] / 1e6:.1f} MB spelling table, {sp['singleton_bytes'] / 1e6:.1f} MB words of one "
                     f"release) = {100 * sp['share']:.1f}% of the {sp['index_bytes'] / 1e6:.1f} MB index.")
        if "cost_ms" in r.get("suggest", {}):
            su = r["suggest"]
            L.append(f"\nTypos (each query's words of 6 letters or more without their third letter), one thread: "
                     f"{fmt(su['suggest']['mean_ms'], ' ms', 3)} a query with suggestions, "
                     f"{fmt(su['no_suggest']['mean_ms'], ' ms', 3)} with `--no-suggest`: a suggestion costs "
                     f"**{fmt(su['cost_ms'], ' ms', 3)}** ({su['suggest']['suggested']} of {su['suggest']['queries']} got one).")
        if "add" in r:
            ad = r["add"]
            L.append(f"\n`presse add` one new release (whole process, median of {ad['runs']}): "
                     f"**{fmt(ad.get('add_median_s'), ' s', 3)}**; `presse remove`: {fmt(ad.get('remove_median_s'), ' s', 3)}")
    return L


def targets_table(results):
    r = results[-1]  # the largest size
    L = [f"\n### Targets (on {r['docs']:,} releases)\n", "| target | measured | |", "|---|---:|---|"]
    for (key, _, _), t in zip(TARGETS, targets(r)):
        v = t["value"]
        shown = "—" if v is None else {"add_s": f"{v:.3f} s", "rss_gib": f"{v:.2f} GiB", "spelling_share": f"{100 * v:.1f}%",
                                       "suggest_ms": f"{v:.3f} ms"}.get(key, f"{v:.2f}x")
        L.append(f"| {t['target']} | {shown} | **{t['status']}** |")
    L.append("\nHow they are measured: index wall and size are `presse index --jobs 2` (size on disk, "
             "like `du`) against the C++ floor's wall and the raw text; batch is the whole "
             "`presse search --batch --json` process against the whole Python floor query process, "
             "same 1,500 queries; one-shot is the median process wall of `presse search --lang L QUERY` "
             "against `quest -d FLOOR -s STEMMER QUERY`; add is the whole `presse add` process on the "
             "largest index; peak RSS is the larger of the two presse index runs.")
    return L


def charts(a, results):
    """Two PNGs via gnuplot: indexing time and query latency against corpus size."""
    dat = os.path.join(a.out, "chart.dat")
    cols = [("index", "presse_j2", "wall_s"), ("index", "presse_j1", "wall_s"), ("index", "cpp_floor", "wall_s"),
            ("index", "py_floor", "wall_s"), ("query", "presse_batch", "mean_ms"), ("query", "cpp_floor", "mean_ms"),
            ("query", "py_floor", "mean_ms"), ("query", "presse_oneshot", "p50_ms"), ("query", "quest_oneshot", "p50_ms")]
    with open(dat, "w") as fh:
        fh.write("# docs " + " ".join(f"{k}.{n}.{f}" for k, n, f in cols) + "\n")
        for r in results:
            vals = []
            for k, n, f in cols:
                m = r[k].get(n, {})
                vals.append(str(m[f]) if f in m and m.get("ok", True) else "NaN")
            fh.write(f"{r['docs']} " + " ".join(vals) + "\n")
    title = f"Presse vs Xapian, {machine_line()}"
    gp = f"""
set terminal pngcairo size 900,560 noenhanced
set datafile missing 'NaN'
set grid
set key top left
set xlabel 'releases in corpus (thousands)'
set yrange [0:*]
set style line 1 lc rgb '#c0392b' lw 2 pt 7
set style line 2 lc rgb '#e67e22' lw 2 pt 5
set style line 3 lc rgb '#2c3e50' lw 2 pt 9
set style line 4 lc rgb '#2980b9' lw 2 pt 11
set style line 5 lc rgb '#27ae60' lw 2 pt 13
set output '{a.out}/index-time.png'
set title 'Indexing wall time — {title}'
set ylabel 'seconds'
plot '{dat}' u ($1/1000):2 w lp ls 1 t 'presse --jobs 2', '' u ($1/1000):3 w lp ls 2 t 'presse --jobs 1', \\
     '' u ($1/1000):4 w lp ls 3 t 'C++ floor', '' u ($1/1000):5 w lp ls 4 t 'Python floor'
set output '{a.out}/query-latency.png'
set title 'Query latency — {title}'
set ylabel 'ms per query (log scale)'
set logscale y
set yrange [*:*]
set key outside right
plot '{dat}' u ($1/1000):6 w lp ls 1 t 'presse --batch mean', '' u ($1/1000):7 w lp ls 3 t 'C++ floor mean', \\
     '' u ($1/1000):8 w lp ls 4 t 'Python floor mean', '' u ($1/1000):9 w lp ls 2 dt 2 t 'presse one-shot p50', \\
     '' u ($1/1000):10 w lp ls 5 dt 2 t 'quest one-shot p50'
"""
    r = subprocess.run(["gnuplot"], input=gp, text=True, capture_output=True)
    if r.returncode != 0:  # (its warnings, e.g. about a single size, are not worth showing)
        log("gnuplot failed:", r.stderr[-500:])


def evaluate_table(rel):
    sys.path.insert(0, os.path.join(HERE, "relevance"))
    import evaluate
    return evaluate.table(rel)


_MACHINE = None


def machine_line():
    m = _MACHINE or machine()
    return f"{m['nproc']} cores, {m['cpu']}"


def git_rev():
    r = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    return r.stdout.strip()


# ---------------------------------------------------------------------------- main

def main():
    global _MACHINE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,30000,all",
                    help="comma-separated corpus sizes in releases, 'all' = every release (default: %(default)s)")
    ap.add_argument("--quick", action="store_true", help="a fast run: --sizes 3000 --oneshot 50 --add-runs 3")
    ap.add_argument("--queries", type=int, default=1500, help="queries in the batch (default %(default)s)")
    ap.add_argument("--oneshot", type=int, default=200, help="one-shot processes timed per tool (default %(default)s)")
    ap.add_argument("--add-runs", type=int, default=5, help="presse add runs, median taken (default %(default)s)")
    ap.add_argument("--repeat", type=int, default=None,
                    help="rounds of each indexing and batch measurement, the fastest kept (default 2; 1 with --quick)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    ap.add_argument("--presse", help="use this presse binary instead of building one")
    ap.add_argument("--scratch-path", help="swift build --scratch-path (default .build)")
    ap.add_argument("--no-build", action="store_true", help="do not run swift build, use the binary already built")
    ap.add_argument("--language", action="store_true",
                    help="the passage-language benchmark only (Benchmarks/language): accuracy by paragraph size, beside CLD2")
    ap.add_argument("--floors-only", action="store_true", help="measure the Xapian floors only (no presse)")
    ap.add_argument("--relevance", action="store_true",
                    help="the relevance benchmark only: MRR@10, success@1/@10, presse against a python-xapian peer")
    ap.add_argument("--no-relevance", action="store_true", help="leave the relevance benchmark out of the full run")
    ap.add_argument("--relevance-set", help="use this set (from Benchmarks/relevance/make-set) instead of "
                    "OUT/relevance-set, which is built when missing or older than make_set.py")
    ap.add_argument("--formats", action="store_true",
                    help="the formats section only: ingest speed per format, memory on a 200 MB PDF")
    ap.add_argument("--no-formats", action="store_true", help="leave the formats section out of the full run")
    ap.add_argument("--formats-size", type=int, default=1000,
                    help="releases written in each format (default %(default)s)")
    ap.add_argument("--watch", action="store_true",
                    help="the watcher only (presse watch): close-to-searchable one by one and 5,000 at once, idle cost")
    ap.add_argument("--watch-start", type=int, default=1000, help="releases in the watched folder at start (default %(default)s)")
    ap.add_argument("--watch-drops", type=int, default=200, help="releases dropped one by one (default %(default)s)")
    ap.add_argument("--watch-burst", type=int, default=5000, help="releases copied in at once (default %(default)s)")
    ap.add_argument("--watch-idle", type=int, default=60, help="seconds the idle watcher is measured (default %(default)s)")
    a = ap.parse_args()
    if a.watch and (a.floors_only or a.relevance or a.formats or a.language):
        ap.error("--watch measures the watcher alone")
    if a.formats and (a.floors_only or a.relevance):
        ap.error("--formats measures presse alone")
    if a.relevance and (a.floors_only or a.no_relevance):
        ap.error("--relevance measures presse: not with --floors-only or --no-relevance")
    if a.language and (a.floors_only or a.relevance):
        ap.error("--language measures presse alone: not with --floors-only or --relevance")
    if a.quick:
        a.sizes, a.oneshot, a.add_runs = "3000", 50, 3
    if a.repeat is None:
        a.repeat = 1 if a.quick else 2
    a.out = os.path.abspath(a.out)
    sizes = [s.strip() for s in a.sizes.split(",") if s.strip()]
    sizes = [s if s == "all" else int(s) for s in sizes]
    sizes.sort(key=lambda s: float("inf") if s == "all" else s)
    os.makedirs(a.out, exist_ok=True)

    _MACHINE = machine()
    started = datetime.datetime.now().astimezone()
    t0 = time.perf_counter()
    floor, presse = build_all(a)
    if a.watch:
        lines = watch.table(watch.bench(a, presse, percentiles))
        with open(os.path.join(a.out, "watch.md"), "w") as fh:
            fh.write("\n".join(lines) + "\n")
        print("\n".join(lines))
        print(f"\nwritten: {a.out}/watch.json watch.md ({time.perf_counter() - t0:.0f} s in all)")
        return
    if a.formats:
        lines = formats.table(formats.bench(a, presse, measure))
        with open(os.path.join(a.out, "formats.md"), "w") as fh:
            fh.write("\n".join(lines) + "\n")
        print("\n".join(lines))
        print(f"\nwritten: {a.out}/formats.json formats.md ({time.perf_counter() - t0:.0f} s in all)")
        return
    if a.relevance:
        rel = relevance(a, presse)
        print("\n".join(evaluate_table(rel)))
        print(f"\nwritten: {a.out}/relevance.json relevance.md ({time.perf_counter() - t0:.0f} s in all)")
        return
    if a.language:
        print(language(a, presse))
        print(f"written: {a.out}/language.json language.md ({time.perf_counter() - t0:.0f} s in all)")
        return
    results = [bench_size(a, s, floor, presse, s == sizes[-1]) for s in sizes]
    rel = None if a.floors_only or a.no_relevance else relevance(a, presse)
    fmt_results = None if a.floors_only or a.no_formats else formats.bench(a, presse, measure)

    doc = {"date": started.isoformat(timespec="seconds"), "machine": _MACHINE, "commit": git_rev(),
           "presse": None if a.floors_only else presse, "xapian": subprocess.run(
               ["xapian-config", "--version"], capture_output=True, text=True).stdout.split(" - ")[-1].strip(),
           "args": sys.argv[1:],
           "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
           "total_s": round(time.perf_counter() - t0, 1), "sizes": results,
           "targets": targets(results[-1]),
           "relevance": rel and {k: v for k, v in rel.items() if k != "per_query"},
           "formats": fmt_results}
    with open(os.path.join(a.out, "results.json"), "w") as fh:
        json.dump(doc, fh, indent=1)

    m = _MACHINE
    head = [f"## Benchmarks\n",
            f"Run {started:%Y-%m-%d %H:%M %Z} on {m['nproc']} cores ({m['cpu']}), {m['mem_gib']} GiB, "
            f"Linux {m['kernel']}; {doc['xapian']}; commit `{doc['commit']}`. "
            f"Load average at start {m['loadavg_at_start'][0]}, at end {doc['loadavg_at_end'][0]} "
            f"(other work on the machine competes for the same cores). Corpus: Debian package descriptions "
            f"in en/fr/de, one release per file; warm page cache; "
            + ("one run per figure" if a.repeat == 1 else f"indexing and batch figures the fastest of {a.repeat} runs")
            + f". Reproduce with `scripts/bench {' '.join(sys.argv[1:])}`."]
    body = tables(results) + targets_table(results)
    if rel:
        body += [""] + evaluate_table(rel)
    if fmt_results:
        body += [""] + formats.table(fmt_results)
    body.append("\n![indexing time](bench-out/index-time.png) ![query latency](bench-out/query-latency.png)")
    text = "\n".join(head + body) + "\n"
    with open(os.path.join(a.out, "results.md"), "w") as fh:
        fh.write(text)
    charts(a, results)
    print("\n".join(body[:-1]))
    print(f"\nwritten: {a.out}/results.json results.md index-time.png query-latency.png"
          + (" relevance.json relevance.md" if rel else "") + " "
          f"({doc['total_s']:.0f} s in all)")


if __name__ == "__main__":
    main()
