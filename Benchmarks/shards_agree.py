#!/usr/bin/env python3
"""Sharded search agrees with one index (issue 17).

The benchmark corpus (by default all of it: 99,191 Debian package descriptions in en/fr/de,
built with Benchmarks/make-corpus when missing, as Benchmarks/run.py does) is indexed twice:
as one local index, and split over three shards (`presse index --shards 3`). Three
`presse shard-serve` serve the shards on loopback and, where the machine allows it, three more
serve them from three network namespaces of their own (`ip netns`, one veth pair each, on
10.231.N.0/30; created here and removed on the way out, whatever happens). The benchmark
queries are searched on the one index and on each set of remote shards, and each sharded
answer's top hits are compared with the one index's:

  same       the same releases in the same order
  ties       the same scores rank by rank (to 4 decimals), the releases differing only among
             hits of equal score: they trade places, or one of a group of equal scores is
             shown where the other shows another of the group (the match ranks 20 releases
             at least by their BM25 weight before passages rank them again, and Xapian
             orders equal weights by document number, which shards number otherwise)
  near       the same once scores within 2% count as equal: Xapian estimates the frequency
             of a query's translations (an OP_SYNONYM) shard by shard and adds the estimates,
             so translated queries' scores can differ by up to 1%
  differ     anything else (listed one by one)

Counts are compared where both answers say they are exact (`total_exact`); an answer that
says "about" may differ, and a sharded count that differs while claiming to be exact is an
error. "Did you mean" is compared on the same queries with a typo in each long word.

    Benchmarks/shards_agree.py [--presse PATH] [--corpus DIR] [--queries FILE] [--limit N]
                               [--no-netns] [--out DIR]

Prints the figures; writes OUT/shards-agree.json (every difference) and OUT/shards-agree.md.
Exit status 1 when a hit list differs beyond "near" or a count claimed exact differs.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARDS = 3
TIE = 1.5e-4       # scores are printed with 4 decimals
NEAR = 0.02        # the translated queries' shard-by-shard estimate
NETNS_PORT = 7300


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------- corpus

def corpus_and_queries(args):
    corpus = os.path.abspath(args.corpus or os.path.join(ROOT, "bench-out", "corpus-all"))
    queries = os.path.abspath(args.queries or corpus + ".queries.tsv")
    if not os.path.isdir(corpus) or not os.path.exists(queries):
        log(f"== building the corpus into {corpus} (Benchmarks/make-corpus)")
        cmd = [os.path.join(HERE, "make-corpus"), corpus, "--queries", "1500"]
        if args.corpus_limit:
            cmd += ["--limit", str(args.corpus_limit)]
        subprocess.run(cmd, check=True, stdout=sys.stderr)
    return corpus, queries


def typo(word):
    """A typo, as Benchmarks/run.py makes them: the third letter of a word of six letters or more dropped."""
    return word[:2] + word[3:] if len(word) >= 6 else word


# ---------------------------------------------------------------------------- servers

class Servers:
    """The shard servers and the namespaces this run started; all of them go in stop()."""

    def __init__(self, presse, work):
        self.presse, self.work = presse, work
        self.processes, self.namespaces = [], []

    def serve(self, index, host, port, netns=None):
        cmd = [self.presse, "shard-serve", "--index", index, "--host", host, "--port", str(port)]
        if netns:
            cmd = ["ip", "netns", "exec", netns] + cmd
        server = subprocess.Popen(cmd, cwd=self.work, stdout=subprocess.PIPE, text=True)
        self.processes.append(server)
        line = server.stdout.readline()
        if "serving" not in line:
            raise SystemExit(f"shard-serve {index} on {host}:{port} did not start")
        return f"remote {host}:{port}"

    def namespaces_allowed(self):
        """True when this run may create network namespaces (root, `ip` present, and a probe
        namespace can be made and removed)."""
        if os.geteuid() != 0 or not shutil.which("ip"):
            return False
        probe = f"presse-probe-{os.getpid()}"
        ok = subprocess.run(["ip", "netns", "add", probe], capture_output=True).returncode == 0
        if ok:
            subprocess.run(["ip", "netns", "del", probe], capture_output=True)
        return ok

    def namespace(self, number):
        """Namespace presse-shard-N with a veth pair: 10.231.N.1 on this side, 10.231.N.2 in it.
        Returns (name, address inside)."""
        name, outside, inside = f"presse-shard-{number}", f"pshard{number}", f"pshard{number}ns"
        self.remove_namespace(name, outside)  # a previous run's, killed before it could clean up
        steps = [["ip", "netns", "add", name],
                 ["ip", "link", "add", outside, "type", "veth", "peer", "name", inside],
                 ["ip", "link", "set", inside, "netns", name],
                 ["ip", "addr", "add", f"10.231.{number}.1/30", "dev", outside],
                 ["ip", "link", "set", outside, "up"],
                 ["ip", "netns", "exec", name, "ip", "addr", "add", f"10.231.{number}.2/30", "dev", inside],
                 ["ip", "netns", "exec", name, "ip", "link", "set", inside, "up"],
                 ["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"]]
        self.namespaces.append((name, outside))
        for step in steps:
            subprocess.run(step, check=True, capture_output=True)
        return name, f"10.231.{number}.2"

    @staticmethod
    def remove_namespace(name, outside):
        subprocess.run(["ip", "link", "del", outside], capture_output=True)
        subprocess.run(["ip", "netns", "del", name], capture_output=True)

    def stop(self):
        for server in self.processes:
            if server.poll() is None:
                server.kill()
            server.wait()
        self.processes = []
        for name, outside in self.namespaces:
            self.remove_namespace(name, outside)
        self.namespaces = []


# ---------------------------------------------------------------------------- comparing

def close(a, b, tolerance):
    return abs(a - b) <= max(TIE, tolerance * max(abs(a), abs(b)))


def same_hits(one, other, tolerance):
    """True when `other` shows the hits of `one` up to hits of equal score (within
    `tolerance`): the scores agree rank by rank, and a release shown by one side only, or at
    another rank, stands where the other side shows a release of its score."""
    a, b = one["hits"], other["hits"]
    if len(a) != len(b):
        return False
    if any(not close(x["score"], y["score"], tolerance) for x, y in zip(a, b)):
        return False
    for first, second in ((a, b), (b, a)):
        where = {hit["path"]: rank for rank, hit in enumerate(second)}
        for rank, hit in enumerate(first):
            elsewhere = where.get(hit["path"])
            if elsewhere is not None and not close(hit["score"], first[elsewhere]["score"], tolerance):
                return False
    return True


def classify(one, other):
    if [h["path"] for h in one["hits"]] == [h["path"] for h in other["hits"]]:
        return "same"
    if same_hits(one, other, 0):
        return "ties"
    if same_hits(one, other, NEAR):
        return "near"
    return "differ"


def compare(ones, others):
    """Per-class counts, count checks and the differences, for two batches' answers."""
    report = {"queries": len(ones), "same": 0, "ties": 0, "near": 0, "differ": 0, "left_out": 0,
              "counts_exact_both": 0, "counts_exact_equal": 0, "counts_about": 0,
              "count_ratio_min": None, "count_ratio_max": None,
              "differences": [], "near_queries": []}
    if len(ones) != len(others):
        raise SystemExit(f"{len(ones)} answers from the one index, {len(others)} from the shards")
    for one, other in zip(ones, others):
        if one["query"] != other["query"]:
            raise SystemExit(f"answers out of step: {one['query']!r} and {other['query']!r}")
        report["left_out"] += bool(other.get("shards_left_out"))
        kind = classify(one, other)
        report[kind] += 1
        if kind == "near":
            report["near_queries"].append(one["query"])
        if kind == "differ":
            report["differences"].append({
                "query": one["query"],
                "one": [(h["path"], h["score"]) for h in one["hits"]],
                "shards": [(h["path"], h["score"]) for h in other["hits"]]})
        if one["total_exact"] and other["total_exact"]:
            report["counts_exact_both"] += 1
            report["counts_exact_equal"] += one["total"] == other["total"]
        else:
            report["counts_about"] += 1
            if one["total"]:
                ratio = other["total"] / one["total"]
                report["count_ratio_min"] = ratio if report["count_ratio_min"] is None else min(ratio, report["count_ratio_min"])
                report["count_ratio_max"] = ratio if report["count_ratio_max"] is None else max(ratio, report["count_ratio_max"])
    return report


