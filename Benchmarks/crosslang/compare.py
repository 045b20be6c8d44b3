#!/usr/bin/python3
"""Several presse binaries (or lexicons) on the same cross-language indexes, side by side.

  compare.py SET WORK NAME=BINARY [NAME=BINARY ...] [--anywhere]

SET is a set make_set.py or make_package_set.py wrote (SET.queries.tsv beside it); WORK keeps
the two indexes (French and German pages, English pages), built by the first binary the first
time and reused after, so a column moves only with what the binaries (or $PRESSE_CACHE_DIR's
lexicon) do differently, not with a new index's order of releases (which breaks ties). Prints
MRR@10 per direction with the answer's language named (LANG<TAB>QUERY, as evaluate.py's main
column), and with --anywhere with none named, and the batches' CPU seconds; writes each
query's rank to WORK/ranks.json. The step tables of the README's cross-language section are
made with it.
"""
import importlib.util, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("crosslang_evaluate", os.path.join(HERE, "evaluate.py"))
ev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ev)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) < 3 or any("=" not in a for a in args[2:]):
        sys.exit(__doc__)
    setdir, work = os.path.realpath(args[0]), os.path.realpath(args[1])
    binaries = [a.split("=", 1) for a in args[2:]]
    anywhere = "--anywhere" in sys.argv
    queries = ev.read_queries(setdir + ".queries.tsv")
    os.makedirs(work, exist_ok=True)
    results = {}
    for langs in (("fr", "de"), ("en",)):
        name = "".join(langs)
        index = os.path.join(work, f"presse-{name}")
        if not os.path.exists(index):
            corpus = os.path.join(work, "corpus-" + name)
            if not os.path.exists(corpus):
                ev.corpus_of(work, setdir, langs)
            subprocess.run([binaries[0][1], "index", "--index", index, "--quiet", "--jobs", "2", corpus], check=True)
        mine = [q for q in queries if q[0].split("-")[1] in langs]
        forms = [("named", [f"{d.split('-')[1]}\t{q}" for d, q, _ in mine])]
        if anywhere:
            forms.append(("anywhere", [q for _, q, _ in mine]))
        answers = [a for _, _, a in mine]
        for label, binary in binaries:
            for form, lines in forms:
                ranked, _, cpu = ev.presse_batch(binary, index, lines, work, [])
                got = results.setdefault(f"{label}|{form}", {})
                for direction in ev.DIRECTIONS:
                    pick = [i for i, q in enumerate(mine) if q[0] == direction]
                    if pick:
                        score, ranks = ev.scores([answers[i] for i in pick], [ranked[i] for i in pick])
                        got[direction] = {"mrr10": score["mrr10"], "ranks": ranks}
                got["cpu_s_" + name] = cpu
    for key, got in results.items():
        label, form = key.split("|")
        print(f"{label:12s} {form:8s} " + " ".join(f"{d}={got[d]['mrr10']:.3f}" for d in ev.DIRECTIONS if d in got)
              + "  CPU " + " ".join(f"{k[6:]}={v:.2f} s" for k, v in got.items() if k.startswith("cpu_s_")))
    with open(os.path.join(work, "ranks.json"), "w") as fh:
        json.dump(results, fh)


if __name__ == "__main__":
    main()
