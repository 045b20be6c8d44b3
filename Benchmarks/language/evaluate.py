#!/usr/bin/python3
"""Scores Presse's passage languages on a set made by make_set.py, beside CLD2 alone.

  evaluate.py SET [--presse BINARY] [--json OUT.json] [--errors N]

Presse: `presse inspect --json` on every release of SET; a paragraph is right when every passage
that overlaps it carries the paragraph's label (a passage that glues two paragraphs of different
languages is wrong for one of them). CLD2 alone: each paragraph on its own, CLD2's summary
language (ExtDetectLanguageSummary, as Presse calls it; "unknown" is wrong), through a small C++
program built with g++ against Debian's libcld2. Accuracy by paragraph size: 40-120 characters,
120-200, 200+ (characters, not bytes).
"""
import argparse, collections, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUCKETS = ("40-120", "120-200", "200+")
# Presse's goals (issue 12): the 40-120 and 200+ buckets.
GOALS = {"40-120": 99.3, "200+": 99.9}

CLD2_PROGRAM = r"""
#include <cstdio>
#include <iostream>
#include <string>
#include <cld2/public/compact_lang_det.h>
// One paragraph a line in, CLD2's summary language code a line out ("un" for none).
int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        CLD2::Language top3[3]; int percent3[3]; int bytes = 0; bool reliable = false;
        CLD2::Language l = CLD2::ExtDetectLanguageSummary(line.data(), (int)line.size(), true, top3,
                                                          percent3, &bytes, &reliable);
        std::cout << (l == CLD2::UNKNOWN_LANGUAGE ? "un" : CLD2::LanguageCode(l)) << "\n";
    }
}
"""


def bucket(chars):
    return "40-120" if chars < 120 else "120-200" if chars < 200 else "200+"


def presse_passages(presse, folder, files):
    out = {}
    for i in range(0, len(files), 200):
        run = subprocess.run([presse, "inspect", "--json", *files[i:i + 200]], cwd=folder,
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"evaluate: presse inspect failed ({run.returncode}): {run.stderr.strip()[:300]}")
        for line in run.stdout.splitlines():
            obj = json.loads(line)
            out[obj["path"]] = obj["passages"]
    return out


def cld2_codes(paragraphs):
    with tempfile.TemporaryDirectory() as tmp:
        source, binary = os.path.join(tmp, "cld2.cpp"), os.path.join(tmp, "cld2")
        with open(source, "w") as fh:
            fh.write(CLD2_PROGRAM)
        subprocess.run(["g++", "-O2", "-o", binary, source, "-lcld2"], check=True)
        run = subprocess.run([binary], input="\n".join(paragraphs) + "\n", capture_output=True, text=True, check=True)
    return run.stdout.split("\n")[:len(paragraphs)]


def evaluate(set_dir, presse):
    with open(set_dir.rstrip("/") + ".labels.jsonl", encoding="utf-8") as fh:
        releases = [json.loads(l) for l in fh]
    passages = presse_passages(presse, set_dir, [r["file"] for r in releases])
    rows = []  # (bucket, lang, presse right, text, presse's languages, release)
    for release in releases:
        with open(os.path.join(set_dir, release["file"]), "rb") as fh:
            data = fh.read()
        for p in release["paragraphs"]:
            text = data[p["start"]:p["end"]].decode()
            got = [q["lang"] for q in passages[release["file"]] if q["start"] < p["end"] and p["start"] < q["end"]]
            rows.append((bucket(len(text)), p["lang"], bool(got) and all(g == p["lang"] for g in got), text, got,
                         release["file"]))
    codes = cld2_codes([r[3] for r in rows])
    table = {}
    for b in BUCKETS + ("all",):
        mine = [(r, c) for r, c in zip(rows, codes) if b in (r[0], "all")]
        n = len(mine)
        table[b] = {"paragraphs": n,
                    "presse": 100.0 * sum(r[2] for r, _ in mine) / n if n else 0.0,
                    "cld2": 100.0 * sum(c == r[1] for r, c in mine) / n if n else 0.0,
                    "by_lang": {l: {"paragraphs": sum(r[1] == l for r, _ in mine),
                                    "presse_errors": sum(r[1] == l and not r[2] for r, _ in mine),
                                    "cld2_errors": sum(r[1] == l and c != l for r, c in mine)}
                                for l in ("en", "fr", "de")}}
    errors = [{"file": r[5], "lang": r[1], "presse": r[4], "cld2": c, "text": r[3]}
              for r, c in zip(rows, codes) if not r[2]]
    return table, errors


def markdown(table):
    lines = ["| paragraph size | paragraphs | Presse (passage label) | CLD2 alone (per paragraph) | goal |",
             "|---|---:|---:|---:|---:|"]
    for b in BUCKETS + ("all",):
        t = table[b]
        goal = f"≥ {GOALS[b]} %" if b in GOALS else ""
        name = f"{b} characters" if b != "all" else "all (40+)"
        lines.append(f"| {name} | {t['paragraphs']:,} | {t['presse']:.2f} % | {t['cld2']:.2f} % | {goal} |")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("set")
    p.add_argument("--presse", default=os.path.join(ROOT, ".build", "release", "presse"))
    p.add_argument("--json", help="write the table and every Presse error here")
    p.add_argument("--errors", type=int, default=0, help="print this many of Presse's errors")
    a = p.parse_args()
    table, errors = evaluate(os.path.abspath(a.set), os.path.abspath(a.presse))
    print(markdown(table))
    for e in errors[:a.errors]:
        print(f"{e['file']} {e['lang']} -> presse {','.join(e['presse'])} cld2 {e['cld2']}: {e['text'][:150]}")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"table": table, "errors": errors}, fh, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
