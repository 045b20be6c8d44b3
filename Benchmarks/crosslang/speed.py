#!/usr/bin/python3
"""What translation costs a search, on the main benchmark's releases (Benchmarks/run.py).

  speed.py PRESSE_INDEX QUEST_DB QUERIES [--presse BINARY] [--oneshot N] [--out DIR]

PRESSE_INDEX and QUEST_DB are an index of one corpus by presse and by the C++ floor (run.py's
bench-out/work-SIZE/presse_j1 and cpp_floor), QUERIES its LANG<TAB>QUERY file. Times, in one
run so they share the machine's noise:
  - one-shot processes on a sample, interleaved: `presse search QUERY` (no language named, so
    translated into the two other languages), the same with `--no-translate`, the main
    benchmark's form `presse search --lang L QUERY` with and without translation, and `quest
    -d QUEST_DB -s STEMMER QUERY`; medians;
  - the whole file as one batch, as the main benchmark runs it (LANG<TAB>QUERY) and without
    the languages (every query searched, and translated, in all three), with translation and
    with `--no-translate`; wall and CPU.
Writes DIR/crosslang-speed.json (DIR default: bench-out) and prints a markdown paragraph.
"""
import argparse, json, os, random, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "relevance"))
from evaluate import timed  # noqa: E402
STEMMERS = {"en": "english", "fr": "french", "de": "german"}


def one_shot(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t0) * 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("index")
    ap.add_argument("floor")
    ap.add_argument("queries")
    ap.add_argument("--presse", default=os.path.join(ROOT, ".build", "release", "presse"))
    ap.add_argument("--oneshot", type=int, default=100)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    a = ap.parse_args()
    with open(a.queries, encoding="utf-8") as fh:
        queries = [tuple(l.rstrip("\n").split("\t")[:2]) for l in fh if l.strip()]
    sample = random.Random(7).sample(queries, min(a.oneshot, len(queries)))
    times = {"translated": [], "plain": [], "lang_translated": [], "lang_plain": [], "quest": []}
    for lang, text in sample:
        for label, cmd in (("translated", [a.presse, "search", "--index", a.index, text]),
                           ("plain", [a.presse, "search", "--index", a.index, "--no-translate", text]),
                           ("lang_translated", [a.presse, "search", "--index", a.index, "--lang", lang, text]),
                           ("lang_plain", [a.presse, "search", "--index", a.index, "--lang", lang, "--no-translate", text]),
                           ("quest", ["quest", "-d", a.floor, "-s", STEMMERS.get(lang, "english"), text])):
            times[label].append(one_shot(cmd))
    p50 = {k: statistics.median(v) for k, v in times.items()}
    runs = {}
    for form, lines in (("named", [f"{lang}\t{text}\n" for lang, text in queries]), ("anywhere", [text + "\n" for _, text in queries])):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as fh:
            fh.writelines(lines)
            batch = fh.name
        for label, extra in (("translated", []), ("plain", ["--no-translate"])):
            _, wall, cpu = timed([a.presse, "search", "--index", a.index, "--batch", batch, "--json", "--limit", "10", *extra],
                                 ok=(0, 1))
            runs[f"{form}_{label}"] = {"wall_s": wall, "cpu_s": cpu}
        os.unlink(batch)
    result = {"index": a.index, "queries": len(queries), "oneshot_sample": len(sample), "oneshot_p50_ms": p50,
              "batch": runs, "loadavg_at_end": round(os.getloadavg()[0], 2)}
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "crosslang-speed.json"), "w") as fh:
        json.dump(result, fh, indent=1)
    r = runs
    print(f"One-shot p50 on {len(sample)} queries (goal ≤ 2.5x quest), quest {p50['quest']:.1f} ms: "
          f"`presse search --lang L QUERY` {p50['lang_translated']:.1f} ms "
          f"(**{p50['lang_translated'] / p50['quest']:.2f}x quest**; {p50['lang_plain']:.1f} ms without translation), "
          f"`presse search QUERY` {p50['translated']:.1f} ms (**{p50['translated'] / p50['quest']:.2f}x quest**; "
          f"{p50['plain']:.1f} ms without translation). "
          f"Batch of {len(queries)} queries (goal ≤ 1.5x without translation): LANG<TAB>QUERY "
          f"{r['named_translated']['wall_s']:.2f} s against {r['named_plain']['wall_s']:.2f} s "
          f"(**{r['named_translated']['wall_s'] / r['named_plain']['wall_s']:.2f}x**), QUERY alone (translated into "
          f"the two other languages) {r['anywhere_translated']['wall_s']:.2f} s against {r['anywhere_plain']['wall_s']:.2f} s "
          f"(**{r['anywhere_translated']['wall_s'] / r['anywhere_plain']['wall_s']:.2f}x**); wall. "
          f"Load average at the end {result['loadavg_at_end']}.")


if __name__ == "__main__":
    main()
