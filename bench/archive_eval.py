#!/usr/bin/env python3
"""Judged relevance on the Security Council archive: ctsearch against BM25 peers.

Corpus: ../shared/archive (resolutions/ 1946-2015 and records/ of 2020; the
README.md and PROVENANCE.tsv there are not documents). A document id is its
path relative to the archive, e.g. `resolutions/S-RES-1373(2001).txt`.

Queries: bench/archive-queries.tsv (id, kind, query).
Judgments: bench/archive-qrels.tsv (qid, doc, grade 0/1/2, evidence). Lines
are read in order and a later line for the same (qid, doc) replaces an
earlier one, so new or corrected judgments are simply appended.

Systems, all over whole files:
  bm25s    BM25 (method "lucene"), English Snowball stemmer (PyStemmer),
           English stop words.
  fts5     SQLite FTS5, tokenize='porter unicode61', ranked by bm25(); the
           query is an OR of its terms, quoted phrases kept as phrases.
  ctsearch `ctsearch search --format jsonl --limit 200` over a temp corpus
           dir holding only resolutions/ and records/ (symlinks); its
           session hits are folded to documents (a document's rank is the
           rank of its first hit).

Metrics: nDCG@10 (gains 0/1/2, log2 discount, ideal from every judged
document of the query) and P@10 (relevant = grade >= 1). Unjudged documents
count 0 and are listed.

Usage:
  python3 bench/archive_eval.py [--ctsearch PATH] [--json OUT.json]
  python3 bench/archive_eval.py --pool      # unjudged top-10 docs, `qid<TAB>doc`
Needs: pip install bm25s PyStemmer. Skips (exit 0) when the archive is absent.
Env: ARCHIVE_EVAL_ARCHIVE (archive dir), ARCHIVE_EVAL_CACHE (peer indexes and the
ctsearch corpus/index, default /tmp/archive-eval).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARCHIVE = Path(os.environ.get("ARCHIVE_EVAL_ARCHIVE", REPO.parent / "shared" / "archive"))
QUERIES = REPO / "bench" / "archive-queries.tsv"
QRELS = REPO / "bench" / "archive-qrels.tsv"
CACHE = Path(os.environ.get("ARCHIVE_EVAL_CACHE", "/tmp/archive-eval"))
FOLDERS = ("resolutions", "records")
SYSTEMS = ("bm25s", "fts5", "ctsearch")
K = 10
DEPTH = 200


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def load_docs() -> dict[str, str]:
    docs = {}
    for folder in FOLDERS:
        for p in sorted((ARCHIVE / folder).glob("*.txt")):
            docs[f"{folder}/{p.name}"] = read_text(p)
    return docs


def load_queries() -> list[tuple[str, str, str]]:
    out = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        qid, kind, query = line.split("\t", 2)
        if qid == "id":
            continue
        out.append((qid, kind, query))
    return out


def load_qrels() -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    if not QRELS.exists():
        return qrels
    for n, line in enumerate(QRELS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if parts[0] == "qid":
            continue
        if len(parts) < 3 or parts[2] not in ("0", "1", "2"):
            sys.exit(f"{QRELS}:{n}: bad line: {line!r}")
        qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return qrels


# ---------------------------------------------------------------- peers


def bm25s_runner(docs: dict[str, str]):
    import bm25s
    import Stemmer

    ids = list(docs)
    stemmer = Stemmer.Stemmer("english")
    tokens = bm25s.tokenize([docs[i] for i in ids], stopwords="en", stemmer=stemmer,
                            show_progress=False)
    model = bm25s.BM25(method="lucene")
    model.index(tokens, show_progress=False)

    def run(query: str) -> list[str]:
        q = bm25s.tokenize([query.replace('"', " ")], stopwords="en", stemmer=stemmer,
                           show_progress=False)
        if not q.vocab:
            return []
        res, scores = model.retrieve(q, k=min(DEPTH, len(ids)), show_progress=False,
                                     n_threads=1)
        return [ids[int(i)] for i, s in zip(res[0], scores[0]) if s > 0]

    return run


def fts5_query(query: str) -> str:
    """An OR of the query's terms; "quoted phrases" and hyphenated words stay phrases."""
    parts = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        if phrase:
            chunks = [phrase]
        else:
            # a possessive goes ("Iraq's" -> Iraq); a hyphenated word (Al-Qaida,
            # non-State, COVID-19) stays a phrase; other punctuation splits
            word = re.sub(r"['\u2019]s\b", "", word)
            chunks = re.findall(r"\w+(?:-\w+)*", word)
        for chunk in chunks:
            words = re.findall(r"\w+", chunk)
            if words:
                parts.append('"' + " ".join(words) + '"')
    return " OR ".join(parts)


