#!/usr/bin/python3
"""The Python floor: plain Xapian through Debian's python3-xapian, nothing on top.

  /usr/bin/python3 xapian_floor.py index DB CORPUSDIR   one document per CORPUSDIR/{en,fr,de}/*.txt
  /usr/bin/python3 xapian_floor.py query DB QUERIES     LANG<TAB>QUERY (or QUERY) per line; JSON stats

Same work as xapian_floor.cpp (see there), so the two differ only by the language.
python3-xapian is installed for /usr/bin/python3 only: run it with that interpreter.
"""
import json, math, os, sys, time

import xapian

STEMMERS = {"en": "english", "fr": "french", "de": "german"}


def index_corpus(db_path, corpus):
    files = []
    for lang in ("en", "fr", "de"):
        d = os.path.join(corpus, lang)
        if os.path.isdir(d):
            files += [(lang, os.path.join(d, n)) for n in os.listdir(d) if n.endswith(".txt")]
    files.sort()

    db = xapian.WritableDatabase(db_path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    current, nbytes, t0 = None, 0, time.perf_counter()
    for lang, path in files:
        if lang != current:
            tg.set_stemmer(xapian.Stem(STEMMERS[lang]))
            current = lang
        with open(path, "rb") as fh:
            text = fh.read()
        nbytes += len(text)
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(text)  # with positions
        doc.set_data(path)
        id_term = "Q" + path
        doc.add_boolean_term(id_term)
        db.replace_document(id_term, doc)
    db.commit()
    print(json.dumps({"docs": len(files), "bytes": nbytes, "seconds": round(time.perf_counter() - t0, 3)}))


def percentile(values, p):
    # Nearest-rank, as in the C++ floor.
    v = sorted(values)
    return v[min(len(v) - 1, max(0, math.ceil(p / 100 * len(v)) - 1))] if v else 0.0


def run_queries(db_path, queries_path):
    db = xapian.Database(db_path)
    enquire = xapian.Enquire(db)
    qp = xapian.QueryParser()
    qp.set_database(db)
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)

    ms, hits, empty, current = [], 0, 0, None
    t_all = time.perf_counter()
    with open(queries_path, encoding="utf-8") as fh:
        lines = [l.rstrip("\n") for l in fh if l.strip()]
    for line in lines:
        lang, _, text = line.partition("\t") if "\t" in line else ("en", "", line)
        t0 = time.perf_counter()
        if lang != current:
            qp.set_stemmer(xapian.Stem(STEMMERS.get(lang, "english")))
            current = lang
        enquire.set_query(qp.parse_query(text))  # default flags
        mset = enquire.get_mset(0, 10)
        for m in mset:  # touch the results as a real caller would
            m.document.get_data()
        ms.append((time.perf_counter() - t0) * 1000)
        hits += mset.size()
        empty += mset.empty()
    total = time.perf_counter() - t_all
    print(json.dumps({
        "queries": len(ms), "hits": hits, "empty": empty, "total_s": round(total, 4),
        "mean_ms": round(sum(ms) / len(ms), 4) if ms else 0,
        "p50_ms": round(percentile(ms, 50), 4), "p95_ms": round(percentile(ms, 95), 4),
        "p99_ms": round(percentile(ms, 99), 4),
    }))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("index", "query"):
        sys.exit(__doc__)
    (index_corpus if sys.argv[1] == "index" else run_queries)(sys.argv[2], sys.argv[3])
