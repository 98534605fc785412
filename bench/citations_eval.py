#!/usr/bin/env python3
"""Scores the citator's extraction (examples/cite-extract.rs) against the
hand-checked gold sample (bench/citations-gold.tsv), beside the CR-UNSC
baseline regex.

    python3 bench/citations_eval.py [--archive DIR] [--show]

Unit: distinct (file, target) pairs. A Council resolution matches by its
number alone when one side has the year and the other not ("S/RES/1596"
matches "S/RES/1596 (2005)"); with years on both sides they must agree.
The sample is the `# sample:` line of the gold, so documents citing
nothing count too. Skips (exit 0) when the archive is absent.
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GOLD = os.path.join(HERE, "citations-gold.tsv")


def load_gold():
    sample, gold = [], set()
    with open(GOLD, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# sample:"):
                sample = line.split(":", 1)[1].split()
            elif line.startswith("#") or not line.strip():
                continue
            else:
                name, target = line.split("\t")
                gold.add((name, target))
    return sample, gold


def path_of(archive, name):
    sub = "records" if name.startswith("20") and "-s-pv-" in name else "resolutions"
    return os.path.join(archive, sub, name)


RES = re.compile(r"^S/RES/(\d+)(?: \((\d{4})\))?$")


def match(pred, gold):
    """Matched pairs: exact, or a Council resolution by number when one
    side lacks the year. Returns (true positives among pred, gold found)."""
    by_num = {}
    for g in gold:
        m = RES.match(g[1])
        if m:
            by_num.setdefault((g[0], m.group(1)), []).append((g, m.group(2)))
    tp, found = set(), set()
    for p in pred:
        if p in gold:
            tp.add(p)
            found.add(p)
            continue
        m = RES.match(p[1])
        if not m:
            continue
        for g, gyear in by_num.get((p[0], m.group(1)), []):
            if gyear is None or m.group(2) is None:
                tp.add(p)
                found.add(g)
    return tp, found


def score(label, pred, gold, show):
    tp, found = match(pred, gold)
    p = len(tp) / len(pred) if pred else 1.0
    r = len(found) / len(gold) if gold else 1.0
    print(f"{label:<22} pairs {len(pred):4d}  precision {p:.3f}  recall {r:.3f}")
    if show:
        for x in sorted(pred - tp):
            print(f"  false positive  {x[0]}\t{x[1]}")
        for x in sorted(gold - found):
            print(f"  missed          {x[0]}\t{x[1]}")


def decode(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def own_symbol(name):
    m = re.match(r"S-RES-(\d+)\((\d{4})\)\.txt$", name)
    if m:
        return m.group(1)
    return None


def baseline(paths):
    """CR-UNSC: one regex, `\\d{1,4}\\s*\\(\\d{4}\\)`, each match a Council
    resolution, the file's own number excluded."""
    pred = set()
    rx = re.compile(r"(\d{1,4})\s*\((\d{4})\)")
    for path in paths:
        name = os.path.basename(path)
        own = own_symbol(name)
        with open(path, "rb") as f:
            text = decode(f.read())
        for m in rx.finditer(text):
            n = str(int(m.group(1)))
            if n == own:
                continue
            pred.add((name, f"S/RES/{n} ({m.group(2)})"))
    return pred


def citator(paths):
    binary = os.path.join(ROOT, "target", "release", "examples", "cite-extract")
    build = ["cargo", "build", "--release", "--quiet", "--example", "cite-extract"]
    subprocess.run(build, cwd=ROOT, check=True)
    out = subprocess.run([binary, *paths], check=True, capture_output=True, text=True).stdout
    pred = set()
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) >= 2:
            pred.add((cols[0], cols[1]))
    return pred


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.path.join(ROOT, "..", "shared", "archive")
    ap.add_argument("--archive", default=os.environ.get("CTSEARCH_ARCHIVE", default))
    ap.add_argument("--show", action="store_true", help="list false positives and misses")
    args = ap.parse_args()
    if not os.path.isdir(args.archive):
        print(f"citations_eval: {args.archive} absent, skipped")
        return 0
    sample, gold = load_gold()
    paths = [path_of(args.archive, n) for n in sample]
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        print(f"citations_eval: {len(missing)} sample files absent ({missing[0]}), skipped")
        return 0
    print(f"sample: {len(sample)} documents, {len(gold)} gold (document, target) pairs")
    score("citator", citator(paths), gold, args.show)
    score("CR-UNSC regex", baseline(paths), gold, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