def fts5_runner(docs: dict[str, str]):
    CACHE.mkdir(parents=True, exist_ok=True)
    db_path = CACHE / "fts5.db"
    stamp = f"{len(docs)}:{sum(len(t) for t in docs.values())}"
    db = sqlite3.connect(db_path)
    fresh = False
    try:
        fresh = db.execute("SELECT v FROM meta WHERE k='stamp'").fetchone() == (stamp,)
    except sqlite3.Error:
        pass
    if not fresh:
        db.executescript("DROP TABLE IF EXISTS docs; DROP TABLE IF EXISTS meta;"
                         "CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, body,"
                         " tokenize='porter unicode61');"
                         "CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);")
        db.executemany("INSERT INTO docs(path, body) VALUES (?, ?)", docs.items())
        db.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp,))
        db.commit()

    def run(query: str) -> list[str]:
        q = fts5_query(query)
        if not q:
            return []
        rows = db.execute("SELECT path FROM docs WHERE docs MATCH ? ORDER BY bm25(docs)"
                          " LIMIT ?", (q, DEPTH)).fetchall()
        return [r[0] for r in rows]

    return run


def ctsearch_runner(binary: Path):
    corpus = CACHE / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        link = corpus / folder
        if not link.is_symlink():
            link.symlink_to(ARCHIVE / folder)
    index = CACHE / "ctindex"

    def run(query: str) -> list[str]:
        cmd = [str(binary), "search", "--corpus", str(corpus), "--index", str(index),
               "--format", "jsonl", "--limit", str(DEPTH), "--quiet", query]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode == 1 and not p.stdout.strip():
            return []  # no hits
        if p.returncode not in (0, 1):
            sys.exit(f"ctsearch failed ({p.returncode}) on {query!r}: {p.stderr.strip()}")
        ranked: list[str] = []
        for line in p.stdout.splitlines():
            if not line.strip():
                continue
            hit = json.loads(line)
            doc = hit["path"].replace(os.sep, "/")
            if doc not in ranked:
                ranked.append(doc)
        return ranked

    return run


# -------------------------------------------------------------- metrics


