#!/usr/bin/env python3
"""Relevance and counts on the real Security Council documents.

Reads ../shared/realdocs/QUERIES.md (twelve analyst queries with judged
files: R relevant, P partly relevant), runs each query with the normal
`ctsearch search` command over ../shared/realdocs/corpus, and prints per
query: P@5 over documents (a document counts once, at its best session;
R and P both count as relevant), whether the first five documents include
every R document, and the number of documents matched (`briefings`)
beside the number of documents that mention the query's concept (grep,
case-insensitive, patterns below; only for acronym, organization and
phrase queries).

Usage: python3 bench/realdocs.py [--binary PATH] [--match all|most|any]
Skips (exit 0) when ../shared/realdocs is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REALDOCS = REPO.parent / "shared" / "realdocs"

# What "mentions the concept" means for the queries whose total is checked.
GREP = {
    4: r"MINUSMA|Multidimensional Integrated Stabilization Mission in Mali",
    5: r"UNAMA|United Nations Assistance Mission in Afghanistan",
    6: r"1540 Committee|Committee established pursuant to resolution 1540",
    8: r"attacks? (on|against) schools|military use of schools",
}


def parse_queries(text: str):
    queries = []
    for block in re.split(r"\n(?=\d+\. \*\*)", text):
        m = re.match(r"(\d+)\. \*\*(.+?)\*\*", block)
        if not m:
            continue
        judged = {}
        for grade, name in re.findall(r"- ([RP]) `([^`]+\.txt)`", block):
            judged.setdefault(name, grade)
        queries.append((int(m.group(1)), m.group(2), judged))
    return queries


def mentions(pattern: str) -> int:
    rx = re.compile(pattern, re.I)
    n = 0
    for path in (REALDOCS / "corpus").rglob("*.txt"):
        text = path.read_bytes().decode("utf-8", errors="replace")
        text = re.sub(r"\s+", " ", text)
        n += bool(rx.search(text))
    return n


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", type=Path, default=REPO / "target/release/ctsearch")
    ap.add_argument("--match", choices=["all", "most", "any"])
    args = ap.parse_args()
    if not (REALDOCS / "QUERIES.md").exists():
        print("skipped: ../shared/realdocs is absent")
        return 0
    queries = parse_queries((REALDOCS / "QUERIES.md").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        base = [str(args.binary), "search", "--corpus", str(REALDOCS / "corpus"),
                "--index", str(index), "--quiet", "--format", "json", "--limit", "50"]
        if args.match:
            base += ["--match", args.match]
        print("| # | query | match | P@5 | R in top 5 | documents matched | documents mentioning |")
        print("|---|---|---|---|---|---|---|")
        p5s = []
        for number, query, judged in queries:
            out = subprocess.run(base + ["--", query], capture_output=True, text=True)
            if out.returncode not in (0, 1):
                print(f"query {number} failed: {out.stderr}", file=sys.stderr)
                return 2
            result = json.loads(out.stdout)
            docs = []
            for hit in result["hits"]:
                name = hit["path"].rsplit("/", 1)[-1]
                if name not in docs:
                    docs.append(name)
            top5 = docs[:5]
            p5 = sum(1 for d in top5 if d in judged) / 5
            p5s.append(p5)
            relevant = [d for d, g in judged.items() if g == "R"]
            all_r = all(d in top5 for d in relevant)
            grep = mentions(GREP[number]) if number in GREP else None
            print(f"| {number} | {query} | {result['match']} | {p5:.2f} | "
                  f"{'yes' if all_r else 'no'} | {result['briefings']} | "
                  f"{'' if grep is None else grep} |")
        print(f"\nmean P@5: {sum(p5s) / len(p5s):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
