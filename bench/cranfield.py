#!/usr/bin/env python3
"""Relevance benchmark: ctsearch on the Cranfield collection.

Follows the protocol of ../shared/eval/README.md exactly:

* every Cranfield document (docs.all, SMART format) becomes one corpus file
  `<id>.md` whose first line is `# <title>` and whose body is the abstract;
* the corpus is indexed with the normal `ctsearch index` command;
* each query's text (queries.qry; the judgements number the queries 1..225
  in file order, not by their `.I`) is passed unchanged, punctuation and all
  (line breaks become spaces), to the normal `ctsearch search` command,
  top 100, one process per query;
* nDCG@10 (graded gain 5 - grade, gain / log2(rank + 1), ideal ranking from
  all judged documents of the query), MAP@100 (relevant = judged grade 1-4,
  AP divided by the query's number of relevant documents), P@10 and
  Recall@100, averaged over all queries.

Usage:
  python3 bench/cranfield.py [--binary PATH] [--work DIR] [--eval DIR]
                             [--jobs N] [--json] [--run-file FILE]

Python 3.11+, standard library only. Build the binary first:
`cargo build --release`.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIMIT = 100

# Reference figures from ../shared/eval/README.md (same protocol, same machine kind).
REFERENCE = [
    ("bm25s 0.3 (Lucene BM25, Snowball, English stop words)", 0.542, 0.419, 0.312, 0.757),
    ("SQLite 3.40 FTS5 (porter, bm25(), terms OR-ed)", 0.540, 0.414, 0.305, 0.751),
    ("tantivy 0.27 defaults (en_stem, BM25, terms OR-ed)", 0.534, 0.412, 0.303, 0.750),
]
METRICS = ("ndcg@10", "map@100", "p@10", "recall@100")


def die(message: str, code: int = 2) -> None:
    print(f"cranfield.py: {message}", file=sys.stderr)
    sys.exit(code)


# --- SMART format -------------------------------------------------------------


def parse_smart(path: Path) -> list[tuple[str, dict[str, list[str]]]]:
    """Records of a SMART file: (the `.I` value, {field letter: lines})."""
    records: list[tuple[str, dict[str, list[str]]]] = []
    field = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(".I"):
            ident = line[2:].strip()
            if ident:  # docs.all ends with a bare `.I`
                records.append((ident, {}))
            field = None
        elif len(line) >= 2 and line[0] == "." and line[1] in "TABWX" and line[2:].strip() == "":
            # A field repeated within a record (docs 576 and 578 have two
            # `.W`) continues that field.
            field = line[1]
            if records:
                records[-1][1].setdefault(field, [])
        elif records and field is not None:
            records[-1][1][field].append(line)
    return records


def load_docs(path: Path) -> list[tuple[int, str, str]]:
    """(id, title on one line, abstract with its line breaks) per document."""
    docs = []
    for ident, fields in parse_smart(path):
        title = " ".join(" ".join(fields.get("T", [])).split())
        abstract = "\n".join(l.rstrip() for l in fields.get("W", [])).strip("\n")
        docs.append((int(ident), title, abstract))
    return docs


def load_queries(path: Path) -> list[str]:
    """Query texts in file order (query n of the judgements is element n-1)."""
    return [" ".join(fields.get("W", [])) for _, fields in parse_smart(path)]


def load_qrels(path: Path, n_queries: int, doc_ids: set[int]):
    """{query: {doc: grade}} for grades 1-4, plus notes on anything else found."""
    qrels: dict[int, dict[int, int]] = {q: {} for q in range(1, n_queries + 1)}
    odd_grades: dict[int, int] = {}
    notes = []
    unknown_docs = unknown_queries = duplicates = 0
    for number, line in enumerate(path.read_text().splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 3:
            die(f"{path}:{number}: expected `query doc grade`, got {line!r}")
        q, d, g = int(parts[0]), int(parts[1]), int(parts[2])
        if not 1 <= g <= 4:
            odd_grades[g] = odd_grades.get(g, 0) + 1
            continue  # not relevant
        if q not in qrels:
            unknown_queries += 1
            continue
        if d not in doc_ids:
            unknown_docs += 1
        if d in qrels[q]:
            duplicates += 1
            g = min(g, qrels[q][d])  # keep the higher relevance
        qrels[q][d] = g
    if odd_grades:
        shown = ", ".join(f"{g}: {n}" for g, n in sorted(odd_grades.items()))
        notes.append(f"qrels grades outside 1-4 treated as not relevant ({shown})")
    else:
        notes.append("qrels: every grade is within 1-4")
    if unknown_queries:
        notes.append(f"qrels: {unknown_queries} judgements for queries outside 1..{n_queries} ignored")
    if unknown_docs:
        notes.append(f"qrels: {unknown_docs} judgements name documents not in docs.all")
    if duplicates:
        notes.append(f"qrels: {duplicates} duplicate (query, doc) pairs; the best grade kept")
    empty = [q for q, rel in qrels.items() if not rel]
    if empty:
        notes.append(f"{len(empty)} queries have no relevant document (they score 0)")
    return qrels, notes


# --- Running the engine ---------------------------------------------------------


def write_corpus(docs, corpus: Path) -> None:
    if corpus.exists():
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True)
    for ident, title, abstract in docs:
        (corpus / f"{ident}.md").write_text(f"# {title}\n\n{abstract}\n", encoding="utf-8")


def run_index(binary: Path, corpus: Path, index: Path) -> float:
    if index.exists():
        shutil.rmtree(index)
    started = time.monotonic()
    proc = subprocess.run(
        [str(binary), "index", "--corpus", str(corpus), "--index", str(index), "--quiet"],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        die(f"`ctsearch index` failed (exit {proc.returncode}):\n{proc.stderr.strip()}")
    return time.monotonic() - started


EXTRA_ARGS: list[str] = []


def run_query(binary: Path, corpus: Path, index: Path, text: str):
    """(ranked doc ids, error message or None)."""
    cmd = [str(binary), "search", "--corpus", str(corpus), "--index", str(index),
           "--limit", str(LIMIT), "--format", "json", "--quiet", *EXTRA_ARGS, "--", text]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        return [], f"exit {proc.returncode}: {proc.stderr.strip()}"
    if not proc.stdout.strip():
        return [], None  # no hits
    try:
        hits = json.loads(proc.stdout)["hits"]
    except (ValueError, KeyError) as err:
        return [], f"unreadable JSON output ({err})"
    ranked: list[int] = []
    seen = set()
    for hit in hits:
        stem = Path(hit["path"]).stem
        if not stem.isdigit():
            return [], f"unexpected hit path {hit['path']!r}"
        doc = int(stem)
        if doc not in seen:  # one hit per document (sessions of one file)
            seen.add(doc)
            ranked.append(doc)
    return ranked[:LIMIT], None


# --- Metrics ----------------------------------------------------------------------


def score_query(ranked: list[int], judged: dict[int, int]) -> dict[str, float]:
    relevant = set(judged)
    if not relevant:
        return dict.fromkeys(METRICS, 0.0)
    gains = [5 - judged[d] if d in judged else 0 for d in ranked[:10]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((5 - g for g in judged.values()), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    hits, precisions = 0, 0.0
    for i, d in enumerate(ranked[:LIMIT]):
        if d in relevant:
            hits += 1
            precisions += hits / (i + 1)
    return {
        "ndcg@10": dcg / idcg,
        "map@100": precisions / len(relevant),
        "p@10": sum(1 for d in ranked[:10] if d in relevant) / 10,
        "recall@100": hits / len(relevant),
    }


# --- Main -------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=Path, default=REPO / "target/release/ctsearch",
                        help="ctsearch binary (default: target/release/ctsearch)")
    parser.add_argument("--work", type=Path,
                        help="scratch directory for the corpus and index (default: a temporary "
                             "directory, removed afterwards); never inside the repository")
    parser.add_argument("--eval", type=Path, default=REPO.parent / "shared/eval/cranfield",
                        help="Cranfield data: docs.all, queries.qry, qrels "
                             "(default: ../shared/eval/cranfield from the repository root)")
    parser.add_argument("--jobs", type=int, default=2, help="queries run in parallel (default 2)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--search-arg", action="append", default=[],
                        help="an extra flag for every search, e.g. --search-arg=--match=any")
    parser.add_argument("--run-file", type=Path,
                        help="also write the ranking in TREC run format to this file")
    args = parser.parse_args()
    EXTRA_ARGS.extend(args.search_arg)

    files = {name: args.eval / name for name in ("docs.all", "queries.qry", "qrels")}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        die("Cranfield evaluation data not found: " + ", ".join(missing)
            + "\n(pass --eval DIR, the directory holding docs.all, queries.qry and qrels)")
    binary = args.binary.resolve()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        die(f"no ctsearch binary at {binary} (run `cargo build --release` or pass --binary)")

    docs = load_docs(files["docs.all"])
    queries = load_queries(files["queries.qry"])
    if not docs or not queries:
        die(f"no documents or no queries parsed from {args.eval}")
    qrels, notes = load_qrels(files["qrels"], len(queries), {d for d, _, _ in docs})
    untitled = sum(1 for _, t, _ in docs if not t)
    if untitled:
        notes.append(f"{untitled} documents have an empty title")

    temporary = args.work is None
    work = Path(tempfile.mkdtemp(prefix="ctsearch-cranfield-")) if temporary else args.work.resolve()
    if work == REPO or REPO in work.parents:
        die(f"--work {work} is inside the repository; choose a directory outside it")
    try:
        corpus, index = work / "corpus", work / "index"
        write_corpus(docs, corpus)
        index_seconds = run_index(binary, corpus, index)

        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(lambda q: run_query(binary, corpus, index, q), queries))
        search_seconds = time.monotonic() - started
    finally:
        if temporary:
            shutil.rmtree(work, ignore_errors=True)

    errors = [(n, err) for n, (_, err) in enumerate(results, 1) if err]
    if len(errors) == len(queries):
        die(f"every query failed; the first: {errors[0][1]}")
    for n, err in errors:
        notes.append(f"query {n} failed and scores 0: {err}")
    no_hits = sum(1 for ranked, err in results if not ranked and not err)
    if no_hits:
        notes.append(f"{no_hits} queries returned no hits")

    per_query = [score_query(ranked, qrels[n]) for n, (ranked, _) in enumerate(results, 1)]
    means = {m: sum(s[m] for s in per_query) / len(per_query) for m in METRICS}

    if args.run_file:
        with open(args.run_file, "w") as out:
            for n, (ranked, _) in enumerate(results, 1):
                for rank, doc in enumerate(ranked, 1):
                    out.write(f"{n} Q0 {doc} {rank} {LIMIT - rank + 1} ctsearch\n")

    if args.json:
        print(json.dumps({
            "binary": str(binary),
            "documents": len(docs),
            "queries": len(queries),
            "metrics": {m: round(v, 4) for m, v in means.items()},
            "per_query": [{m: round(v, 4) for m, v in s.items()} for s in per_query],
            "index_seconds": round(index_seconds, 2),
            "search_seconds": round(search_seconds, 2),
            "notes": notes,
            "reference": [dict(zip(("system",) + METRICS, row)) for row in REFERENCE],
        }, indent=2))
        return 0

    print(f"Cranfield: {len(docs)} documents, {len(queries)} queries, top {LIMIT} "
          f"(index {index_seconds:.1f} s, search {search_seconds:.1f} s with {args.jobs} jobs)")
    for note in notes:
        print(f"note: {note}")
    print()
    print("| system | nDCG@10 | MAP@100 | P@10 | R@100 |")
    print("| --- | --- | --- | --- | --- |")
    print("| ctsearch | " + " | ".join(f"{means[m]:.3f}" for m in METRICS) + " |")
    for name, *values in REFERENCE:
        print(f"| {name} (reference) | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
