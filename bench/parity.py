#!/usr/bin/env python3
"""Local and remote: the same queries searched on the local index and on a
Quickwit node holding its export, totals and facet counts side by side.

Reads ../shared/realdocs/QUERIES.md (the twelve analyst queries) and adds
`sanctions`, `"arms embargo"`, `terrorism AND financing` and a question of
twelve concepts. For each, runs `ctsearch search --json` on the local
index and, with --remote URL, `ctsearch search --remote URL --json`, and
prints a Markdown table: the match rule, total, documents, and whether
every facet's counts agree.

Usage:
  python3 bench/parity.py [--binary PATH] [--corpus DIR] [--index DIR]
                          [--remote URL] [--index-id ID] [--dump FILE]
--dump writes every answer's counts as JSON (to compare two binaries).
Skips (exit 0) when ../shared/realdocs is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REALDOCS = REPO.parent / "shared" / "realdocs"

EXTRA = [
    "sanctions",
    '"arms embargo"',
    "terrorism AND financing",
    "how do armed groups in Somalia and Mali finance weapons through charcoal "
    "exports, kidnapping ransom and piracy despite sanctions?",
]


def queries() -> list[str]:
    text = (REALDOCS / "QUERIES.md").read_text()
    return re.findall(r"^\d+\. \*\*(.+?)\*\*", text, re.M) + EXTRA


def run(base: list[str], query: str) -> dict:
    out = subprocess.run(base + ["--", query], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise SystemExit(f"{query!r} failed: {out.stderr}")
    result = json.loads(out.stdout)
    return {
        "total": result["total"],
        "briefings": result["briefings"],
        "match": result["match"],
        "fallback": result["fallback"],
        "facets": result["facets"],
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", type=Path, default=REPO / "target/release/ctsearch")
    ap.add_argument("--corpus", type=Path, default=REALDOCS / "corpus")
    ap.add_argument("--index", type=Path, default=Path("/tmp/ctsearch-realdocs-index"))
    ap.add_argument("--remote")
    ap.add_argument("--index-id", default="ctsearch")
    ap.add_argument("--dump", type=Path)
    args = ap.parse_args()
    if not (REALDOCS / "QUERIES.md").exists():
        print("skipped: ../shared/realdocs is absent")
        return 0
    base = [str(args.binary), "search", "--corpus", str(args.corpus), "--index",
            str(args.index), "--quiet", "--format", "json", "--limit", "1"]
    dump = []
    print("| query | match | total local | total remote | documents local | documents remote | facets |")
    print("|---|---|---|---|---|---|---|")
    same = 0
    qs = queries()
    for query in qs:
        local = run(base, query)
        remote = None
        if args.remote:
            remote = run(base + ["--remote", args.remote, "--index-id", args.index_id], query)
        dump.append({"query": query, "local": local, "remote": remote})
        if remote is None:
            print(f"| {query} | {local['match']} | {local['total']} | | {local['briefings']} | | |")
            continue
        facets = "same" if remote["facets"] == local["facets"] else "differ: " + ", ".join(
            k for k in local["facets"] if remote["facets"].get(k) != local["facets"].get(k))
        match = local["match"] if local["match"] == remote["match"] else \
            f"{local['match']} / {remote['match']}"
        ok = (local["total"], local["briefings"], local["match"]) == \
            (remote["total"], remote["briefings"], remote["match"]) and facets == "same"
        same += ok
        print(f"| {query} | {match} | {local['total']} | {remote['total']} | "
              f"{local['briefings']} | {remote['briefings']} | {facets} |")
    if args.remote:
        print(f"\n{same} of {len(qs)} queries agree in total, documents, match and every facet count")
    if args.dump:
        args.dump.write_text(json.dumps(dump, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
