#!/usr/bin/env python3
"""How ctsearch reads the Security Council archive (../shared/archive).

Indexes the archive's resolutions and meeting records, then reads every
document back with `ctsearch show --json` and prints what an analyst
checks first: the types recognized, the share of resolutions with a date
(and the file name's year), the file name's symbol and a proper title,
how many numbered operative paragraphs carry their own number, the page
furniture and wrapper text left in the index, furniture session labels,
labels that differ only in case, and the index time (median of --runs, and
the ratio to a --baseline binary run alternately in the same run).

Usage: bench/archive.py [--bin target/release/ctsearch] [--baseline BIN]
                        [--runs 5] [--json FILE] [--show N]
Skips (exit 0) when ../shared/archive is absent.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARCHIVE = os.path.join(ROOT, "..", "shared", "archive")

FILE_RE = re.compile(r"S-RES-(\d+)\((\d{4})\)\.txt$")
RECORD_RE = re.compile(r"(\d{4})-s-pv-(\d+)")
# Wrapper and furniture text that must not be indexed.
FURNITURE = {
    "refworld": re.compile(r"refworld", re.I),
    "cite as": re.compile(r"\bCite as\b"),
    "publication date": re.compile(r"\bPublication Date\b"),
    "publisher line": re.compile(r"^Publisher\b"),
    "job number": re.compile(r"\b\d{2}-\d{5} \(E\)"),
    "barcode": re.compile(r"\*\d{7}\*"),
    "english page": re.compile(r"English\s+Page\s+\d"),
}
FURNITURE_LABEL = re.compile(
    r"(^Page\b|\bPage \d|S/RES/|^Footnotes$|^Adopted (unanimously )?at|^[IVXL]+$|^[A-Z]$|^Distr)")
# An operative marker: at the start of a passage, or run on after a clause.
LEADING = re.compile(r"^\s*(\d{1,3})\.\s+[A-Z(\"“']")
INLINE = re.compile(r"[;:.]\s+(\d{1,3})\.\s+[A-Z][a-z]+")


def corpus_dir(work):
    corpus = os.path.join(work, "corpus")
    os.makedirs(corpus, exist_ok=True)
    for sub in ("resolutions", "records"):
        link = os.path.join(corpus, sub)
        if not os.path.exists(link):
            os.symlink(os.path.abspath(os.path.join(ARCHIVE, sub)), link)
    return corpus


def index(binary, corpus, idx):
    t = time.perf_counter()
    out = subprocess.run([binary, "index", "--corpus", corpus, "--index", idx, "--rebuild",
                          "--quiet", "--format", "json"], capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if out.returncode != 0:
        sys.exit(f"index failed: {out.stderr}")
    return elapsed, json.loads(out.stdout)


def show(binary, corpus, idx, rel):
    out = subprocess.run([binary, "show", "--corpus", corpus, "--index", idx, "--json", rel],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/ctsearch"))
    ap.add_argument("--baseline", help="another ctsearch binary, timed alternately")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", help="write the figures as JSON to this file")
    ap.add_argument("--show", type=int, default=5, help="examples printed per defect")
    args = ap.parse_args()
    if not os.path.isdir(ARCHIVE):
        print("bench/archive.py: ../shared/archive is absent; skipped")
        return
    work = tempfile.mkdtemp(prefix="ctsearch-archive-")
    corpus = corpus_dir(work)
    idx = os.path.join(work, "index")
    times, base_times = [], []
    for _ in range(args.runs):
        if args.baseline:
            base_times.append(index(args.baseline, corpus, os.path.join(work, "base"))[0])
        elapsed, summary = index(args.bin, corpus, idx)
        times.append(elapsed)

    rels = sorted(
        [f"resolutions/{f}" for f in os.listdir(os.path.join(ARCHIVE, "resolutions"))] +
        [f"records/{f}" for f in os.listdir(os.path.join(ARCHIVE, "records"))])
    with ThreadPoolExecutor(max_workers=4) as pool:
        docs = dict(zip(rels, pool.map(lambda r: show(args.bin, corpus, idx, r), rels)))

    types = Counter()
    defects = defaultdict(list)
    res = Counter()
    ops = Counter()
    records = Counter()
    furniture = Counter()
    labels_by_key = defaultdict(set)
    years = Counter()
    for rel, doc in docs.items():
        if doc is None:
            defects["not in the index"].append(rel)
            continue
        types[doc["type"]] += 1
        for s in doc["sessions"]:
            labels_by_key[s["label"].lower()].add(s["label"])
            if FURNITURE_LABEL.search(s["label"]) and doc["type"] == "resolution":
                defects["furniture session label"].append(f"{rel}: {s['label']!r}")
            for p in s["passages"]:
                for name, pattern in FURNITURE.items():
                    if pattern.search(p["text"]):
                        furniture[name] += 1
                        defects[f"furniture left: {name}"].append(f"{rel}: {p['text'][:80]!r}")
        m = FILE_RE.search(rel)
        if m:
            n, y = int(m.group(1)), m.group(2)
            res["files"] += 1
            if doc["type"] != "resolution":
                defects["resolution not typed resolution"].append(f"{rel}: {doc['type']}")
            if doc["date"]:
                res["dated"] += 1
                years[doc["date"][:4]] += 1
                if doc["date"][:4] == y:
                    res['year_ok'] += 1
                else:
                    defects["year differs from the file name's"].append(f"{rel}: {doc['date']}")
            else:
                defects["no date"].append(rel)
            if doc["symbol"] == f"S/RES/{n} ({y})":
                res['symbol_ok'] += 1
            else:
                defects["symbol differs from the file name's"].append(f"{rel}: {doc['symbol']}")
            if doc["title"] == f"Security Council resolution {n} ({y})":
                res["title"] += 1
            else:
                defects["title"].append(f"{rel}: {doc['title']!r}")
            numbered = False
            for s in doc["sessions"]:
                for p in s["passages"]:
                    lead = LEADING.match(p["text"])
                    para = (p.get("para") or "").split(" ")[0]
                    if lead:
                        numbered = True
                        ops["markers"] += 1
                        if para == lead.group(1):
                            ops["own number"] += 1
                        else:
                            defects["operative marker without its number"].append(
                                f"{rel}: ¶{para or '-'} {p['text'][:60]!r}")
                    for inline in INLINE.finditer(p["text"]):
                        numbered = True
                        ops["markers"] += 1
                        defects["operative marker run into another passage"].append(
                            f"{rel}: {inline.group(0)!r} in {p['text'][:50]!r}")
            res["with numbered paragraphs"] += numbered
        r = RECORD_RE.search(rel)
        if r:
            records["files"] += 1
            if doc["type"] == "meeting-record":
                records["typed meeting-record"] += 1
            else:
                defects["record not typed meeting-record"].append(f"{rel}: {doc['type']}")
            if (doc["date"] or "")[:4] == r.group(1):
                records["year 2020"] += 1
            else:
                defects["record without its year"].append(f"{rel}: {doc['date']}")
            turns = [s for s in doc["sessions"] if s["label"] != "Overview"]
            records["turns"] += len(turns)
    case_split = {k: v for k, v in labels_by_key.items() if len(v) > 1}
    for k, v in sorted(case_split.items()):
        defects["labels differing only in case"].append(" / ".join(sorted(v)))

    pct = lambda a, b: f"{100 * a / b:.1f} %" if b else "-"
    figures = {
        "documents": len(docs),
        "types": dict(types),
        "resolutions": res["files"],
        "dated": res["dated"],
        "year_matches": res['year_ok'],
        "symbol_matches": res['symbol_ok'],
        "titled": res["title"],
        "with_numbered_paragraphs": res["with numbered paragraphs"],
        "operative_markers": ops["markers"],
        "markers_with_own_number": ops["own number"],
        "furniture_passages": dict(furniture),
        "furniture_labels": len(defects["furniture session label"]),
        "case_split_labels": len(case_split),
        "years_1946_2015": sorted(years),
        "records": records["files"],
        "records_typed": records["typed meeting-record"],
        "records_2020": records["year 2020"],
        "record_turns": records["turns"],
        "index_seconds_median": statistics.median(times),
        "defects": defects,
    }
    print(f"archive: {len(docs)} documents ({res['files']} resolutions, {records['files']} records)")
    print(f"types: {dict(types.most_common())}")
    print(f"resolutions dated:          {res['dated']:5} {pct(res['dated'], res['files'])}")
    print(f"  year = file name's:       {res['year_ok']:5} {pct(res['year_ok'], res['files'])}")
    print(f"  symbol = file name's:     {res['symbol_ok']:5} {pct(res['symbol_ok'], res['files'])}")
    print(f"  title 'Security Council resolution N (YYYY)': {res['title']} {pct(res['title'], res['files'])}")
    print(f"  with numbered paragraphs: {res['with numbered paragraphs']:5} {pct(res['with numbered paragraphs'], res['files'])}")
    print(f"  years with a resolution:  {len(years)} ({min(years, default='-')}-{max(years, default='-')})")
    print(f"operative markers:          {ops['markers']:5}, with their own number {ops['own number']} "
          f"{pct(ops['own number'], ops['markers'])}")
    print(f"furniture passages left:    {sum(furniture.values())} {dict(furniture)}")
    print(f"furniture session labels:   {len(defects['furniture session label'])}")
    print(f"labels differing in case:   {len(case_split)}")
    print(f"records typed meeting-record: {records['typed meeting-record']}/{records['files']}, "
          f"year 2020: {records['year 2020']}, turns: {records['turns']}")
    line = f"index time (median of {args.runs}): {statistics.median(times):.2f} s"
    if base_times:
        base = statistics.median(base_times)
        figures["baseline_index_seconds_median"] = base
        figures["index_time_ratio"] = statistics.median(times) / base
        line += f"; baseline {base:.2f} s; ratio {statistics.median(times) / base:.2f}"
    print(line)
    for name, items in sorted(defects.items()):
        print(f"\n{name}: {len(items)}")
        for item in items[: args.show]:
            print(f"  {item}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=1)


if __name__ == "__main__":
    main()