def answers(presse, index, queries, work, extra=()):
    started = time.monotonic()
    out = run([presse, "search", "--index", index, "--batch", queries, "--json", *extra], cwd=work)
    seconds = time.monotonic() - started
    return [json.loads(line) for line in out.splitlines() if line.strip()], seconds


# ---------------------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presse", default=os.path.join(ROOT, ".build/release/presse"))
    parser.add_argument("--corpus", help="a folder of releases (default: bench-out/corpus-all, built when missing)")
    parser.add_argument("--corpus-limit", type=int, help="when building the corpus: this many releases (default all)")
    parser.add_argument("--queries", help="LANG<TAB>QUERY lines (default: the corpus's .queries.tsv)")
    parser.add_argument("--limit", type=int, default=10, help="hits compared per query")
    parser.add_argument("--no-netns", action="store_true", help="loopback only")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    args = parser.parse_args()
    presse = os.path.abspath(args.presse)
    if not os.access(presse, os.X_OK):
        raise SystemExit(f"no presse at {presse}: build it (swift build -c release --product presse) or pass --presse")
    corpus, queries = corpus_and_queries(args)
    work = os.path.join(os.path.abspath(args.out), "shards-agree")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    typos = os.path.join(work, "typos.tsv")
    with open(queries, encoding="utf-8") as source, open(typos, "w", encoding="utf-8") as out:
        for line in source:
            if line.strip():
                lang, text = line.rstrip("\n").split("\t", 1)
                out.write(lang + "\t" + " ".join(typo(w) for w in text.split(" ")) + "\n")

    log(f"== indexing {corpus}: one index, then {SHARDS} shards")
    timings = {}
    for name, cmd in (("one", ["index", "--quiet", "--index", "one", corpus]),
                      ("split", ["index", "--quiet", "--shards", str(SHARDS), "--index", "split", corpus])):
        started = time.monotonic()
        log("  ", run([presse, *cmd], cwd=work).strip())
        timings[f"index {name} s"] = round(time.monotonic() - started, 1)
    releases = [json.loads(run([presse, "stats", "--json", "--index", f"split/shard-{i}"], cwd=work))["documents"]
                for i in range(1, SHARDS + 1)]

    servers = Servers(presse, work)
    # Whatever ends the run, the servers and namespaces go with it.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: sys.exit(130))
    sets = {}
    try:
        with open(os.path.join(work, "loopback"), "w") as listing:
            for i in range(1, SHARDS + 1):
                listing.write(servers.serve(f"split/shard-{i}", "127.0.0.1", free_port()) + "\n")
        sets["loopback"] = "loopback"
        if args.no_netns:
            log("== network namespaces: not asked for (--no-netns): loopback only")
        elif not servers.namespaces_allowed():
            log("== network namespaces: this machine does not allow them (root and `ip netns` needed): loopback only")
        else:
            with open(os.path.join(work, "netns"), "w") as listing:
                for i in range(1, SHARDS + 1):
                    name, address = servers.namespace(i)
                    listing.write(servers.serve(f"split/shard-{i}", address, NETNS_PORT, netns=name) + "\n")
            sets["netns"] = "netns"
        log("== shard lists:", ", ".join(f"{k}: " + " ".join(l.split()[1] for l in open(os.path.join(work, v)))
                                         for k, v in sets.items()))

        plain = ["--limit", str(args.limit), "--no-suggest"]
        one, seconds = answers(presse, "one", queries, work, plain)
        timings["batch one s"] = round(seconds, 2)
        one_typos, _ = answers(presse, "one", typos, work, ["--limit", str(args.limit)])
        # Counts that the one index only estimates, counted exactly (--facets counts the whole
        # match): what a sharded count that says it is exact must equal.
        exact_one, _ = answers(presse, "one", queries, work, ["--limit", "0", "--no-suggest", "--facets"])
        reports = {}
        for name, listing in sets.items():
            log(f"== {name}: {len(one)} queries on {SHARDS} remote shards")
            sharded, seconds = answers(presse, listing, queries, work, plain)
            timings[f"batch {name} s"] = round(seconds, 2)
            report = compare(one, sharded)
            # A sharded count that claims to be exact must be the whole match's.
            report["counts_wrongly_exact"] = sum(
                1 for counted, other in zip(exact_one, sharded) if other["total_exact"] and other["total"] != counted["total"])
            sharded_typos, _ = answers(presse, listing, typos, work, ["--limit", str(args.limit)])
            report["suggestions_one"] = sum("suggestion" in a for a in one_typos)
            report["suggestions_shards"] = sum("suggestion" in a for a in sharded_typos)
            report["suggestions_same"] = sum(a.get("suggestion") == b.get("suggestion") for a, b in zip(one_typos, sharded_typos))
            report["suggestion_differences"] = [(a["query"], a.get("suggestion"), b.get("suggestion"))
                                                for a, b in zip(one_typos, sharded_typos) if a.get("suggestion") != b.get("suggestion")]
            reports[name] = report
    finally:
        servers.stop()

    result = {"corpus": corpus, "queries": queries, "releases": sum(releases), "shard_releases": releases,
              "limit": args.limit, "timings": timings, "sets": reports}
    with open(os.path.join(args.out, "shards-agree.json"), "w") as out:
        json.dump(result, out, indent=1, ensure_ascii=False)
    lines = [f"{sum(releases):,} releases over {SHARDS} shards ({', '.join(f'{r:,}' for r in releases)}); "
             f"{len(one):,} queries, top {args.limit} compared with one local index", ""]
    for name, r in reports.items():
        n = r["queries"]
        agree = r["same"] + r["ties"]
        lines += [f"{name}: top hits agree {agree}/{n} ({100 * agree / n:.1f}%: {r['same']} same, {r['ties']} same up to "
                  f"equal-score swaps); {r['near']} within 2% scores (translated queries' estimates); {r['differ']} differ",
                  f"  counts: {r['counts_exact_equal']}/{r['counts_exact_both']} exact on both sides are equal; "
                  f"{r['counts_about']} estimated (\"about\") on one side or both"
                  + (f", sharded/one from {r['count_ratio_min']:.3f} to {r['count_ratio_max']:.3f}" if r["count_ratio_min"] else "")
                  + f"; sharded counts claiming to be exact but wrong: {r['counts_wrongly_exact']}",
                  f"  did you mean (queries with typos): {r['suggestions_same']}/{n} the same suggestion "
                  f"({r['suggestions_one']} suggested on one index, {r['suggestions_shards']} on the shards)",
                  f"  answers with a shard left out: {r['left_out']}"]
        for d in r["differences"][:20]:
            lines.append(f"  differs: {d['query']!r}")
            lines.append(f"    one:    {d['one']}")
            lines.append(f"    shards: {d['shards']}")
        for q, a, b in r["suggestion_differences"][:20]:
            lines.append(f"  suggestion differs: {q!r}: one {a!r}, shards {b!r}")
    lines += ["", "timings (s): " + ", ".join(f"{k} {v}" for k, v in timings.items())]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(args.out, "shards-agree.md"), "w") as out:
        out.write(text)
    print(text, end="")
    bad = any(r["differ"] or r["counts_wrongly_exact"] or r["left_out"] for r in reports.values())
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
