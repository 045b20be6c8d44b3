#!/usr/bin/python3
"""The python-xapian peer of the relevance benchmark: what a 40-line script does.

  /usr/bin/python3 peer.py index DB CORPUS        one document per CORPUS/{en,fr,de}/*.txt
  /usr/bin/python3 peer.py search DB QUERIES      LANG<TAB>QUERY[<TAB>...] a line; prints one
                                                  JSON line per query: {"query", "paths"}

One document per file, the whole file, indexed with the Snowball stemmer of its folder's
language (TermGenerator defaults: STEM_SOME, positions) and a boolean term for that language.
A query is parsed by a QueryParser with its language's stemmer (STEM_SOME, default flags,
default operator OR) and filtered to its language, as `presse search --lang` is; BM25 with
Xapian's default parameters; the first 10 answers (get_mset(0, 10)).
Run with Debian's /usr/bin/python3, for which python3-xapian is installed.
"""
import json, os, sys

import xapian

STEMMERS = {"en": "english", "fr": "french", "de": "german"}


def index(db_path, corpus):
    db = xapian.WritableDatabase(db_path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    for lang, stemmer in STEMMERS.items():
        folder = os.path.join(corpus, lang)
        tg.set_stemmer(xapian.Stem(stemmer))
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            path = os.path.abspath(os.path.join(folder, name))
            with open(path, "rb") as fh:
                text = fh.read()
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(text)
            doc.set_data(path)
            doc.add_boolean_term("XL" + lang)
            db.add_document(doc)
    db.commit()


def search(db_path, queries_path):
    db = xapian.Database(db_path)
    enquire = xapian.Enquire(db)
    qp = xapian.QueryParser()
    qp.set_database(db)
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    with open(queries_path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            lang, text = line.rstrip("\n").split("\t")[:2]
            qp.set_stemmer(xapian.Stem(STEMMERS[lang]))
            query = xapian.Query(xapian.Query.OP_FILTER, qp.parse_query(text), xapian.Query("XL" + lang))
            enquire.set_query(query)
            paths = [m.document.get_data().decode() for m in enquire.get_mset(0, 10)]
            print(json.dumps({"query": text, "paths": paths}, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("index", "search"):
        sys.exit(__doc__)
    (index if sys.argv[1] == "index" else search)(sys.argv[2], sys.argv[3])
