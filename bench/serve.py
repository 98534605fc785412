#!/usr/bin/env python3
"""Load test of `ctsearch serve` beside datasette over the FTS5 table of the
same sessions (the one bench/run.sh builds), in one run.

Usage:
  python3 bench/serve.py [--binary PATH] [--work DIR] [--briefings N] [--seed S]
                         [--requests N] [--clients 1,8,32] [--no-datasette]
                         [--tantivy BIN]

Needs bench/run.sh to have built WORK/corpus-N-sS, WORK/index-N-sS and
WORK/fts5-N-sS.db, and `pip install datasette` for that peer. With
`--tantivy BIN` (tantivy-cli's `tantivy`, `cargo install tantivy-cli`), the
same sessions are also indexed by `tantivy index` (path, session, body;
en_stem) into WORK/tantivy-cli-N-sS once, and `tantivy serve` is measured
beside the others: a BM25 top 10 without facets, passages or highlights.

Two access patterns, each at every client count:
  - repeated: one query asked again and again (a reload, a shared link, the
    page's facet links re-running the unfiltered search for their counts);
    ctsearch answers it from its recent answers after the first time;
  - distinct: a cycle of 256 different words, more than the server keeps,
    so that every request is searched afresh.
The load generator is this script (threads, a new connection per request,
as both servers close it); it runs on the same machine and its own cost is
in every figure. Medians of latencies are per request; throughput is
requests over wall time.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# id, ctsearch API parameters, FTS5 MATCH expression (bench/run.sh's).
QUERIES = [
    ("weapons", {"q": "weapons"}, "weapons"),
    ("cryptocurrency", {"q": "cryptocurrency"}, "cryptocurrency"),
    ("two_terms", {"q": "arms trafficking"}, "arms OR trafficking"),
    ("phrase", {"q": '"trafficking in persons"'}, '"trafficking in persons"'),
    ("filter_crime", {"q": "weapons", "crime": "arms-trafficking"}, "weapons"),
]
DISTINCT_WORDS = 256


def die(message):
    print(f"serve.py: {message}", file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, target):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", target, headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    finally:
        conn.close()


def load(port, targets, clients, requests):
    """Sends `requests` GETs cycling over `targets` from `clients` threads;
    returns (latencies in ms, wall seconds, non-200 count)."""
    latencies = []
    failures = [0]
    lock = threading.Lock()
    next_index = [0]

    def worker():
        mine = []
        bad = 0
        while True:
            with lock:
                i = next_index[0]
                if i >= requests:
                    break
                next_index[0] += 1
            target = targets[i % len(targets)]
            start = time.perf_counter()
            status, _ = get(port, target)
            mine.append((time.perf_counter() - start) * 1000)
            if status != 200:
                bad += 1
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(latencies), time.perf_counter() - start, failures[0]


def percentile(values, p):
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def wait_ready(port, target, proc, what):
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            die(f"{what} exited with {proc.returncode}")
        try:
            if get(port, target)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    die(f"{what} did not come up")


def rss_mb(pid):
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    m = re.search(r"VmRSS:\s+(\d+) kB", text)
    return int(m.group(1)) / 1024 if m else None


def distinct_words(corpus, n):
    """`n` different words of the corpus, the same every run."""
    words = set()
    for path in sorted(corpus.rglob("*.txt"))[:400]:
        for word in re.findall(r"[a-z]{6,12}", path.read_text(errors="replace").lower()):
            words.add(word)
    words = sorted(words)
    if len(words) < n:
        die(f"only {len(words)} distinct words found")
    step = len(words) // n
    return [words[i * step] for i in range(n)]


def build_tantivy_index(binary, db, index):
    """The FTS5 table's sessions indexed by `tantivy index`: path (raw,
    stored), session and body (en_stem, positions; body not stored)."""
    import sqlite3
    index.mkdir(parents=True, exist_ok=True)
    raw = {"record": "basic", "fieldnorms": False, "tokenizer": "raw"}
    text = {"record": "position", "fieldnorms": True, "tokenizer": "en_stem"}
    schema = [
        {"name": "path", "type": "text", "options": {"indexing": raw, "stored": True, "fast": False}},
        {"name": "session", "type": "text", "options": {"indexing": text, "stored": True, "fast": False}},
        {"name": "body", "type": "text", "options": {"indexing": text, "stored": False, "fast": False}},
    ]
    meta = {"index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
            "segments": [], "schema": schema, "opstamp": 0}
    (index / "meta.json").write_text(json.dumps(meta))
    proc = subprocess.Popen([str(binary), "index", "-i", str(index)], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    with sqlite3.connect(db) as conn:
        for path, session, body in conn.execute("SELECT path, session, body FROM s"):
            proc.stdin.write(json.dumps({"path": path, "session": session, "body": body}) + "\n")
    proc.stdin.close()
    if proc.wait() != 0:
        die("tantivy index failed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=Path, default=REPO / "target/release/ctsearch")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ctsearch-bench"))
    parser.add_argument("--briefings", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--requests", type=int, default=600, help="requests per measurement")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument("--tantivy", type=Path, help="tantivy-cli binary, to measure `tantivy serve`")
    args = parser.parse_args()

    clients = [int(c) for c in args.clients.split(",")]
    stem = f"{args.briefings}-s{args.seed}"
    corpus = args.work / f"corpus-{stem}"
    index = args.work / f"index-{stem}"
    db = args.work / f"fts5-{stem}.db"
    for p in (corpus, index):
        if not p.exists():
            die(f"{p} missing: run bench/run.sh --briefings {args.briefings} first")
    use_datasette = not args.no_datasette
    if use_datasette and (not db.exists() or not shutil.which("datasette")):
        print("note: datasette or the FTS5 database is missing; ctsearch only", file=sys.stderr)
        use_datasette = False

    words = distinct_words(corpus, DISTINCT_WORDS)
    servers = []
    ct_port = free_port()
    ct = subprocess.Popen(
        [str(args.binary), "serve", "--corpus", str(corpus), "--index", str(index),
         "--addr", f"127.0.0.1:{ct_port}", "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    servers.append(ct)
    wait_ready(ct_port, "/api/health", ct, "ctsearch serve")

    def ct_target(params):
        return "/api/search?" + urllib.parse.urlencode(params)

    ds_port = None
    if use_datasette:
        ds_port = free_port()
        ds = subprocess.Popen(
            ["datasette", "-i", str(db), "--port", str(ds_port), "--host", "127.0.0.1",
             "--setting", "sql_time_limit_ms", "20000"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(ds)
        wait_ready(ds_port, "/-/versions.json", ds, "datasette")

    def ds_target(match):
        sql = ("SELECT path, session, snippet(s, 2, '[', ']', '…', 12), bm25(s) "
               "FROM s WHERE s MATCH :m ORDER BY bm25(s) LIMIT 10")
        return f"/{db.stem}.json?" + urllib.parse.urlencode({"sql": sql, "m": match, "_shape": "array"})

    tv_port = None
    if args.tantivy:
        tv_index = args.work / f"tantivy-cli-{stem}"
        if not (tv_index / "meta.json").exists() or '"segments":[]' in (tv_index / "meta.json").read_text():
            build_tantivy_index(args.tantivy, db, tv_index)
        tv_port = free_port()
        tv = subprocess.Popen(
            [str(args.tantivy), "serve", "-i", str(tv_index), "--host", "127.0.0.1",
             "-p", str(tv_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(tv)
        wait_ready(tv_port, "/api/?q=weapons&nhits=1", tv, "tantivy serve")

    def tv_target(params):
        return "/api/?" + urllib.parse.urlencode({"q": params["q"], "nhits": 10})

    rows = []
    try:
        cases = [(qid, [ct_target(params)], [ds_target(match)], [tv_target(params)])
                 for qid, params, match in QUERIES]
        cases.append(("distinct words", [ct_target({"q": w}) for w in words],
                      [ds_target(w) for w in words], [tv_target({"q": w}) for w in words]))
        for qid, ct_targets, ds_targets, tv_targets in cases:
            for c in clients:
                row = {"query": qid, "clients": c}
                for key, port, targets, n in (
                        ("ct", ct_port, ct_targets, args.requests),
                        ("ds", ds_port, ds_targets, max(60, args.requests // 5)),
                        ("tv", tv_port, tv_targets, args.requests)):
                    if not port:
                        continue
                    # One warm-up round over the targets, as a user's first search.
                    for t in targets[:DISTINCT_WORDS]:
                        get(port, t)
                    lat, wall, bad = load(port, targets, c, n)
                    row.update({f"{key}_rps": len(lat) / wall, f"{key}_p50": percentile(lat, 50),
                                f"{key}_p99": percentile(lat, 99), f"{key}_bad": bad})
                rows.append(row)
                print(json.dumps(row), file=sys.stderr)
        ct_rss = rss_mb(ct.pid)
    finally:
        for proc in servers:
            proc.terminate()
        for proc in servers:
            proc.wait()

    load_avg = os.getloadavg()
    print(f"## ctsearch serve vs datasette — {args.briefings} briefings, {args.requests} requests "
          f"per ctsearch measurement\n")
    print(f"- binary: {args.binary}; load average at the end {load_avg[0]:.2f}")
    if ct_rss:
        print(f"- ctsearch serve RSS at the end: {ct_rss:.0f} MB")
    print("- repeated: the same query each time (ctsearch answers it from its recent answers); "
          f"distinct words: a cycle of {DISTINCT_WORDS} different words, each searched afresh\n")
    print("| query | clients | ctsearch req/s | p50 ms | p99 ms "
          "| datasette req/s | p50 ms | p99 ms | ct / ds "
          "| tantivy serve req/s | p50 ms | p99 ms | ct / tv |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

    def peer(r, key):
        if f"{key}_rps" not in r:
            return "– | – | – | –"
        bad = f" ({r[key + '_bad']} not 200)" if r[key + "_bad"] else ""
        return (f"{r[key + '_rps']:.1f}{bad} | {r[key + '_p50']:.2f} | {r[key + '_p99']:.2f} | "
                f"{r['ct_rps'] / r[key + '_rps']:.1f}×")

    for r in rows:
        bad = f" ({r['ct_bad']} not 200)" if r["ct_bad"] else ""
        print(f"| {r['query']} | {r['clients']} | {r['ct_rps']:.1f}{bad} | {r['ct_p50']:.2f} | "
              f"{r['ct_p99']:.2f} | {peer(r, 'ds')} | {peer(r, 'tv')} |")


if __name__ == "__main__":
    main()