def ndcg(ranked: list[str], judged: dict[str, int]) -> float:
    dcg = sum(judged.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:K]))
    ideal = sorted(judged.values(), reverse=True)[:K]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def precision(ranked: list[str], judged: dict[str, int]) -> float:
    return sum(judged.get(d, 0) >= 1 for d in ranked[:K]) / K


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ctsearch", default=str(REPO / "target" / "release" / "ctsearch"),
                    help="ctsearch binary (default target/release/ctsearch)")
    ap.add_argument("--pool", action="store_true",
                    help="print the unjudged documents of the three top 10s as qid<TAB>doc")
    ap.add_argument("--json", metavar="FILE", help="also write the summary as JSON")
    ap.add_argument("--query", action="append", metavar="QID", help="only these queries")
    args = ap.parse_args()

    if not (ARCHIVE / "resolutions").is_dir():
        print(f"archive_eval: {ARCHIVE} is absent; skipping.")
        return 0
    binary = Path(args.ctsearch)
    if not binary.is_file():
        sys.exit(f"archive_eval: no ctsearch binary at {binary} (cargo build --release)")
    try:
        import bm25s  # noqa: F401
        import Stemmer  # noqa: F401
    except ImportError:
        sys.exit("archive_eval: needs `pip install bm25s PyStemmer`")

    docs = load_docs()
    queries = load_queries()
    if args.query:
        queries = [q for q in queries if q[0] in set(args.query)]
    qrels = load_qrels()
    runners = {"bm25s": bm25s_runner(docs), "fts5": fts5_runner(docs),
               "ctsearch": ctsearch_runner(binary)}
    runs = {qid: {s: runners[s](query) for s in SYSTEMS} for qid, _, query in queries}

    if args.pool:
        n = 0
        for qid, _, _ in queries:
            seen = []
            for s in SYSTEMS:
                for d in runs[qid][s][:K]:
                    if d not in seen:
                        seen.append(d)
            for d in seen:
                if d not in qrels.get(qid, {}):
                    print(f"{qid}\t{d}")
                    n += 1
        print(f"# {n} unjudged pooled documents", file=sys.stderr)
        return 0

    rows = []
    unjudged = []
    for qid, kind, query in queries:
        judged = qrels.get(qid, {})
        row = {"qid": qid, "kind": kind, "query": query,
               "judged": len(judged), "relevant": sum(g >= 1 for g in judged.values())}
        for s in SYSTEMS:
            ranked = runs[qid][s]
            row[s] = {"ndcg10": ndcg(ranked, judged), "p10": precision(ranked, judged),
                      "hits": len(ranked), "top10": ranked[:K]}
            unjudged += [(qid, s, d) for d in ranked[:K] if d not in judged]
        best = max(row[s]["ndcg10"] for s in SYSTEMS)
        row["best"] = [s for s in SYSTEMS if abs(row[s]["ndcg10"] - best) < 1e-9]
        rows.append(row)

    n = len(rows)
    mean = {s: {"ndcg10": sum(r[s]["ndcg10"] for r in rows) / n,
                "p10": sum(r[s]["p10"] for r in rows) / n} for s in SYSTEMS}
    wins = {s: sum(r["best"] == [s] for r in rows) for s in SYSTEMS}

    print(f"Archive relevance: {n} queries, {sum(len(qrels.get(r['qid'], {})) for r in rows)}"
          f" judgments, {len(docs)} documents\n")
    print(f"{'system':<10} {'nDCG@10':>8} {'P@10':>6} {'sole best':>9}")
    for s in SYSTEMS:
        print(f"{s:<10} {mean[s]['ndcg10']:8.3f} {mean[s]['p10']:6.3f} {wins[s]:9d}")
    print()
    head = " ".join(f"{s:>14}" for s in SYSTEMS)
    print(f"{'qid':<4} {'kind':<8} {'rel':>3} {head}  best       query")
    print(f"{'':<4} {'':<8} {'':>3} " + " ".join(f"{'nDCG  P@10':>14}" for _ in SYSTEMS))
    for r in rows:
        cells = " ".join(f"{r[s]['ndcg10']:6.3f} {r[s]['p10']:5.1f}  " for s in SYSTEMS)
        best = "/".join(r["best"]) if len(r["best"]) < 3 else "tie"
        print(f"{r['qid']:<4} {r['kind']:<8} {r['relevant']:>3} {cells} {best:<10} {r['query']}")
    if unjudged:
        print(f"\n{len(unjudged)} unjudged documents in a top 10 (counted as 0;"
              " judge them: --pool):")
        for qid, s, d in unjudged:
            print(f"  {qid}\t{s}\t{d}")

    if args.json:
        summary = {"queries": n, "documents": len(docs), "mean": mean, "sole_best": wins,
                   "unjudged_in_top10": len(unjudged), "per_query": rows}
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
